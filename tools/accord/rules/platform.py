"""What each network accepts: length as the network counts it, thread parts, media and alt text.

Lengths measure the final text of each target (compose.texts: the platform's variant, the link
UTM-tagged), so what is checked is what goes out. Every number comes from the network's LIMITS
(accord.platforms, with the account's own limits.max_chars); None there is no limit.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Callable

from .. import compose, platforms
from ..findings import Finding, Rule, did_you_mean
from ..model import Org, Post, Target, outside
from . import Reach, Reads

# Rules with refused=True find what the network would refuse (or the publisher cannot upload):
# an `allow` cannot make it go out, so none silences them.
READS = frozenset({Reads.FILES})
REACH = Reach.FILE
WANTED_ONLY = True

RULES = [
    Rule("platform.too-long", "error",
         "A part's final text (variant, UTM-tagged link) fits the network as it counts: X weighted "
         "(URLs 23, CJK and emoji 2) up to 280; Bluesky 300 graphemes and 3000 bytes; Mastodon 500 "
         "(URLs 23, @user@domain as @user); LinkedIn 3000.",
         "A Mastodon instance that allows more: limits.max_chars in the account file. Otherwise "
         "shorten the text or give the network its own text under variants.<platform>.", refused=True),
    Rule("platform.too-many-parts", "error",
         "A thread has no more parts than the network takes (LinkedIn has no threads).",
         "Give the network a one-part variant: variants: {linkedin: [text]}.", refused=True),
    Rule("platform.media-missing", "error", "Every media file exists next to the post.",
         "media[].path is relative to the post file, e.g. media/hero.png.", refused=True),
    Rule("platform.media-outside", "error",
         "Every media file is in the repository (links followed): the publisher uploads nothing from elsewhere.", refused=True),
    Rule("platform.media-special", "error", "Every media file is a regular file, not a device, pipe or socket.",
         refused=True),
    Rule("platform.media-count", "error",
         "A part has no more media than the network takes (X, Bluesky, Mastodon 4; LinkedIn 20), "
         "and a video or GIF goes alone where the network requires it.", refused=True),
    Rule("platform.media-type", "error",
         "Media are images (PNG, JPEG, WebP), GIFs or videos (MP4, MOV, WebM), recognised by "
         "their content, and of a kind the network takes.", refused=True),
    Rule("platform.media-size", "error",
         "Each media file is within the network's size limit for its kind (X images 5 MB; "
         "Bluesky images 1 MB; Mastodon images 16 MB; LinkedIn images 5 MB).", refused=True),
    Rule("platform.alt-missing", "error", "Every image has alt text for screen readers."),
    Rule("platform.alt-too-long", "error",
         "Alt text is within the network's limit (X 1000, Bluesky 2000, Mastodon 1500 characters).", refused=True),
]

# Leading bytes of the formats networks take, checked before the file name's extension.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image", "PNG"), (b"\xff\xd8\xff", "image", "JPEG"),
          (b"GIF87a", "gif", "GIF"), (b"GIF89a", "gif", "GIF"), (b"\x1a\x45\xdf\xa3", "video", "WebM"))
_EXTENSIONS = {".png": "image", ".jpg": "image", ".jpeg": "image", ".webp": "image", ".gif": "gif",
               ".mp4": "video", ".m4v": "video", ".mov": "video", ".webm": "video"}


def media_kind(path: Path) -> str | None:
    """'image', 'gif' or 'video' from the file's first bytes; None when it is none of them."""
    with open(path, "rb", buffering=0) as fh:  # (16 bytes need no buffer)
        head = fh.read(16)
    for magic, kind, _ in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp":  # ISO media: MP4, MOV, and HEIC/AVIF stills
        brand = head[8:12]
        return "image" if brand in (b"heic", b"heix", b"avif", b"mif1") else "video"
    return None


