"""Near-identical posts: the same account saying the same thing twice within days (an error), or
two teams repeating each other (a warning naming the other post).

Texts are compared word by word after case, punctuation and links are set aside, with difflib's
ratio (twice the matched words over both lengths: one word changed in fifteen is 93% alike).
Comparing every pair would be quadratic; instead each text is normalised once and:

- exact copies are found by lookup: the latest copy on each account, and per team, within the
  window;
- near copies come from a small index. Two texts at least `similarity` (s) alike share at least
  s·(a+b)/2 of their words (a, b: their lengths), so their lengths are within s/(2-s) of each
  other and a text of n words shares at least n·s/(2-s) of its words with any match. Ordering
  every text's words rarest first (across the org), two matches must then share _SHARED words
  among the first few of each (prefix filtering: 3 of the rarest 8 of 30 words at s = 0.9).
  Only those rare words are indexed, posts are swept in time order and the index forgets posts that fell out of the
  window, so a post meets only the recent posts that share one of its rarest words.
- the work per post is bounded: a word already indexed for more than _STOCK posts of the window
  is a stock phrase and finds no candidates (exact copies are still found); candidates are
  filtered by length and shared words, and at most _VERIFY of them, most alike first, are
  compared in full.

The finding is on the later post (one per rule, naming the closest earlier post). A narrowed run
(`accord check FILE`) only reports on the files it names, so only those look back, and a few of
them are compared directly with every post of their window.

Settings: policies/voice.yaml, duplicates: {days: 14, similarity: 0.9}.
"""
from __future__ import annotations

import math
import re
from collections import Counter, deque
from dataclasses import dataclass
from difflib import SequenceMatcher
from operator import itemgetter

from ..findings import Finding, Rule
from ..model import Org, Post

DAYS = 14
SIMILARITY = 0.9
_STOCK = 50  # a word indexed for more posts than this within the window finds no candidates
_VERIFY = 25  # posts compared in full per post, most alike first
_SHARED = 3  # rare words two matches share at least (fewer if the texts are very short)
_DIRECT = 16  # a narrowed run wanting up to this many posts compares them without the index

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
# In ASCII text \w is [A-Za-z0-9_]: every other byte becomes a space and the text is split, five
# times quicker than the regex; other text keeps the regex.
_ASCII_GAPS = bytes(b if chr(b).isascii() and (chr(b).isalnum() or b == 95) else 32 for b in range(256))
_SAME, _CROSS = "duplicates.same-account", "duplicates.cross-team"


@dataclass(slots=True, eq=False)
class _Entry:
    post: Post
    when: float  # first publish time (or now, for on_merge), as a timestamp
    order: tuple  # (when, post id): of two posts, the later has the larger
    accounts: frozenset
    words: tuple  # the normalised words, compared in full
    tokens: frozenset  # the words as a set, a repeated word numbered ("go", "go 1"): multiset overlap
    prefix: int  # how many of its rarest words are indexed
    need: int  # how many of those a match shares at least


def normalise(text: str) -> list[str]:
    text = text.lower()
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if text.isascii():
        return text.encode().translate(_ASCII_GAPS).decode().split()
    return _WORD.findall(text)


def _tokens(words: tuple) -> frozenset:
    distinct = frozenset(words)
    if len(distinct) == len(words):
        return distinct
    seen: set[str] = set()
    for w in words:
        k, token = 0, w
        while token in seen:  # words have no spaces, so "go 1" is no word
            k += 1
            token = f"{w} {k}"
        seen.add(token)
    return frozenset(seen)


def check(org: Org, ctx) -> list[Finding]:
    cfg = org.policy("voice").get("duplicates", {})
    window = max(cfg.get("days", DAYS) * 86400, 1)
    threshold = cfg.get("similarity", SIMILARITY)
    now = ctx.now.timestamp()
    timed = []  # (when, post) of every post that will go out
    for post in org.posts.values():
        if post.status != "ready" or not post.targets:
            continue
        times = [t.publish_at for t in post.targets if t.publish_at is not None]
        timed.append((min(times).timestamp() if times else now, post))  # on_merge: out when merged
    if ctx.only is not None:
        wanted = [(w, p) for w, p in timed if ctx.wants(p.doc.rel)]
        if len(wanted) <= _DIRECT:
            return _direct(wanted, timed, window, threshold)
    entries = [e for w, p in timed if (e := _entry(p, w, threshold)) is not None]
    return _sweep(entries, ctx, window, threshold)


def _entry(post: Post, when: float, threshold: float) -> _Entry | None:
    words = tuple(normalise(post.text))
    if not words:
        return None
    # A match shares at least `least` of the n words, so `need` of them among the rarest
    # n - least + need (the module docstring says why).
    least = math.ceil(len(words) * threshold / (2 - threshold) - 1e-9)
    need = min(_SHARED, least)
    return _Entry(post, when, (when, post.id), frozenset(t.account.id for t in post.targets), words,
                  _tokens(words), len(words) - least + need, need)




