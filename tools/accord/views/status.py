"""`accord status`: where every target stands, and what needs a person, as plain data from a
State (with the publisher's preflight: what the check blocks), then text or JSON."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import state as st
from ..state import State, TargetState

RECENT = timedelta(days=7)  # published this recently is shown
SHOWN = 10  # rows per group in text; JSON has them all

# The groups in the order a person reads them: what needs them first.
GROUPS = ("unknown", "failed", "missed", "blocked", "claimed", "due", "scheduled", "published")
TITLES = {"unknown": "unknown (look on the network, then `accord resolve`)", "failed": "failed",
          "missed": "missed", "blocked": "blocked by the check", "claimed": "being published",
          "due": "due next", "scheduled": "scheduled", "published": "recently published"}


@dataclass(frozen=True)
class Scope:
    accounts: tuple[str, ...] = ()
    team: str | None = None
    campaign: str | None = None

    def covers(self, s: TargetState) -> bool:
        t = s.target
        return ((not self.accounts or t.account.id in self.accounts)
                and (self.team is None or self.team in (t.post.team, t.account.team))
                and (self.campaign is None or t.post.campaign == self.campaign))


def todo(s: TargetState) -> str:
    """What a person does about it."""
    t = s.target
    if s.status == st.UNKNOWN:
        return (f"look for it on {t.account.platform} ({t.account.handle}), then `accord resolve {t.post.id} "
                f"--account {t.account.id} --posted URL` or `--not-posted`, with --reason")
    if s.status in (st.FAILED, st.MISSED):
        return "change the post (fix it, or give it a new publish_at) and merge: a changed post is due again"
    if s.status == st.BLOCKED:
        return "fix what the check finds and merge: it is still due"
    return ""


def group_of(s: TargetState, state: State) -> str | None:
    if s.status in (st.UNKNOWN, st.FAILED, st.MISSED, st.BLOCKED, st.CLAIMED):
        return s.status
    if s.status in (st.READY, st.ON_MERGE):
        soon = state.now + state.org.settings.look_ahead
        return "due" if s.when is None or s.when <= soon else "scheduled"
    if s.status in (st.FROZEN, st.EMBARGOED):
        return "scheduled"
    if s.status == st.PUBLISHED and s.when is not None and state.now - s.when <= RECENT:
        return "published"
    return None


def status(state: State, scope: Scope, problems: list[str]) -> dict:
    groups: dict[str, list[dict]] = {g: [] for g in GROUPS}
    for s in state.targets():
        if not scope.covers(s):
            continue
        g = group_of(s, state)
        if g is None:
            continue
        t = s.target
        groups[g].append({"target": s.key, "post": t.post.id, "account": t.account.id,
                          "platform": t.account.platform, "status": s.status, "when": s.when,
                          "detail": s.detail, "url": s.url, "todo": todo(s),
                          # who proposed, who approved (audit.py) and who published: one lookup
                          "run": s.entry.run if s.entry else None,
                          "audit": s.entry.audit if s.entry else None})
    groups["published"].reverse()  # newest first
    waiting = sum(len(groups[g]) for g in st.NEEDS_A_PERSON) + len(problems)
    return {"now": state.now, "needs_a_person": waiting, "problems": problems, "groups": groups}


def text(data: dict) -> str:
    lines = [f"accord status · {_hm(data['now'])}"]
    lines += [f"problem: {p}" for p in data["problems"]]
    for g in GROUPS:
        rows = data["groups"][g]
        if not rows:
            continue
        lines.append(f"\n{TITLES[g]} ({len(rows)})")
        for r in rows[:SHOWN]:
            bits = [b for b in (r["detail"], r["url"]) if b]
            status = f"[{r['status']}] " if g == "scheduled" and r["status"] != st.READY else ""
            lines.append(f"  {_hm(r['when'])}  {r['post']} → {r['account']}: {status}{'; '.join(bits)}".rstrip(": "))
            if r["todo"]:
                lines.append(f"      to do: {r['todo']}")
        if len(rows) > SHOWN:
            lines.append(f"  … and {len(rows) - SHOWN} more")
    n = data["needs_a_person"]
    lines.append(f"\n{n} need{'s' if n == 1 else ''} a person" if n else "\nnothing needs a person")
    return "\n".join(lines)


def _hm(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M %Z").strip() if when else "on merge".ljust(16)
