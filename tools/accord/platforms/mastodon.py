"""Mastodon: the length an instance counts and the media it takes.

Publishing through Mastodon.py comes later in this module."""
from __future__ import annotations

import re

from .bluesky import graphemes

NAME = "Mastodon"
MAX_CHARS = 500  # mastodon.social and the default; other instances: the account's limits.max_chars
URL_LENGTH = 23
COUNTING = "URLs count 23, @user@domain counts as @user"

MAX_MEDIA = 4
# Defaults of Mastodon 4.2+: 16 MB images (GIFs are converted to video but limited as images), 99 MB video.
MEDIA_SIZE = {"image": 16 * 1024 * 1024, "gif": 16 * 1024 * 1024, "video": 99 * 1024 * 1024}
MEDIA_ALONE = ("video",)  # up to four images, or one video
MAX_ALT = 1500
CREDENTIALS = ("ACCESS_TOKEN",)  # <PREFIX>_ACCESS_TOKEN (as the mastodon branch has it; accord init --with reads it)

# As the server's status length validator: every http(s) link is a 23-character placeholder, a
# remote mention counts only its local part, and what remains is counted in graphemes.
_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,:;!?'\")\]]")
_MENTION = re.compile(r"(?<![\w/])@(\w+(?:[.-]+\w+)*)@[\w.-]+\w", re.ASCII | re.IGNORECASE)


def length(text: str) -> int:
    text = _URL.sub("x" * URL_LENGTH, text)
    text = _MENTION.sub(r"@\1", text)
    return graphemes(text)


def length_bound(text: str) -> int:
    """At least length(text): a link is 8 characters or more ('http://' and one) and counts 23,
    holding its own '://'; a remote mention only shortens; a grapheme is a character or more."""
    return len(text) + (URL_LENGTH - 8) * text.count("://")
