from __future__ import annotations

from pathlib import Path

import click

from .. import rules
from ..findings import Rule, did_you_mean
from ..layout import ConfigError, find_root
from ..model import load
from .common import fail, root_option


@click.command("explain")
@click.argument("rule_id", required=False, metavar="[RULE-ID]")
@root_option
def command(rule_id, root):
    """List every rule (id, level, what it checks) by family, or explain one RULE-ID: what it
    checks and how to configure it. Inside a content repository the voice rules of
    policies/voice.yaml are listed too.

    Exit 0; 2 for a rule id accord does not know, or for a list without the repository's voice
    rules because its accord.yaml cannot be used (the list is printed, and why)."""
    by_family, problem = _catalogue(root)
    left_out = f"{problem}; the voice rules of policies/voice.yaml are left out until it is mended" if problem else None
    if rule_id is None:
        lines = []
        for family, listed in by_family.items():
            lines.append(family)
            width = max(len(r.id) for r in listed)
            lines.extend(f"  {r.id:<{width}}  {r.level:<7}  {r.summary}" for r in listed)
            lines.append("")
        click.echo("\n".join(lines).rstrip())
        if left_out:
            fail(left_out)
        return
    known = {r.id: (family, r) for family, listed in by_family.items() for r in listed}
    if rule_id not in known:
        hint = did_you_mean(rule_id, known)
        fail(f"no rule '{rule_id}'" + (f"; {hint}" if hint else "") + " (accord explain lists them all)"
             + (f". Note: {left_out}" if left_out else ""))
    family, rule = known[rule_id]
    out = [f"{rule.id} ({rule.level}, {family} rules)", "", rule.summary]
    if rule.config:
        out += ["", f"Configure: {rule.config}"]
    if rule.refused:
        out += ["", "No `allow` silences it: the network would refuse the post (or accord could not upload it)."]
    else:
        out += ["", f"Silence it in one post or campaign, saying why: allow: [{{rule: {rule.id}, reason: ...}}]"]
    click.echo("\n".join(out))


def _catalogue(root: Path | None) -> tuple[dict[str, list[Rule]], str | None]:
    """Every rule by family, and why the repository's own rules are missing (None: they are not)."""
    out = {}
    org, problem = _org(root)
    for family in rules.families():
        name = family.__name__.rsplit(".", 1)[-1]
        listed = list(family.RULES)
        if org is not None and hasattr(family, "catalogue"):
            listed += family.catalogue(org)  # rules the org defines as data (voice)
        out[name] = listed
    return out, problem


def _org(root: Path | None):
    """The content repository, when there is one here (its voice rules are rules too), and why
    it cannot be read when it cannot."""
    try:
        here = find_root((root or Path.cwd()).resolve())
    except ConfigError:
        return None, None  # not in a content repository: the built-in rules are all there is
    try:
        return load(here), None
    except ConfigError as exc:
        return None, str(exc)
