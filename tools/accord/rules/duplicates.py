"""Near-identical posts: the same account saying the same thing twice within days (an error), or
two teams repeating each other (a warning naming the other post).

Texts are compared word by word after case, punctuation and links are set aside, with difflib's
ratio (twice the matched words over both lengths: one word changed in fifteen is 93% alike).
Comparing every pair would be quadratic; instead each text is normalised once and near copies
come from an exact index, swept in time order so that a post meets only the posts of its window:

- two texts at least `similarity` (s) alike differ in at most D = (1-s)·(n+m) words (n, m: their
  lengths, repeated words counted) and their lengths are within (2-s)/s of each other;
- every word is hashed into one of B groups, B a power of two above the D of the longer text's
  length (_MARGIN more), and each non-empty group is indexed by the sum of its words' hashes. A
  changed word changes one group, so a match has at least B - D groups identical: counting the
  keys a post shares with the posts of its window finds every match, and few others. A text is
  indexed in the grouping of its own length and in those of the longer texts it may match (the
  coarser groupings are sums of the finer ones);
- a group key that many posts of the window share is skipped while enough remain (a match then
  needs one key fewer among the rest), and a text with too few groups for a guarantee (a very
  short one, or a low similarity) meets every post of its grouping in the window;
- candidates are filtered by length and shared words, and at most _VERIFY of them, most alike
  first, are compared in full.

The finding is on the later post (one per rule, naming the closest earlier post). A narrowed run
(`accord check FILE`) only reports on the files it names, so only those look back, and a few of
them are compared directly with every post of their window.

Settings: policies/voice.yaml, duplicates: {days: 14, similarity: 0.9}.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from ..alike import bits, normalise
from ..findings import Finding, Rule
from ..model import Org, Post
from ..yamldoc import Doc
from . import Reach, Reads

DAYS = 14
SIMILARITY = 0.9
_VERIFY = 25  # posts compared in full per post, most alike first
_MARGIN = 5  # groups beyond the words two matches may differ in (more: smaller groups, surer candidates)
_STOCK = 4  # a group key of more posts than this is skipped while a match needs over _KEEP keys
_KEEP = 2
_SPREAD, _GROUP = 1 << 80, 1 << 20  # a group key: its grouping size and number above its sum
_DIRECT = 16  # a narrowed run wanting up to this many posts compares them without the index

READS = frozenset({Reads.FILES, Reads.CLOCK})
REACH = Reach.DUPLICATES_WINDOW
WANTED_ONLY = True

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

_SAME, _CROSS = "duplicates.same-account", "duplicates.cross-team"


@dataclass(slots=True, eq=False)
class _Entry:
    id: str  # the post's
    team: str
    when: float  # first publish time (or now, for on_merge), as a timestamp
    order: tuple  # (when, post id): of two posts, the later has the larger
    accounts: frozenset
    words: tuple  # the normalised words, compared in full
    look: bool  # whether findings on this post are wanted: only then does it look back
    tokens: frozenset | None = None  # made when first compared: see _tokens


def _tokens(e: _Entry) -> frozenset:
    """The words as a set, a repeated word numbered ("go", "go 1"): their overlap is the multiset's."""
    if e.tokens is None:
        distinct = frozenset(e.words)
        if len(distinct) < len(e.words):
            seen: set[str] = set()
            for w in e.words:
                k, token = 0, w
                while token in seen:  # words have no spaces, so "go 1" is no word
                    k += 1
                    token = f"{w} {k}"
                seen.add(token)
            distinct = frozenset(seen)
        e.tokens = distinct
    return e.tokens


def window(policies: dict[str, Doc]) -> tuple[int, float] | None:
    """How far this family looks around a post (see check/narrow.py): the days and similarity
    policies/voice.yaml sets (or the defaults), None when they cannot be read."""
    alike = policies["voice"].data.get("duplicates", {}) if "voice" in policies else {}
    if not isinstance(alike, dict):
        return None
    days, similarity = alike.get("days", DAYS), alike.get("similarity", SIMILARITY)
    if type(days) is not int or type(similarity) not in (int, float):
        return None
    return days, similarity


def check(org: Org, ctx) -> list[Finding]:
    records, window, threshold, _ = work = job(org, ctx)
    if ctx.only is not None:
        wanted = [r for r in records if r[-1]]
        if len(wanted) <= _DIRECT:
            return found(org, _direct(wanted, records, window, threshold))
    sketches, matches = sweep(*work)
    org.keep_sketches(sketches or {})
    return found(org, matches)


