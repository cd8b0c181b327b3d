"""Near-identical posts: the same account saying the same thing twice within days (an error), or
two teams repeating each other (a warning naming the other post).

Texts are compared word by word after case, punctuation and links are set aside, with
difflib's ratio (one word changed in fifteen is 93% alike). Comparing every pair would be quadratic, so candidates come from an index first: texts
that alike share most of their three-word shingles, and (ordering shingles rarest first) any two
sets with a Jaccard similarity of a third or more share a shingle among the first two thirds of
each set (prefix filtering). The index is kept per window of days, so only posts close in time
meet; only those candidate pairs are compared in full.

Settings: policies/voice.yaml, duplicates: {days: 14, similarity: 0.9}.
"""
from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from ..findings import Finding, Rule
from ..model import Org, Post

DAYS = 14
SIMILARITY = 0.9
_CANDIDATE_JACCARD = 1 / 3  # candidates share at least this share of their distinct shingles
_SHINGLE = 3
_CANDIDATES = 25  # verified in full per post, most alike first
_BOILERPLATE = 20  # a shingle in more posts than this within the window is a stock phrase

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
    words: tuple  # the normalised words, compared in full
    shingles: list  # distinct three-word shingles, rarest first (after counting)
    bucket: int  # which window of days it falls in


def normalise(text: str) -> list[str]:
    return _WORD.findall(_URL.sub(" ", text.lower()))


def shingles(words: list[str]) -> list[str]:
    if len(words) <= _SHINGLE:
        return [" ".join(words)]
    return list({" ".join(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)})


def check(org: Org, ctx) -> list[Finding]:
    cfg = org.policy("voice").get("duplicates", {})
    window = max(cfg.get("days", DAYS) * 86400, 1)
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
                              " ".join(words), tuple(words), shingles(words), int(when.timestamp() // window)))
    freq: dict[str, int] = {}
    for e in entries:
        for s in e.shingles:
            freq[s] = freq.get(s, 0) + 1
    for e in entries:
        e.shingles.sort(key=lambda s: (freq[s], s))

    out: list[Finding] = []
    index: dict[tuple[str, int], list[int]] = {}  # (shingle, window bucket) -> entries
    exact: dict[tuple[str, int], list[int]] = {}  # (whole text, bucket) -> entries
    # Shorter sets first: a candidate's size bound then needs only a lower limit.
    order = sorted(range(len(entries)), key=lambda i: (len(entries[i].shingles), entries[i].post.id))
    for i in order:
        e = entries[i]
        size = len(e.shingles)
        prefix = size - math.ceil(_CANDIDATE_JACCARD * size) + 1
        shared: dict[int, int] = {}
        near = (e.bucket - 1, e.bucket, e.bucket + 1)  # anything within the window is in one of these
        for bucket in near:
            for j in exact.get((e.text, bucket), ()):
                shared[j] = size
        for s in e.shingles[:prefix]:
            for bucket in near:
                posting = index.get((s, bucket), ())
                if len(posting) > _BOILERPLATE:  # a stock phrase says nothing about which post
                    continue
                for j in posting:
                    shared[j] = shared.get(j, 0) + 1
            index.setdefault((s, e.bucket), []).append(i)
        exact.setdefault((e.text, e.bucket), []).append(i)
        found: dict[str, Finding] = {}
        mine = set(e.shingles)
        # The candidates sharing the most rare shingles first, and only the closest few: the
        # work per post stays bounded however formulaic the org's posts are.
        for j in heapq.nlargest(_CANDIDATES, shared, key=shared.__getitem__):
            other = entries[j]
            if len(other.shingles) < _CANDIDATE_JACCARD * size or \
                    abs((e.when - other.when).total_seconds()) > window:
                continue
            theirs = other.shingles
            both = len(mine.intersection(theirs))
            if both < _CANDIDATE_JACCARD * (size + len(theirs) - both):
                continue
            for f in _compare(e, other, threshold):
                found.setdefault(f.file + f.rule, f)  # the closest candidate comes first
            if len(found) == 2:
                break
        out.extend(found.values())
    return out


def _compare(a: _Entry, b: _Entry, threshold: float) -> list[Finding]:
    same_account = a.accounts & b.accounts
    if not same_account and a.post.team == b.post.team:
        return []
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
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