def _sweep(entries: list[_Entry], ctx, window: float, threshold: float) -> list[Finding]:
    freq = Counter()
    for e in entries:
        freq.update(e.tokens)
    rank = {token: i for i, (token, _) in enumerate(sorted(freq.items(), key=itemgetter(1, 0)))}
    # Tiny texts (a need under _SHARED) are rare: the shared-word count is compared with the
    # smallest need of all, and the pair's own need only then.
    floor = min((e.need for e in entries), default=_SHARED)
    entries.sort(key=lambda e: e.order)
    index: dict[int, deque] = {}  # rare word (its rank) -> posts of the window that have it among their rarest
    on_account: dict[tuple, _Entry] = {}  # (words, account) -> the latest post with that text there
    by_team: dict[tuple, dict] = {}  # words -> {team: its latest post with that text}, latest last
    out: list[Finding] = []
    for e in entries:
        horizon = e.when - window
        look = ctx.wants(e.post.doc.rel)  # the finding would be on e: only then does e look back
        candidates = set()
        teams = by_team.setdefault(e.words, {})
        if look:
            for a in e.accounts:
                c = on_account.get((e.words, a))
                if c is not None and c.when >= horizon:
                    candidates.add(c)
            for team in reversed(teams):  # the latest other team's copy is the closest
                if team != e.post.team:
                    if teams[team].when >= horizon:
                        candidates.add(teams[team])
                    break
        for a in e.accounts:
            on_account[e.words, a] = e
        teams.pop(e.post.team, None)
        teams[e.post.team] = e
        shared = Counter()
        for token in sorted(map(rank.__getitem__, e.tokens))[:e.prefix]:  # rarest first
            posting = index.get(token)
            if posting is None:
                index[token] = deque((e,))
                continue
            while posting and posting[0].when < horizon:
                posting.popleft()
            if look and len(posting) <= _STOCK:
                shared.update(posting)
            posting.append(e)
        met = [c for c, k in shared.items() if k >= floor]
        candidates.update(met if floor == e.need else (c for c in met if shared[c] >= min(e.need, c.need)))
        if candidates:
            out.extend(_earlier_matches(e, candidates, threshold))
    return out


def _direct(wanted: list[tuple], timed: list[tuple], window: float, threshold: float) -> list[Finding]:
    """Each wanted post against every earlier post of its window: no index, no frequencies."""
    made: dict[str, _Entry | None] = {}

    def entry(when, post):
        if post.id not in made:
            made[post.id] = _entry(post, when, threshold)
        return made[post.id]

    out: list[Finding] = []
    for when, post in wanted:
        e = entry(when, post)
        if e is None:
            continue
        earlier = (entry(w, p) for w, p in timed if when - window <= w and (w, p.id) < e.order)
        out.extend(_earlier_matches(e, [c for c in earlier if c is not None], threshold))
    return out


def _earlier_matches(e: _Entry, candidates, threshold: float) -> list[Finding]:
    """At most one finding per rule on e, naming the closest of the candidates that match."""
    n = len(e.words)
    alike = []
    for c in candidates:
        m = len(c.words)
        if 2 * (n if n < m else m) / (n + m) < threshold:
            continue  # difflib matches no more words than the shorter text has
        bound = 2 * len(e.tokens & c.tokens) / (n + m)  # nor more than the two texts share
        if bound < threshold:
            continue
        same = not e.accounts.isdisjoint(c.accounts)
        if same or c.post.team != e.post.team:  # one team on two of its accounts: not a duplicate
            alike.append((bound, c.order, same, c))
    alike.sort(key=itemgetter(0, 1), reverse=True)
    found: dict[str, Finding] = {}
    for _, _, same, c in alike[:_VERIFY]:
        rule = _SAME if same else _CROSS
        if rule in found:
            continue
        ratio = 1.0 if c.words == e.words else SequenceMatcher(None, e.words, c.words, autojunk=False).ratio()
        if ratio >= threshold:
            found[rule] = _finding(e, c, rule, ratio)
            if len(found) == 2:
                break
    return list(found.values())


def _finding(later: _Entry, earlier: _Entry, rule: str, ratio: float) -> Finding:
    apart = (later.when - earlier.when) / 86400
    gap = "the same day" if apart < 1 else f"{apart:.0f} day(s) apart"
    doc = later.post.doc
    line, col = doc.pos(later.post.parts[0].at)
    if rule == _SAME:
        return Finding(doc.rel, line, col, "error", rule,
                       f"nearly the same text ({ratio:.0%} alike) as {earlier.post.doc.rel} on "
                       f"{', '.join(sorted(later.accounts & earlier.accounts))}, {gap}; reword one or cancel it")
    return Finding(doc.rel, line, col, "warning", rule,
                   f"team {later.post.team} repeats team {earlier.post.team}'s post {earlier.post.id} "
                   f"({ratio:.0%} alike, {gap}); agree on one post")
