"""One target as its network will show it: the final text of each part (the network's variant,
the link UTM-tagged, as compose.py makes it for the publisher), its length as the network counts
it against the account's limit, the media with their alt text, and the time in the account's zone.

The site's campaign pages and `accord preview` render the same data (templates/views/_post.html.j2).
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from functools import lru_cache

from .. import compose, platforms
from ..model import Org, Target, outside
from . import local_time


@dataclass(frozen=True)
class MediaPreview:
    alt: str
    path: str | None  # repository-relative; None when the file is missing or outside the repository


@dataclass(frozen=True)
class PartPreview:
    text: str
    length: int  # as the network counts it
    limit: int | None  # the account's limit (limits.max_chars), else the network's; None: no limit
    media: tuple[MediaPreview, ...]

    @property
    def over(self) -> int:
        """How far over the limit the text is (0 within it)."""
        return max(0, self.length - self.limit) if self.limit is not None else 0


@dataclass(frozen=True)
class PostPreview:
    key: str  # the target: <post id>@<account>
    post: str
    account: str
    handle: str
    platform: str
    network: str  # the network's name as people write it: X, Mastodon, Bluesky, LinkedIn, Outbox
    when: str  # local time in the account's zone, or 'on merge'
    parts: tuple[PartPreview, ...]
    reply_to: str | None
    quote: str | None

    @property
    def over(self) -> bool:
        return any(p.over for p in self.parts)

    def as_data(self) -> dict:
        return {**asdict(self), "parts": [{**asdict(p), "over": p.over} for p in self.parts]}


@lru_cache(maxsize=None)
def network(platform: str):
    """The network's module (its NAME, MAX_CHARS and length counter)."""
    return platforms.module(platform)


def preview(org: Org, target: Target) -> PostPreview:
    account = target.account
    net = network(account.platform)
    limit = account.limits.get("max_chars") or getattr(net, "MAX_CHARS", None)
    real_root = os.path.realpath(org.root)
    parts = tuple(
        PartPreview(part.text, net.length(part.text), limit,
                    tuple(MediaPreview(m.alt, _shown(str(m.path), real_root)) for m in part.media))
        for part in compose.parts(org, target))
    return PostPreview(target.key, target.post.id, account.id, account.handle, account.platform,
                       getattr(net, "NAME", account.platform.capitalize()),
                       local_time(target.publish_at, account.timezone), parts,
                       target.post.reply_to, target.post.quote)


@lru_cache(maxsize=4096)  # the targets of a post, and the posts of a campaign, share their media
def _shown(path: str, real_root: str) -> str | None:
    """The media file's path in the repository, when it is a file there: nothing from outside
    the repository is ever read or shown."""
    if outside(path, real_root) or not os.path.isfile(path):
        return None
    return os.path.relpath(os.path.realpath(path), real_root).replace(os.sep, "/")
