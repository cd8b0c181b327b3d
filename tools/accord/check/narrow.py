"""Which posts `accord check FILE` builds: the posts named, and every post a finding on them
depends on, as far as each rule family says it reaches across posts (rules.Reach): the same
findings on the named files as a full run, from a few hundred posts of ten thousand."""
from __future__ import annotations

import math
from bisect import bisect_left
from operator import itemgetter

from ..alike import could_match, normalise
from ..layout import classify, post_id
from ..model import SOURCE, text_of
from ..rules import FAMILIES, Reach, duplicates, family, schedule
from ..yamldoc import Doc
from .cache import Parsed


def needed(posts: list[tuple[str, Parsed]], only: frozenset[str], policies: dict[str, Doc],
            accounts_read: list[tuple[str, Parsed]]) -> list | None:
    """The posts a narrowed run builds to report on `only` exactly what a full run reports there,
    in file order (`posts` is); None when the facts cannot tell (then all). Teams, accounts and
    policies are always built, and the campaigns of the posts built. Besides the posts named,
    the rule families look at:
    - ready posts on an account a named post goes to, going out within that account's minimum
      gap (or a day, if longer) of a named ready post: schedule compares neighbours in time and
      counts each day's posts per account, across teams;
    - ready posts going out up to the duplicates window before a named ready post, or soon after,
      on any account, whose text may be alike enough by its sketch (alike.could_match: the
      family itself would skip the others unread);
    - ready posts with no day their publish_at is written on: an on_merge post stands at the
      current time in duplicates;
    - the post each post built translates, and so on: translations looks it up (and when a named
      post's source is missing, suggests the closest id among all posts: see `_unresolved`).
    Times are compared by the day publish_at is written on, with 4 days of slack, since an offset,
    a zone or the account's zone moves the instant by up to two days from that day (several named
    posts: the span from the first one's window to the last one's). A named ready post that has
    no such day itself may stand at the current time, which loading does not know, and a named file
    that is not a post (a ledger record) is compared with every post: then all."""
    reaches = {family(name).REACH for name in FAMILIES}
    if Reach.ALL in reaches or any(classify(rel) != "post" for rel in only):
        return None
    alike_within = Reach.DUPLICATES_WINDOW in reaches
    same_accounts = Reach.ACCOUNT_WINDOW in reaches
    window = duplicates.window(policies) if alike_within else (0, 1.0)
    if window is None:
        return None
    days, similarity = window
    named = {f for rel in only for f in _files(post_id(rel))}  # x.yaml and x.yml are one post id
    accounts: set[str] = set()
    named_days, named_words = [], []
    for _, p in _lookup(posts, named):
        if p.facts is None:
            return None
        ids, ready, day, _, _ = p.facts
        accounts.update(ids)
        if ready:
            if day is None:
                return None
            named_days.append(day)
            text = text_of(p.doc.data)
            named_words.append(normalise(text) if text is not None else [])
    gap = schedule.gap_days(accounts, accounts_read, policies) if same_accounts else 0
    if not named_days or not (alike_within or same_accounts):
        first = last = near = far = None
    else:  # the spans of days duplicates and schedule look at around the named posts
        first, last = min(named_days) - max(days, 0) - 4, max(named_days) + 4
        near, far = (min(named_days) - gap - 4, max(named_days) + gap + 4) if gap is not None else (-math.inf, math.inf)
    out = []
    for rel, p in posts:
        if rel in named or p.facts is None:
            out.append((rel, p))
            continue
        its_accounts, ready, day, _, its_sketch = p.facts
        if not ready or first is None:
            continue
        if day is None or (same_accounts and near <= day <= far and not accounts.isdisjoint(its_accounts)) or (
                alike_within and first <= day <= last
                and (its_sketch is None or any(could_match(w, its_sketch, similarity) for w in named_words))):
            out.append((rel, p))
    chosen = {rel for rel, _ in out}
    new = out
    while new and Reach.TRANSLATIONS in reaches:  # the sources of the posts just chosen
        sources = {f for _, p in new if p.facts and (source := p.facts[SOURCE]) for f in _files(source)}
        new = [(rel, p) for rel, p in _lookup(posts, sources) if rel not in chosen]
        chosen.update(rel for rel, _ in new)
        out.extend(new)
    return sorted(out, key=itemgetter(0))


def _files(pid: str) -> tuple[str, str]:
    return f"content/{pid}.yaml", f"content/{pid}.yml"


def _lookup(posts: list[tuple[str, Parsed]], rels) -> list[tuple[str, Parsed]]:
    """The entries of these files among `posts` (sorted by path)."""
    found = []
    for rel in rels:
        i = bisect_left(posts, rel, key=itemgetter(0))
        if i < len(posts) and posts[i][0] == rel:
            found.append(posts[i])
    return found
