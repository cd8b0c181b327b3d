"""Who may post where, who answers for a campaign, and who reviews which files.

An account belongs to the team whose folder holds it; other teams post to it only when listed
as its contributors. CODEOWNERS is generated from the same facts (`accord codeowners`), so
review requests follow ownership without anyone maintaining a second list.
"""
from __future__ import annotations

from ..findings import Finding, Rule, did_you_mean
from ..model import Org
from . import Reach, Reads

CODEOWNERS = ".github/CODEOWNERS"

READS = frozenset({Reads.FILES})
REACH = Reach.FILE  # teams, accounts, campaigns and CODEOWNERS
WANTED_ONLY = False

RULES = [
    Rule("ownership.account", "error",
         "A team posts only to accounts it owns or is listed as a contributor of.",
         "contributors: [team, ...] in the account's file (content/<owner>/accounts/<id>.yaml)."),
    Rule("ownership.contributor", "error", "An account's contributors are existing teams (folders under content/)."),
    Rule("ownership.campaign-owner", "error", "Every campaign names its owner: the person who answers for it."),
    Rule("ownership.owner-not-member", "warning", "A campaign's owner is a member of the campaign's team."),
    Rule("ownership.approval-unknown", "error",
         "policies/approvals.yaml names existing teams and accounts: an approval of a team that does "
         "not exist can never be given, a condition on an account that does not exist never holds.",
         "Team ids are folders under content/; account ids are file names under content/<team>/accounts/."),
    Rule("ownership.codeowners", "error",
         f"{CODEOWNERS}, when present, is what `accord codeowners` generates from teams and accounts.",
         "Run `accord codeowners` and commit the result."),
]


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    for post in org.posts.values():
        for i, aid in enumerate(post.accounts):
            account = org.accounts.get(aid)
            if account is None or account.may_post(post.team):
                continue
            line, col = post.doc.pos(("accounts", i))
            helpers = f" and its contributors ({', '.join(account.contributors)})" if account.contributors else ""
            out.append(Finding(post.doc.rel, line, col, "error", "ownership.account",
                               f"team {post.team} may not post to {aid}: it belongs to team {account.team}"
                               f"{helpers}",
                               f"ask team {account.team} to add {post.team} to contributors in {account.doc.rel}"))
    for account in org.accounts.values():
        for i, team in enumerate(account.contributors):
            if team not in org.teams:
                line, col = account.doc.pos(("contributors", i))
                out.append(Finding(account.doc.rel, line, col, "error", "ownership.contributor",
                                   f"no team '{team}': contributors are folders under content/ with a team.yaml",
                                   did_you_mean(team, org.teams)))
    for campaign in org.campaigns.values():
        team = org.teams.get(campaign.team)
        if not campaign.owner:
            line, col = campaign.doc.pos(("name",), key=True)
            out.append(Finding(campaign.doc.rel, line, col, "error", "ownership.campaign-owner",
                               "the campaign has no owner: name the person who answers for it",
                               f"add owner: <GitHub user>, e.g. one of team {campaign.team}'s members"
                               if team and team.members else "add owner: <GitHub user>"))
        elif team is not None and campaign.owner not in team.members:
            line, col = campaign.doc.pos(("owner",))
            out.append(Finding(campaign.doc.rel, line, col, "warning", "ownership.owner-not-member",
                               f"owner {campaign.owner} is not a member of team {campaign.team}",
                               did_you_mean(campaign.owner, team.members)
                               or f"add {campaign.owner} to members in {team.doc.rel}"))
    out.extend(_approvals_known(org))
    out.extend(_codeowners_in_sync(org))
    return out


def _approvals_known(org: Org) -> list[Finding]:
    doc = org.policies.get("approvals")
    out: list[Finding] = []
    for i, rule in enumerate(org.policy("approvals").get("approval_rules") or []):
        for part, key, known, what in (("if", "teams", org.teams, "team"), ("requires", "teams", org.teams, "team"),
                                       ("if", "accounts", org.accounts, "account")):
            for j, name in enumerate((rule.get(part) or {}).get(key) or []):
                if name not in known:
                    line, col = doc.pos(("approval_rules", i, part, key, j))
                    said = (f"rule '{rule.get('name')}' asks it for an approval it can never give" if part == "requires"
                            else f"this condition of rule '{rule.get('name')}' never holds")
                    out.append(Finding(doc.rel, line, col, "error", "ownership.approval-unknown",
                                       f"no {what} '{name}': {said}", did_you_mean(name, known)))
    return out


