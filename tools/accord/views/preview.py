"""`accord preview`: what a change adds, edits, cancels, retracts, reschedules or removes, each
changed post per target as its network will show it (views/post.py), the account's day around
it, the check's findings on it and the approvals it needs. Data first, then markdown (plain code,
as the approvals view) for a step summary or a pull request comment.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from ..change import Change, FileChange, short
from ..findings import Finding
from ..state import State, TargetState
from . import approvals as approvals_view
from . import local_time
from .post import preview

MARKER = "<!-- accord:preview -->"  # finds the pull request's comment again, to edit it in place


def data(state: State, change: Change, findings: list[Finding], approvals: dict) -> dict:
    org = state.org
    days = _days(state)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    posts = []
    for f in change.posts:
        posts.append(_post(state, f, days, by_file.get(f.path, [])))
    others = [{"path": f.path, "kind": f.kind, "id": f.id, "change": f.how, "fields": list(f.fields),
               "findings": [_finding(x) for x in by_file.get(f.path, [])]}
              for f in change.files if f.kind != "post"]
    return {"org": org.settings.org, "base": change.base, "since": change.since, "posts": posts,
            "other_files": others, "approvals": approvals}


def _days(state: State) -> dict[tuple[str, str], list[TargetState]]:
    """Every target by account and local day (the account's zone): the calendar around a post."""
    out: dict[tuple[str, str], list[TargetState]] = defaultdict(list)
    for s in state.targets():
        if s.when is not None:
            out[(s.target.account.id, _day(s.when, s.target.account.timezone))].append(s)
    return out


def _day(when: datetime, zone: str) -> str:
    return when.astimezone(ZoneInfo(zone)).date().isoformat()


def _post(state: State, f: FileChange, days, found: list[Finding]) -> dict:
    post = f.current
    old = f.before
    if post is None:  # it does not load, then or now: its findings say why
        team, campaign = f.path.split("/")[1], "/".join(f.path.split("/")[1:3])
        return {"path": f.path, "id": f.id, "change": f.how, "fields": list(f.fields), "team": team,
                "campaign": campaign, "targets": [], "dropped_accounts": [],
                "findings": [_finding(x) for x in found]}
    moves = {m.account: m for m in f.moves}
    targets = []
    for target in post.targets:
        account = target.account
        move = moves.get(account.id)
        standing = state.of(target) if f.after is not None else None
        around = []
        if target.publish_at is not None:
            around = [{"key": s.key, "post": s.target.post.id, "team": s.target.post.team, "status": s.status,
                       "when": local_time(s.when, account.timezone, "%H:%M"), "text": _first_words(s.target.post.text)}
                      for s in days.get((account.id, _day(target.publish_at, account.timezone)), [])
                      if s.target.post.id != post.id]
        targets.append({
            **preview(state.org, target).as_data(),
            "status": standing.status if standing else "removed",
            "before": local_time(move.before, account.timezone) if move and move.was and move.moved else None,
            "new_target": bool(move and not move.was and f.how != "added"),
            "that_day": around,
        })
    dropped = [m.account for m in f.moves if m.was and not m.now and f.after is not None]
    row = {"path": f.path, "id": f.id, "change": f.how, "fields": list(f.fields), "team": post.team,
           "campaign": post.campaign, "targets": targets, "dropped_accounts": dropped,
           "findings": [_finding(x) for x in found]}
    if old is not None and f.after is not None and old.text != post.text:
        row["text_before"] = old.text
    return row


def _finding(f: Finding) -> dict:
    return {"file": f.file, "line": f.line, "level": f.level, "rule": f.rule, "message": f.message, "hint": f.hint}


def _first_words(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


# --- markdown ------------------------------------------------------------------------------

_MARK = {"added": "➕", "edited": "✏️", "rescheduled": "🕒", "cancelled": "🚫", "retracted": "↩️", "removed": "🗑️"}


def markdown(view: dict) -> str:
    n = len(view["posts"])
    lines = [MARKER, f"## accord preview: {n} post{'s' if n != 1 else ''} changed since {_md(view['base'])} "
             f"({short(view['since'])})", ""]
    if not view["posts"] and not view["other_files"]:
        lines.append("Nothing accord reads changes.")
    for p in view["posts"]:
        lines += _post_md(p)
    if view["other_files"]:
        lines += ["### Other files", ""]
        for f in view["other_files"]:
            fields = f" ({', '.join(f['fields'])})" if f["fields"] and f["change"] == "edited" else ""
            lines.append(f"- `{_code(f['path'])}`: {f['kind']}, {f['change']}{fields}")
            lines += [f"  - {_finding_md(x)}" for x in f["findings"]]
        lines.append("")
    lines.append(approvals_view.markdown(view["approvals"], heading="###"))
    return "\n".join(lines)


def _post_md(p: dict) -> list[str]:
    fields = f" ({', '.join(p['fields'])})" if p["change"] == "edited" and p["fields"] else ""
    lines = [f"### {_MARK.get(p['change'], '')} {p['change']}{fields}: `{_code(p['id'])}`", "",
             f"Team {_md(p['team'])}, campaign `{_code(p['campaign'])}`.", ""]
    if p["dropped_accounts"]:
        lines += [f"No longer goes out on {', '.join(f'`{a}`' for a in p['dropped_accounts'])}.", ""]
    for t in p["targets"]:
        when = t["when"] if not t["before"] else f"~~{t['before']}~~ → {t['when']}"
        lines.append(f"**{t['network']} · {_md(t['handle'])} (`{t['account']}`)** · {when} · {t['status']}"
                     + (" · new account for this post" if t["new_target"] else ""))
        for i, part in enumerate(t["parts"]):
            limit = f"{part['length']}/{part['limit']}" if part["limit"] else f"{part['length']} characters"
            over = f" ⚠️ {part['over']} over the limit" if part["over"] else ""
            label = f"part {i + 1}: " if len(t["parts"]) > 1 else ""
            lines += ["", f"{label}{limit}{over}", *_fenced(part["text"])]
            lines += [f"- image: {_md(m['alt'])}" for m in part["media"]]
        if t["that_day"]:
            lines += ["", f"Also on `{t['account']}` that day:"]
            lines += [f"- {s['when']} `{_code(s['post'])}` ({_md(s['team'])}, {s['status']}): {_md(s['text'])}"
                      for s in t["that_day"]]
        lines.append("")
    if "text_before" in p:
        lines += ["<details><summary>Text before</summary>", "", *_fenced(p["text_before"]), "", "</details>", ""]
    if p["findings"]:
        lines += ["Findings:", *[f"- {_finding_md(x)}" for x in p["findings"]], ""]
    return lines


def _finding_md(f: dict) -> str:
    hint = f" ({_md(f['hint'])})" if f.get("hint") else ""
    return f"{f['level']}[{f['rule']}] line {f['line']}: {_md(f['message'])}{hint}"


def _fenced(text: str) -> list[str]:
    """Post text verbatim in a code fence longer than any run of backticks in it: people's text
    never becomes markdown or HTML in a comment."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


def _md(text) -> str:
    """People's words inline: no tag, link or emphasis of theirs takes effect."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", str(text))


def _code(text: str) -> str:
    return str(text).replace("`", "'")
