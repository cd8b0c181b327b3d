"""How alike two posts' texts may be, told cheaply: the words a text is compared by (case,
punctuation and links set aside), and a sketch of them small enough for the parse cache to keep
for every post, by which a narrowed run (check/narrow.py) and the duplicates family rule out
posts that cannot be alike enough without reading them."""
from __future__ import annotations

import re
import zlib
from functools import reduce
from operator import or_

_URL = re.compile(r"https?://\S+|www\.\S+")
_WORD = re.compile(r"\w+")
# In ASCII text \w is [A-Za-z0-9_]: every other byte becomes a space and the text is split, five
# times quicker than the regex; other text keeps the regex.
_ASCII_GAPS = bytes(b if chr(b).isascii() and (chr(b).isalnum() or b == 95) else 32 for b in range(256))


def normalise(text: str) -> list[str]:
    text = text.lower()
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if text.isascii():
        return text.encode().translate(_ASCII_GAPS).decode().split()
    return _WORD.findall(text)


# What a narrowed load (check/narrow.py) knows of a post it has not decoded: its text's number of
# words and one bit of 128 per word (a hash stable across runs: the parse cache keeps it).
class _Bits(dict):
    """word -> its bit, worked out once per word (a full parse sketches every post)."""

    def __missing__(self, word: str) -> int:
        bit = self[word] = 1 << (zlib.crc32(word.encode()) & 127)
        return bit


_bit_of = _Bits()


def sketch(text: str) -> tuple[int, int]:
    """(words, bits) of a text: see `could_match`."""
    words = normalise(text)
    return len(words), bits(words)


def bits(words) -> int:
    return reduce(or_, map(_bit_of.__getitem__, set(words)), 0)


def could_match(words: list[str], other: tuple[int, int], threshold: float) -> bool:
    """Whether a text of these (normalised) words may be `threshold` alike with the text `other`
    sketches. A word whose bit the other text lacks is not in it, and the ratio counts no more
    words than the shorter text has, nor than the two share: this is the bound the duplicates
    family screens candidates by, never below it, so a post it rules out is one that would be skipped."""
    n, (m, others) = len(words), other
    if not n or not m:
        return False  # a text without words is compared with none
    absent = sum(1 for w in words if not others & _bit_of[w])
    return 2 * min(n - absent, m) / (n + m) >= threshold