def config_owners(org: Org) -> list[str]:
    """Teams that own accord.yaml, policies/, schemas/ and CODEOWNERS itself: the teams
    policies/approvals.yaml asks approvals of, since they guard what goes out; every team when
    no approval names one."""
    named = set()
    for rule in org.policy("approvals").get("approval_rules") or []:
        named.update((rule.get("requires") or {}).get("teams") or [])
    teams = sorted(t for t in named if t in org.teams) or sorted(org.teams)
    return [f"@{org.teams[t].github_team}" for t in teams]


def codeowners(org: Org) -> str:
    """The CODEOWNERS file for the org: deterministic, so a diff shows only real changes."""
    config = " ".join(config_owners(org))
    lines = [
        "# Generated by `accord codeowners` from content/*/team.yaml and content/*/accounts/*.yaml.",
        "# Do not edit: run `accord codeowners` and commit; `accord check` fails when this is out of sync.",
        "#",
        "# A team folder belongs to the team (its github_team); an account file to the team that owns",
        "# the account. accord.yaml, policies/, schemas/ and this file belong to the teams that",
        "# policies/approvals.yaml asks approvals of (every team when it names none).",
        "# Posts on another team's account need that team's approval too: policies/approvals.yaml.",
        "#",
        "# policies/freeze.yaml belongs to every team, so that in a crisis a team freezes its own",
        "# accounts with its own review. CODEOWNERS owns whole files: it cannot tell freezing from",
        "# unfreezing, nor one team's entry from another's, so any team's review also lets a freeze be",
        "# lifted: asking the frozen scope's owners before lifting it is not enforced here.",
        "",
    ]
    if config:
        lines += [f"{path} {config}" for path in ("/accord.yaml", "/policies/", "/schemas/", f"/{CODEOWNERS}")]
    if org.teams:  # after /policies/: the last matching line wins
        lines.append("/policies/freeze.yaml " + " ".join(f"@{org.teams[t].github_team}" for t in sorted(org.teams)))
    if config or org.teams:
        lines.append("")
    for tid in sorted(org.teams):
        lines.append(f"/content/{tid}/ @{org.teams[tid].github_team}")
        for aid in sorted(a.id for a in org.accounts.values() if a.team == tid):
            account = org.accounts[aid]
            lines.append(f"/{account.doc.rel} @{org.teams[tid].github_team}")
    return "\n".join(lines) + "\n"


def codeowners_diff(org: Org, current: str) -> list[str]:
    """A unified diff from the file as it is to the file as generated; empty when in sync."""
    import difflib  # only `accord codeowners --check` shows a diff

    return list(difflib.unified_diff(current.splitlines(), codeowners(org).splitlines(),
                                     f"{CODEOWNERS} (as it is)", f"{CODEOWNERS} (generated)", lineterm=""))


def read_codeowners(root) -> str | None:
    """CODEOWNERS as it is, None when there is none. Raises files.Refused for one accord does not
    read (a link leading outside the repository: `accord codeowners` would write through it too)."""
    from ..files import read_bytes

    try:
        return read_bytes(root, CODEOWNERS).decode("utf-8", "replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _codeowners_in_sync(org: Org) -> list[Finding]:
    from ..files import Refused

    try:
        current = read_codeowners(org.root)
    except Refused as exc:
        return [Finding(CODEOWNERS, 1, 1, "error", exc.rule, exc.message)]
    except OSError:
        return []
    if current is None:
        return []
    wanted = codeowners(org)
    if current == wanted:
        return []
    have, want = current.splitlines(), wanted.splitlines()
    line = next((n for n, (a, b) in enumerate(zip(have, want, strict=False), 1) if a != b), min(len(have), len(want)) + 1)
    return [Finding(CODEOWNERS, line, 1, "error", "ownership.codeowners",
                    f"{CODEOWNERS} is out of sync with teams and accounts (first difference at line {line})",
                    "run `accord codeowners` and commit the result")]
