"""The issue `accord notify --github` keeps for each target that needs a person (failed, unknown,
missed, blocked): who is asked (the owning teams' GitHub teams), why, and the exact command that
settles it. Data from a State, then markdown; the hidden first line finds the issue again."""
from __future__ import annotations

import shlex
from dataclasses import dataclass

from ..state import State, TargetState
from . import local_time

LABEL = "accord"


@dataclass(frozen=True)
class Issue:
    key: str  # the target: <post id>@<account>
    title: str
    body: str

    @property
    def marker(self) -> str:
        return marker(self.key)


def marker(key: str) -> str:
    return f"<!-- accord:target {key} -->"


def key_of(body: str) -> str | None:
    """The target an issue accord opened is about, from its hidden first line."""
    first = (body or "").split("\n", 1)[0].strip()
    head, tail = "<!-- accord:target ", " -->"
    return first[len(head):-len(tail)] if first.startswith(head) and first.endswith(tail) else None


def stuck(state: State, needs: tuple[str, ...]) -> list[Issue]:
    return [_issue(state, s) for s in state.targets() if s.status in needs]


def _issue(state: State, s: TargetState) -> Issue:
    target, org = s.target, state.org
    post, account = target.post, target.account
    teams = sorted({post.team, account.team})
    mentions = " ".join(f"@{org.teams[t].github_team}" for t in teams if t in org.teams)
    resolve = f"accord resolve {shlex.quote(post.id)} --account {shlex.quote(account.id)}"
    what = {
        "unknown": "accord could not tell whether the network took this post, and never retries blind. "
                   "Look at the account, then record what you found:",
        "failed": "The network refused this post. Change the post (a changed post is due again), or, "
                  "should it have gone out by other means, record that:",
        "missed": "This post was due longer ago than the publisher's max lateness, so it was not posted "
                  "stale. Give it a new publish_at, or record what happened:",
        "blocked": "The check finds errors in this post, so the publisher holds it back. Fix them "
                   "(`accord check`); it is due again once they are gone.",
    }.get(s.status, f"This target is {s.status}.")
    lines = [marker(s.key), f"**{post.id}** on **{account.id}** ({account.platform}) is **{s.status}**.", "",
             f"{mentions}: {what}" if mentions else what, ""]
    if s.status != "blocked":
        lines += ["```sh", f"{resolve} --posted URL --reason 'posted by hand'",
                  f"{resolve} --not-posted --reason 'what happened'", "```", ""]
    lines += [f"- file: `content/{post.id}.yaml`",
              f"- due: {local_time(target.publish_at, account.timezone)}",
              f"- reason: `{(s.detail or 'none recorded').replace('`', chr(39))}`",
              "", "accord closes this issue once the ledger says the target is done."]
    return Issue(s.key, f"accord: {post.id} on {account.id} is {s.status}", "\n".join(lines) + "\n")