def check(org: Org, ctx) -> list[Finding]:
    out: list[Finding] = []
    files: dict = {}  # (post's folder, media path as written) -> (kind, size), None when missing
    counted: dict = {}  # (platform, final text) -> the network's count of it
    root = os.path.realpath(org.root)
    for post in org.posts.values():
        if post.status in ("cancelled", "retracted") or not ctx.wants(post.doc.rel):
            continue
        kinds = _media_files(post, out, files, root) if any(part.media for part in post.parts) else {}
        composed: dict = {}  # what compose.texts gives the post's targets, shared (_texts)
        for target in post.targets:
            _target(org, target, kinds, out, composed, counted)
    return out


def _media_files(post: Post, out: list[Finding], files: dict, root: str) -> dict[tuple, tuple[str | None, int]]:
    """Kind and size of each media file that exists, by its data path; findings for the rest.
    Posts of a campaign share images: each file is looked at once per run."""
    doc = post.doc
    folder = doc.rel.rpartition("/")[0]
    found = {}
    for part in post.parts:
        for m in part.media:
            if m.at in found:
                continue
            if not m.alt.strip():
                line, col = doc.pos(m.at + ("alt",))
                out.append(Finding(doc.rel, line, col, "error", "platform.alt-missing",
                                   f"{m.path} has no alt text; describe the image for people who cannot see it"))
            key = (folder, m.path)
            if key not in files:
                files[key] = _media_file(m.file(doc), root)
            known = files[key]
            if known in _REFUSED:
                rule, why = _REFUSED[known]
                line, col = doc.pos(m.at + ("path",))
                out.append(Finding(doc.rel, line, col, "error", rule, f"{m.path} {why}"))
                continue
            if known is None:
                line, col = doc.pos(m.at + ("path",))
                out.append(Finding(doc.rel, line, col, "error", "platform.media-missing",
                                   f"{m.path} does not exist next to this post",
                                   _did_you_mean_file(m.file(doc))))
                continue
            found[m.at] = known
            if known[0] is None:
                line, col = doc.pos(m.at + ("path",))
                out.append(Finding(doc.rel, line, col, "error", "platform.media-type",
                                   f"{m.path} is not an image (PNG, JPEG, WebP), GIF or video "
                                   f"(MP4, MOV, WebM) by its content"))
    return found


# What _media_file says of a file accord will not upload: the rule and why.
_REFUSED = {
    "outside": ("platform.media-outside", "is outside the repository; media files live in it (the publisher "
                                          "uploads nothing from anywhere else)"),
    "special": ("platform.media-special", "is not a regular file (a device, pipe or socket); media are image "
                                          "or video files"),
}


def _media_file(path: Path, root: str) -> tuple[str | None, int] | str | None:
    """Kind and size of a regular file in the repository; None when there is none, "outside"
    when it resolves (links followed) outside `root`, "special" for a device, pipe or socket."""
    if outside(path, root):
        return "outside"
    try:
        stat = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None
    if not S_ISREG(stat.st_mode):
        return None if S_ISDIR(stat.st_mode) else "special"
    return media_kind(path), stat.st_size


@lru_cache(maxsize=None)
def _length(platform: str) -> Callable[[str], int]:
    """The network's own counter."""
    return platforms.module(platform).length


def _did_you_mean_file(path: Path) -> str | None:
    if not path.parent.is_dir():
        return None
    return did_you_mean(path.name, sorted(p.name for p in path.parent.iterdir()))


def _text_at(post: Post, platform: str, i: int) -> tuple:
    """Data path of the text that part i of this platform's post comes from (as compose picks it)."""
    variant = post.variants.get(platform)
    if isinstance(variant, list):
        return ("variants", platform, i)
    if isinstance(variant, str) and i == 0:
        return ("variants", platform)
    return post.parts[i].at if i < len(post.parts) else ("variants", platform)


