"""Near-identical posts: the same account saying the same thing twice within days (an error), or
two teams repeating each other (a warning naming the other post).

Texts are compared after case, spacing, punctuation and links are set aside, with difflib's
ratio. Comparing every pair would be quadratic, so candidates come from an index first: two texts
that alike share at least half their words, and (ordering words rarest first) any two sets with
a Jaccard similarity of one half or more share a word among the first half of each set's words
(prefix filtering). Only those pairs, within the window of days, are compared in full.

Settings: policies/voice.yaml, duplicates: {days: 14, similarity: 0.9}.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from ..findings import Finding, Rule
from ..model import Org, Post

DAYS = 14
SIMILARITY = 0.9
_CANDIDATE_JACCARD = 0.5  # candidates share at least this share of their distinct words

RULES = [
    Rule("duplicates.same-account", "error",
         "No two posts on one account are near-identical within the window (default 14 days); the "
         "finding is on the later post and names the earlier file.",
         "policies/voice.yaml: duplicates: {days: 14, similarity: 0.9} (similarity 0.5 to 1, after "
         "case, spacing, punctuation and links are set aside)."),
    Rule("duplicates.cross-team", "warning",
         "Two teams' posts (on any accounts) are not near-identical within the window; the finding "
         "is on the later post and names the other.",
         "policies/voice.yaml: duplicates: {days: 14, similarity: 0.9}."),
]

_URL = re.compile(r"https?://\S+|www\.\S+")
_WORD = re.compile(r"\w+")


@dataclass
class _Entry:
    post: Post
    when: datetime
    accounts: frozenset
    text: str  # normalised
    words: list  # distinct words, rarest first (after indexing)


def normalise(text: str) -> list[str]:
    return _WORD.findall(_URL.sub(" ", text.lower()))


def check(org: Org, ctx) -> list[Finding]:
    cfg = org.policy("voice").get("duplicates", {})
    window = cfg.get("days", DAYS) * 86400
    threshold = cfg.get("similarity", SIMILARITY)
    entries = []
    for post in org.posts.values():
        if post.status != "ready" or not post.targets:
            continue
        words = normalise(post.text)
        if not words:
            continue
        times = [t.publish_at for t in post.targets if t.publish_at is not None]
        when = min(times) if times else ctx.now  # on_merge: goes out when merged
        entries.append(_Entry(post, when, frozenset(t.account.id for t in post.targets),
                              " ".join(words), list(set(words))))
    freq: dict[str, int] = {}
    for e in entries:
        for w in e.words:
            freq[w] = freq.get(w, 0) + 1
    for e in entries:
        e.words.sort(key=lambda w: (freq[w], w))

    out: list[Finding] = []
    index: dict[str, list[int]] = {}
    # Shorter sets first: a candidate's size bound then needs only a lower limit.
    order = sorted(range(len(entries)), key=lambda i: (len(entries[i].words), entries[i].post.id))
    for i in order:
        e = entries[i]
        size = len(e.words)
        prefix = size - math.ceil(_CANDIDATE_JACCARD * size) + 1
        seen = set()
        for w in e.words[:prefix]:
            for j in index.get(w, ()):
                if j in seen:
                    continue
                seen.add(j)
                other = entries[j]
                if len(other.words) < _CANDIDATE_JACCARD * size:
                    continue
                if abs((e.when - other.when).total_seconds()) > window:
                    continue
                out.extend(_compare(e, other, threshold))
            index.setdefault(w, []).append(i)
    return out


def _compare(a: _Entry, b: _Entry, threshold: float) -> list[Finding]:
    same_account = a.accounts & b.accounts
    if not same_account and a.post.team == b.post.team:
        return []
    matcher = SequenceMatcher(None, a.text, b.text, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return []
    ratio = matcher.ratio()
    if ratio < threshold:
        return []
    later, earlier = (a, b) if (a.when, a.post.id) > (b.when, b.post.id) else (b, a)
    apart = abs((later.when - earlier.when).total_seconds()) / 86400
    gap = "the same day" if apart < 1 else f"{apart:.0f} day(s) apart"
    doc = later.post.doc
    line, col = doc.pos(later.post.parts[0].at)
    if same_account:
        return [Finding(doc.rel, line, col, "error", "duplicates.same-account",
                        f"nearly the same text ({ratio:.0%} alike) as {earlier.post.doc.rel} on "
                        f"{', '.join(sorted(same_account))}, {gap}; reword one or cancel it")]
    return [Finding(doc.rel, line, col, "warning", "duplicates.cross-team",
                    f"team {later.post.team} repeats team {earlier.post.team}'s post {earlier.post.id} "
                    f"({ratio:.0%} alike, {gap}); agree on one post")]
