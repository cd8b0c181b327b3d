from __future__ import annotations

from pathlib import Path

import click

from .. import rules
from ..findings import Rule, did_you_mean
from ..model import ConfigError, find_root, load
from .common import fail, root_option


@click.command("explain")
@click.argument("rule_id", required=False, metavar="[RULE-ID]")
@root_option
def command(rule_id, root):
    """List every rule (id, level, what it checks) by family, or explain one RULE-ID: what it
    checks and how to configure it. Inside a content repository the voice rules of
    policies/voice.yaml are listed too.

    Exit 0, or 2 for a rule id accord does not know."""
    by_family = _catalogue(root)
    if rule_id is None:
        lines = []
        for family, listed in by_family.items():
            lines.append(family)
            width = max(len(r.id) for r in listed)
            lines.extend(f"  {r.id:<{width}}  {r.level:<7}  {r.summary}" for r in listed)
            lines.append("")
        click.echo("\n".join(lines).rstrip())
        return
    known = {r.id: (family, r) for family, listed in by_family.items() for r in listed}
    if rule_id not in known:
        hint = did_you_mean(rule_id, known)
        fail(f"no rule '{rule_id}'" + (f"; {hint}" if hint else "") + " (accord explain lists them all)")
    family, rule = known[rule_id]
    out = [f"{rule.id} ({rule.level}, {family} rules)", "", rule.summary]
    if rule.config:
        out += ["", f"Configure: {rule.config}"]
    out += ["", f"Silence it in one post or campaign, saying why: allow: [{{rule: {rule.id}, reason: ...}}]"]
    click.echo("\n".join(out))


def _catalogue(root: Path | None) -> dict[str, list[Rule]]:
    out = {}
    org = _org(root)
    for family in rules.families():
        name = family.__name__.rsplit(".", 1)[-1]
        listed = list(family.RULES)
        if org is not None and hasattr(family, "catalogue"):
            listed += family.catalogue(org)  # rules the org defines as data (voice)
        out[name] = listed
    return out


def _org(root: Path | None):
    """The content repository, when there is one here: its voice rules are rules too."""
    try:
        return load(find_root((root or Path.cwd()).resolve()))
    except ConfigError:
        return None
