"""Who must approve a change: policies/approvals.yaml (policy-bot's shape) applied to what the
change touches, and, given a pull request's reviews, what is met and what is still missing.

The rules are the base's (a change cannot loosen the rules it is judged by); a change to
policies/approvals.yaml is itself a changed file the rules can cover (`paths: [policies/**]`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .change import Change, FileChange
from .model import Org


@dataclass(frozen=True)
class ApprovalRule:
    name: str
    description: str
    conditions: dict  # the rule's `if`
    count: int
    teams: tuple[str, ...]  # team ids (content/<team>/)
    users: tuple[str, ...]  # GitHub logins
    account_owners: bool
    invalidate_on_push: bool
    required: bool  # listed in policy.approval (or no such list)


@dataclass(frozen=True)
class Match:
    """A rule that covers a changed file, and why: each condition of its `if` that held."""

    rule: ApprovalRule
    path: str
    why: tuple[str, ...]
    owners: tuple[str, ...]  # the teams owning the accounts it targets, other than its own


@dataclass(frozen=True)
class Approvers:
    """Whose approval counts: members of these teams (ids) and these users."""

    teams: tuple[str, ...]
    users: tuple[str, ...]

    def describe(self, org: Org) -> str:
        names = [f"team {t} (@{org.teams[t].github_team})" if t in org.teams else f"team {t}" for t in self.teams]
        return " or ".join(names + [f"@{u}" for u in self.users])


@dataclass
class Requirement:
    """`count` approvals from `approvers`, for these files, asked by one rule."""

    rule: ApprovalRule
    approvers: Approvers
    paths: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.rule.count


@dataclass
class Needs:
    """What a change needs: per changed file the rules that cover it, and the requirements."""

    change: Change
    source: str  # where the rules were read: "policies/approvals.yaml at <commit>"
    matches: dict[str, list[Match]]  # by changed path (every changed path, maybe with none)
    requirements: list[Requirement]


def rules_of(policy: dict) -> list[ApprovalRule]:
    listed = (policy.get("policy") or {}).get("approval")
    out = []
    for r in policy.get("approval_rules") or []:
        if not isinstance(r, dict) or not isinstance(r.get("requires"), dict):
            continue
        req = r["requires"]
        out.append(ApprovalRule(
            str(r.get("name")), str(r.get("description") or ""), r.get("if") or {}, int(req.get("count") or 1),
            tuple(req.get("teams") or ()), tuple(req.get("users") or ()), bool(req.get("account_owners")),
            bool((r.get("options") or {}).get("invalidate_on_push", True)),
            listed is None or r.get("name") in listed))
    return out


def needs(org: Org, change: Change) -> Needs:
    """Which rules cover each changed file and what the change needs, from the base's rules
    (the current ones only when the base has none: adding rules can only ask for more)."""
    if "approvals" in change.before.policies:
        policy, source = change.before.policy("approvals"), f"policies/approvals.yaml at {change.since[:7]}"
    else:
        policy, source = org.policy("approvals"), "policies/approvals.yaml (new in this change)"
    rules = rules_of(policy)
    matches: dict[str, list[Match]] = {}
    for f in change.files:
        matches[f.path] = [m for m in (_match(org, change, rule, f) for rule in rules) if m is not None]
    grouped: dict[tuple, Requirement] = {}
    for path, found in matches.items():
        for m in found:
            if not m.rule.required:
                continue
            for approvers in _approvers(m):
                key = (m.rule.name, approvers)
                grouped.setdefault(key, Requirement(m.rule, approvers)).paths.append(path)
    order = {r.name: i for i, r in enumerate(rules)}
    requirements = sorted(grouped.values(), key=lambda q: (order[q.rule.name], q.approvers.teams, q.approvers.users))
    return Needs(change, source, matches, requirements)


def _approvers(m: Match) -> list[Approvers]:
    """Account owners approve each for their own account: one requirement per owning team."""
    rule = m.rule
    if rule.account_owners and m.owners:
        return [Approvers(tuple(sorted({*rule.teams, owner})), tuple(sorted(rule.users))) for owner in m.owners]
    if rule.teams or rule.users:
        return [Approvers(tuple(sorted(rule.teams)), tuple(sorted(rule.users)))]
    return []


def _match(org: Org, change: Change, rule: ApprovalRule, f: FileChange) -> Match | None:
    """The rule's `if` against one changed file, then and now (moving a post off an account
    still needs that account's owners): every condition given must hold."""
    facts = _facts(org, change, f)
    cond = rule.conditions
    if not cond and f.kind != "post":
        return None  # a rule without conditions covers every changed post
    why = []
    for key, wanted in sorted(cond.items()):
        if key == "paths":
            hit = [p for p in wanted if _glob(p).fullmatch(f.path)]
            said = f"{f.path} matches {', '.join(hit)}"
        elif key == "other_teams_accounts":
            hit = [f"{a} is {facts['owners'][a]}'s" for a in sorted(facts["owners"])] if wanted else []
            said = f"targets another team's account ({', '.join(hit)})"
        else:
            have = facts.get(key)
            if have is None:
                return None  # the condition says nothing of a file of this kind
            hit = sorted(set(wanted) & have)
            said = f"{key}: {', '.join(hit)}"
        if not hit:
            return None
        why.append(said)
    owners = tuple(sorted(set(facts["owners"].values())))
    return Match(rule, f.path, tuple(why), owners)