def _texts(org: Org, target: Target, composed: dict) -> list[str]:
    """compose.texts of the target, worked out once for the targets that post the same: the
    networks without a variant all get the post's parts, and the link is tagged alike for the
    accounts of one network unless the tags name the account."""
    post, platform = target.post, target.account.platform
    layout = platform if platform in post.variants else None
    written = composed.get(layout)
    if written is None:
        written = composed[layout] = compose.written(post, platform)
    if not post.link:
        return written
    tagged = compose.tag_link(post.link, org, target)
    texts = composed.get((layout, tagged))
    if texts is None:
        texts = composed[(layout, tagged)] = compose.with_link(written, post.link, tagged)
    return texts


def _target(org: Org, target: Target, kinds: dict, out: list[Finding], composed: dict, counted: dict) -> None:
    account, post = target.account, target.post
    limits = platforms.limits(account)
    if limits.takes_anything:
        return  # the outbox: no text to compose
    limit, max_parts, max_bytes, bound = limits.max_chars, limits.max_parts, limits.max_bytes, limits.length_bound
    name = limits.name
    doc = post.doc
    texts = _texts(org, target, composed)

    def at(path, rule, message, hint=None, key=False):
        line, col = doc.pos(path, key=key)
        out.append(Finding(doc.rel, line, col, "error", rule, message, hint))

    if max_parts is not None and len(texts) > max_parts:
        at(("thread",) if post.is_thread else ("variants", account.platform),
           "platform.too-many-parts",
           f"{name} takes {max_parts} part(s) per post; this post has {len(texts)} for {account.id}",
           hint=f"give {name} its own text: variants: {{{account.platform}: [text]}}", key=True)

    for i, text in enumerate(texts):
        if limit is not None and (bound is None or bound(text) > limit):
            n = counted.get((account.platform, text))
            if n is None:
                n = counted[(account.platform, text)] = _length(account.platform)(text)
            if n > limit:
                how = limits.counting
                which = f"part {i + 1} " if len(texts) > 1 else ""
                where = _text_at(post, account.platform, i)
                at(where, "platform.too-long",
                   f"{which}{name} counts {n} of {limit} ({n - limit} over{'; ' + how if how else ''})",
                   hint=f"shorten variants.{account.platform}" if where[0] == "variants" else
                   f"shorten it, or give {name} its own text: variants.{account.platform}")
        # UTF-8 takes at most 4 bytes a character
        if max_bytes is not None and len(text) * 4 > max_bytes:
            size = len(text.encode("utf-8"))
            if size > max_bytes:
                at(_text_at(post, account.platform, i), "platform.too-long",
                   f"{name} takes {max_bytes} bytes of UTF-8 text; this part is {size} ({size - max_bytes} over)")
    if limits.media_size is not None:
        for part in post.parts[: len(texts)]:
            if part.media:
                _media(limits, part, kinds, at)


def _media(limits: platforms.Limits, part, kinds: dict, at) -> None:
    name, sizes, max_media, alone = limits.name, limits.media_size, limits.max_media, limits.media_alone
    if max_media is not None and len(part.media) > max_media:
        at(part.media[max_media].at, "platform.media-count",
           f"{name} takes {max_media} media per post; this one has {len(part.media)}")
    known = [(m, kinds[m.at]) for m in part.media if m.at in kinds and kinds[m.at][0] is not None]
    for m, (kind, size) in known:
        if kind in alone and len(part.media) > 1:
            at(m.at, "platform.media-count", f"{name} takes a {kind} only on its own, without other media")
        if kind not in sizes:
            at(m.at + ("path",), "platform.media-type", f"{name} does not take {kind} media ({m.path})")
        elif size > sizes[kind]:
            at(m.at + ("path",), "platform.media-size",
               f"{m.path} is {_mb(size)}; {name} takes {kind}s up to {_mb(sizes[kind])}")
    max_alt = limits.max_alt
    if max_alt is not None:
        for m in part.media:
            if len(m.alt) > max_alt:
                at(m.at + ("alt",), "platform.alt-too-long",
                   f"alt text of {m.path} is {len(m.alt)} characters; {name} takes {max_alt} "
                   f"({len(m.alt) - max_alt} over)")


def _mb(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000} MB"
    return f"{size / (1024 * 1024):.1f} MB"
