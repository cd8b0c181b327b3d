"""A translation says which text it translated, so it is flagged when the source changes later.

`translation_of: {post: <id>, source_hash: <hash>}`: the hash is the source's text hash as
accord prints it; a regional team copies it when it translates, and updates it when it catches up.
"""
from __future__ import annotations

from ..findings import Finding, Rule, did_you_mean
from ..model import Org
from . import Reach, Reads

READS = frozenset({Reads.FILES})
REACH = Reach.TRANSLATIONS
WANTED_ONLY = True

RULES = [
    Rule("translations.source", "error", "translation_of.post names an existing post (its id: path under content/ "
         ".yaml), and translations do not come back round to the post they start from (A of B, B of A)."),
    Rule("translations.hash-missing", "notice",
         "A translation records the hash of the source text it translated, so a later change shows.",
         "translation_of.source_hash: the value the finding gives."),
    Rule("translations.stale", "warning",
         "The source text changed since the translation was made.",
         "Update the translation, then set translation_of.source_hash to the hash the finding gives."),
]


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    for post in org.posts.values():
        ref = post.translation_of
        if not ref or post.status in ("cancelled", "retracted") or not ctx.wants(post.doc.rel):
            continue
        doc = post.doc
        source = org.posts.get(ref.get("post"))
        if source is None or source is post:
            line, col = doc.pos(("translation_of", "post"))
            why = "a post cannot translate itself" if source is post else f"no post '{ref.get('post')}'"
            out.append(Finding(doc.rel, line, col, "error", "translations.source",
                               f"{why}: translation_of.post is a post id, its path under content/ without .yaml",
                               did_you_mean(ref.get("post"), org.posts) if source is None else None))
            continue
        circle = _circle(org, post)
        if circle:
            line, col = doc.pos(("translation_of", "post"))
            out.append(Finding(doc.rel, line, col, "error", "translations.source",
                               f"translations go round in a circle ({' -> '.join(circle)}): one of these posts is "
                               f"the source and translates none of them",
                               "remove translation_of from the post written first"))
            continue
        current = source.text_hash()
        recorded = ref.get("source_hash")
        if recorded is None:
            line, col = doc.pos(("translation_of",), key=True)
            out.append(Finding(doc.rel, line, col, "notice", "translations.hash-missing",
                               f"this translation does not record which text of {source.id} it translated",
                               f"add source_hash: {current} under translation_of"))
        elif str(recorded) != current:
            line, col = doc.pos(("translation_of", "source_hash"))
            out.append(Finding(doc.rel, line, col, "warning", "translations.stale",
                               f"stale translation: the source text changed since (content/{source.id}.yaml)",
                               f"update the translation, then set source_hash: {current}"))
    return out


def _circle(org: Org, post) -> list[str]:
    """The post ids from `post` round to itself along translation_of, when it comes back."""
    path, seen, at = [post.id], {post.id}, post
    while at.translation_of and (nxt := org.posts.get(at.translation_of.get("post"))) is not None:
        path.append(nxt.id)
        if nxt is post:
            return path
        if nxt.id in seen:  # a circle further along, not through this post
            return []
        seen.add(nxt.id)
        at = nxt
    return []