def _facts(org: Org, change: Change, f: FileChange) -> dict:
    """What the conditions look at, for one changed file: None where a condition does not apply."""
    team = f.path.split("/")[1] if f.path.startswith("content/") and f.path.count("/") >= 2 else None
    facts: dict = {"teams": {team} if team else None, "owners": {}}
    if f.kind == "post":
        posts = [p for p in (f.before, f.after) if p is not None]
        accounts = {a for p in posts for a in p.accounts}
        found = {a: org.accounts.get(a) or change.before.accounts.get(a) for a in accounts}
        campaigns = [c for p in posts for c in (org.campaigns.get(p.campaign), change.before.campaigns.get(p.campaign))
                     if c is not None]
        facts.update(accounts=accounts,
                     platforms={a.platform for a in found.values() if a is not None},
                     tags={t for p in posts for t in p.tags} | {t for c in campaigns for t in c.tags},
                     owners={a: acc.team for a, acc in found.items() if acc is not None and acc.team != team})
    elif f.kind == "account":
        acc = f.current
        facts.update(accounts={f.id}, platforms={acc.platform} if acc is not None else set())
    elif f.kind == "campaign":
        facts.update(tags=set(f.current.tags) if f.current is not None else set())
    return facts


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern:
    """A path pattern as policy-bot and .gitignore read it: `**` any folders, `*` within one."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


# --- a pull request's reviews against what the change needs ---------------------------------

@dataclass(frozen=True)
class Review:
    login: str
    state: str  # as GitHub names it: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    commit: str  # the commit the review was given on


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str | None  # the GitHub login, when GitHub knows it
    paths: frozenset[str]  # the files it touched


@dataclass
class PullRequest:
    number: int
    author: str
    head: str
    reviews: list[Review]  # in the order they were given
    commits: list[Commit]  # oldest first
    base: str = ""  # the base branch's commit
    files: list[str] = field(default_factory=list)  # the files it changes, sorted


@dataclass(frozen=True)
class Uncounted:
    login: str
    reason: str


@dataclass
class Verdict:
    requirement: Requirement
    approved_by: list[str]
    uncounted: list[Uncounted]

    @property
    def met(self) -> bool:
        return len(self.approved_by) >= self.requirement.count


def latest_reviews(reviews: list[Review]) -> dict[str, Review]:
    """Each reviewer's standing review: the last that approved, asked for changes or was dismissed
    (a comment leaves an approval standing, as on GitHub)."""
    out: dict[str, Review] = {}
    for r in reviews:
        if r.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            out[r.login] = r
    return out


def judge(need: Needs, pr: PullRequest, member) -> list[Verdict]:
    """Each requirement, met or not, by whom, and whose review did not count and why.
    `member(team_id, login) -> bool` asks whether a login belongs to a team."""
    order = {c.sha: i for i, c in enumerate(pr.commits)}
    standing = latest_reviews(pr.reviews)
    out = []
    for q in need.requirements:
        paths = set(q.paths)
        touching = [c for c in pr.commits if c.paths & paths]
        last = max((order[c.sha] for c in touching), default=-1)
        authors = {pr.author} | {c.author for c in touching if c.author}
        approved, uncounted, outsiders = [], [], []
        for login, review in sorted(standing.items()):
            if not (login in q.approvers.users or any(member(t, login) for t in q.approvers.teams)):
                if review.state == "APPROVED":
                    outsiders.append(Uncounted(login, f"not in {q.approvers.describe(need.change.before)}"))
                continue
            if review.state == "DISMISSED":
                uncounted.append(Uncounted(login, "the review was dismissed"))
            elif review.state != "APPROVED":
                uncounted.append(Uncounted(login, "asked for changes"))
            elif login in authors:
                uncounted.append(Uncounted(login, "wrote the change: an author never approves their own post"))
            elif q.rule.invalidate_on_push and order.get(review.commit, -1) < last:
                at = review.commit[:7]
                uncounted.append(Uncounted(login, f"approved {at}, before the last push to these files "
                                                  f"({pr.commits[last].sha[:7]})" if review.commit in order else
                                           f"approved {at}, a commit no longer in the pull request"))
            else:
                approved.append(login)
        # Others' approvals explain a requirement still missing; beside a met one they are noise.
        if len(approved) < q.count:
            uncounted = sorted(uncounted + outsiders, key=lambda u: u.login)
        out.append(Verdict(q, approved, uncounted))
    return out
