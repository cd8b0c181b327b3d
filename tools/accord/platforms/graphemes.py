"""Extended grapheme clusters, as people count characters: Bluesky and Mastodon count them."""
from __future__ import annotations

import re
from functools import lru_cache

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
    """How many extended grapheme clusters `text` holds: a ZWJ family emoji is one."""
    # Of ASCII only CR joins (CR LF); the property test is slow, so it looks at the rest only.
    if "\r" not in text and (text.isascii() or not _patterns()[1].search("".join(_NON_ASCII.findall(text)))):
        return len(text)
    return len(_patterns()[0].findall(text))
