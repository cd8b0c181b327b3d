"""LinkedIn: the length of a post's commentary and the media a post takes.

Publishing through the REST Posts API comes later in this module."""
from __future__ import annotations

NAME = "LinkedIn"
MAX_CHARS = 3000
MAX_PARTS = 1  # LinkedIn has no threads: give it a one-part variant (variants: {linkedin: [text]})

MAX_MEDIA = 20  # a multi-image post takes up to 20 images
MEDIA_SIZE = {"image": 5 * 1024 * 1024, "gif": 5 * 1024 * 1024, "video": 500 * 1024 * 1024}
MEDIA_ALONE = ("video", "gif")
MAX_ALT = 4086  # altText of an image in the Posts API


def length(text: str) -> int:
    return len(text)


def length_bound(text: str) -> int:
    return len(text)