def job(org: Org, ctx) -> tuple[list[tuple], float, float, bool]:
    """What `sweep` is given: (records, window, threshold, whether to sketch each text for the
    parse cache: see model.read_all), plain data a forked child can be sent. A record: (when,
    post id, team, account ids, text, whether findings on it are wanted)."""
    cfg = org.policy("voice").get("duplicates", {})
    window = max(cfg.get("days", DAYS) * 86400, 1)
    threshold = cfg.get("similarity", SIMILARITY)
    now = ctx.now.timestamp()
    only = ctx.only
    records = []
    fixed = []  # the times of the posts not going out on merge
    for post in org.posts.values():
        targets = post.targets
        if post.status != "ready" or not targets:
            continue
        times = [t.publish_at for t in targets if t.publish_at is not None]
        when = min(times).timestamp() if times else now  # on_merge: out when merged
        if not post.on_merge:
            fixed.append(when)
        records.append((when, post.id, post.team, [t.account.id for t in targets], post.text,
                        only is None or post.doc.rel in only))
    if len(fixed) < len(records):
        _clock(fixed, now, window, ctx)
    return records, window, threshold, org.sketches is not None


def found(org: Org, matches: list[tuple]) -> list[Finding]:
    """The findings of the matches `sweep` gave: (later post id, earlier post id, rule, ratio,
    when the later goes out, when the earlier)."""
    return [_finding(org.posts[later], org.posts[earlier], *rest) for later, earlier, *rest in matches]


def _clock(fixed: list[float], now: float, window: float, ctx) -> None:
    """An on_merge post stands at `now`: which posts share its window moves with the clock, at
    the instants each fixed post's window starts, it goes out and its window ends. Only the
    nearest of them before and after now count."""
    fixed.sort()
    for d in (-window, 0.0, window):
        i = bisect_right(fixed, now - d)  # fixed[:i] + d are at or before now
        ctx.turns_at(*(w + d for w in fixed[max(i - 1, 0):i + 1]))


def _entry(record: tuple, words: tuple | None = None) -> _Entry | None:
    """The entry of a record (see `job`), its text's words given when they were made already."""
    when, pid, team, accounts, text, look = record
    words = tuple(normalise(text)) if words is None else words
    if not words:
        return None
    return _Entry(pid, team, when, (when, pid), frozenset(accounts), words, look)


def _groups(length: int, threshold: float) -> int:
    """How many groups the words of a pair whose longer text has `length` words are hashed into: a
    power of two (so coarser groupings are sums of finer ones) above the words they may differ in."""
    return 1 << (math.floor(2 * (1 - threshold) * length + 1e-9) + _MARGIN - 1).bit_length()


def sweep(records: list[tuple], window: float, threshold: float, sketching: bool) -> Iterator:
    """Yields, with `sketching`, each post's sketch (by id; see `sketch`; else None), which the
    parse cache waits for; then the matches among these posts (see `job`), each (later post id,
    earlier post id, rule, ratio, when each goes out). Plain data, so that a forked child can do this and send them
    back as they come."""
    made = [tuple(normalise(r[4])) for r in records]
    yield {r[1]: (len(words), bits(words)) for r, words in zip(records, made, strict=True)} if sketching else None
    entries = [e for r, words in zip(records, made, strict=True) if (e := _entry(r, words)) is not None]
    stretch = (2 - threshold) / threshold  # a match of n words has at most n·stretch
    entries.sort(key=lambda e: e.order)
    longest = {}  # groups -> the longest text hashed into that many
    for m in range(1, math.floor(max((len(e.words) for e in entries), default=0) * stretch + 1e-9) + 1):
        longest[_groups(m, threshold)] = m
    # An empty group (sum 0) is not indexed; the others are keyed by sum, grouping size and number.
    offsets = {size: [(size * _GROUP + g) * _SPREAD for g in range(size)] for size in longest}
    # group key -> the post with that key, or the posts (a list, in time order): most keys have one
    # post, and fewer lists keep the garbage collector quiet. A post is at home in the grouping of
    # its own length, a guest in those of the longer texts it may match; (groups, at home) -> all.
    home: dict[int, list] = {}
    guest: dict[int, list] = {}
    everyone: dict[tuple, list] = {}
    tidy = entries[0].when + window if entries else 0
    out: list[tuple] = []
    for e in entries:
        horizon = e.when - window
        if e.when > tidy:  # once a window, forget the keys no post of the window has
            for pool in home, guest:
                for k in [k for k, p in pool.items() if (p[-1] if type(p) is list else p).when < horizon]:
                    del pool[k]
            tidy = e.when + window
        n = len(e.words)
        most = math.floor(n * stretch + 1e-9)
        own, top = _groups(n, threshold), _groups(most, threshold)
        sums = [0] * top
        mask = top - 1
        for h in map(hash, e.words):
            sums[h & mask] += h
        look = e.look  # the finding would be on e: only then does e look back
        candidates = set()
        size = top
        while True:
            at_home = size == own
            keys = [s + o for s, o in zip(sums, offsets[size], strict=True) if s]
            if look:
                pools = (home, guest) if at_home else (home,)
                # A match (of at most `longest[size]` words here) differs from e in `differ` words at
                # most, so has at least `need` of e's keyed groups identical.
                differ = math.floor((1 - threshold) * (n + min(most, longest[size])) + 1e-9)
                need = len(keys) - differ
                found = [pool[k] for pool in pools for k in pool.keys() & keys]
                postings = sorted((p if type(p) is list else (p,) for p in found), key=len)
                while need > _KEEP and postings and len(postings[-1]) > _STOCK:
                    postings.pop()  # a stock group: a match may share it, and needs one fewer of the rest
                    need -= 1
                if need <= 0:
                    postings = [everyone.get((size, True), ())]
                    if at_home:
                        postings.append(everyone.get((size, False), ()))
                count: dict = {}
                for posting in postings:
                    for c in reversed(posting):
                        if c.when < horizon:
                            break
                        count[c] = count.get(c, 0) + 1
                candidates.update(c for c, k in count.items() if k >= need)
            pool = home if at_home else guest
            for k in keys:
                posting = pool.get(k)
                if posting is None:
                    pool[k] = e
                elif type(posting) is not list:
                    pool[k] = [posting, e]
                else:
                    posting.append(e)
                    if len(posting) > _STOCK and posting[0].when < horizon:  # keep its length the window's
                        gone = 1
                        while posting[gone].when < horizon:
                            gone += 1
                        del posting[:gone]
            everyone.setdefault((size, at_home), []).append(e)
            if at_home:
                break
            size //= 2
            sums = [a + b for a, b in zip(sums[:size], sums[size:], strict=True)]
        if candidates:
            out.extend(_earlier_matches(e, candidates, threshold))
    yield out


