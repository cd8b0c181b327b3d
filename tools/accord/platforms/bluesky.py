"""Bluesky: the length Bluesky counts (graphemes and bytes) and its media limits.

Publishing through atproto comes later in this module."""
from __future__ import annotations

import regex

NAME = "Bluesky"
MAX_CHARS = 300  # extended grapheme clusters: a ZWJ family emoji is one
MAX_BYTES = 3000  # UTF-8 bytes of the post record's text
COUNTING = "graphemes: an emoji sequence counts 1"

MAX_MEDIA = 4
# Bytes per kind (app.bsky.embed.images takes blobs up to 1,000,000 bytes; video embeds 100 MB).
MEDIA_SIZE = {"image": 1_000_000, "gif": 1_000_000, "video": 100_000_000}
MEDIA_ALONE = ("video",)  # a post embeds images or one video, not both
MAX_ALT = 2000

_GRAPHEME = regex.compile(r"\X")


def length(text: str) -> int:
    return len(_GRAPHEME.findall(text))
