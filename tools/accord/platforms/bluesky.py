"""Bluesky: the length Bluesky counts (graphemes and bytes) and its media limits.

Publishing through atproto comes later in this module."""
from __future__ import annotations

import re
from functools import lru_cache

NAME = "Bluesky"
MAX_CHARS = 300  # extended grapheme clusters: a ZWJ family emoji is one
MAX_BYTES = 3000  # UTF-8 bytes of the post record's text
COUNTING = "graphemes: an emoji sequence counts 1"

MAX_MEDIA = 4
# Bytes per kind (app.bsky.embed.images takes blobs up to 1,000,000 bytes; video embeds 100 MB).
MEDIA_SIZE = {"image": 1_000_000, "gif": 1_000_000, "video": 100_000_000}
MEDIA_ALONE = ("video",)  # a post embeds images or one video, not both
MAX_ALT = 2000

# Characters that can join their neighbour into one grapheme (UAX #29: combining marks,
# ZWJ, prepended and spacing marks, Hangul jamo and syllables, flag letters). A text without any
# is one grapheme per character, which most texts are.
_JOINING = "[" + "".join(f"\\p{{Grapheme_Cluster_Break={kind}}}" for kind in (
    "Extend", "ZWJ", "SpacingMark", "Prepend", "L", "V", "T", "LV", "LVT", "Regional_Indicator")) + "]"
_NON_ASCII = re.compile("[^\x00-\x7f]")


@lru_cache(maxsize=None)
def _patterns():
    """(graphemes, joining characters): compiled when a text beyond ASCII first needs them (the
    `regex` module takes 10 ms to import)."""
    import regex

    return regex.compile(r"\X"), regex.compile(_JOINING)


def graphemes(text: str) -> int:
    """Extended grapheme clusters, as people count characters (Mastodon counts them too)."""
    # Of ASCII only CR joins (CR LF); the property test is slow, so it looks at the rest only.
    if "\r" not in text and (text.isascii() or not _patterns()[1].search("".join(_NON_ASCII.findall(text)))):
        return len(text)
    return len(_patterns()[0].findall(text))


def length(text: str) -> int:
    return graphemes(text)


def length_bound(text: str) -> int:
    """At least length(text): a grapheme holds one character or more."""
    return len(text)