def _direct(wanted: list[tuple], records: list[tuple], window: float, threshold: float) -> list[tuple]:
    """Each wanted post against every earlier post of its window: no index, no frequencies."""
    made: dict[str, _Entry | None] = {}

    def entry(record):
        if record[1] not in made:
            made[record[1]] = _entry(record)
        return made[record[1]]

    out: list[tuple] = []
    for record in wanted:
        e = entry(record)
        if e is None:
            continue
        earlier = (entry(r) for r in records if e.when - window <= r[0] and (r[0], r[1]) < e.order)
        out.extend(_earlier_matches(e, [c for c in earlier if c is not None], threshold))
    return out


def _earlier_matches(e: _Entry, candidates, threshold: float) -> list[tuple]:
    """At most one match per rule for e, the closest of the candidates that match."""
    n = len(e.words)
    alike = []
    for c in candidates:
        m = len(c.words)
        if 2 * (n if n < m else m) / (n + m) < threshold:
            continue  # difflib matches no more words than the shorter text has
        bound = 2 * len(_tokens(e) & _tokens(c)) / (n + m)  # nor more than the two texts share
        if bound < threshold:
            continue
        same = not e.accounts.isdisjoint(c.accounts)
        if same or c.team != e.team:  # one team on two of its accounts: not a duplicate
            alike.append((bound, c.order, same, c))
    alike.sort(key=itemgetter(0, 1), reverse=True)
    if alike:
        from difflib import SequenceMatcher  # seldom needed: not imported by every run
    matched: dict[str, tuple] = {}
    for _, _, same, c in alike[:_VERIFY]:
        rule = _SAME if same else _CROSS
        if rule in matched:
            continue
        ratio = 1.0 if c.words == e.words else SequenceMatcher(None, e.words, c.words, autojunk=False).ratio()
        if ratio >= threshold:
            matched[rule] = (e.id, c.id, rule, ratio, e.when, c.when)
            if len(matched) == 2:
                break
    return list(matched.values())


def _finding(later: Post, earlier: Post, rule: str, ratio: float, later_when: float,
             earlier_when: float) -> Finding:
    apart = (later_when - earlier_when) / 86400
    if later.on_merge or earlier.on_merge:
        gap = "one of them going out on merge"  # stands at the current time: no fixed distance
    else:
        gap = "the same day" if apart < 1 else f"{apart:.0f} day(s) apart"
    doc = later.doc
    line, col = doc.pos(later.parts[0].at)
    if rule == _SAME:
        shared = {t.account.id for t in later.targets} & {t.account.id for t in earlier.targets}
        return Finding(doc.rel, line, col, "error", rule,
                       f"nearly the same text ({ratio:.0%} alike) as {earlier.doc.rel} on "
                       f"{', '.join(sorted(shared))}, {gap}; reword one or cancel it")
    return Finding(doc.rel, line, col, "warning", rule,
                   f"team {later.team} repeats team {earlier.team}'s post {earlier.id} "
                   f"({ratio:.0%} alike, {gap}); agree on one post")
