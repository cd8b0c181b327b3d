"""The one interface every network speaks, and the outcomes a call can have.

The publisher works part by part (a post is one part, a thread several) so that a thread can
resume from the last part the ledger recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Mapping, Protocol


@dataclass(frozen=True)
class Media:
    path: Path
    alt: str


@dataclass(frozen=True)
class Part:
    """One message as it will be posted: final text (variant, UTM-tagged link) and its media."""

    text: str
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class Posted:
    id: str
    url: str
    at: datetime


@dataclass(frozen=True)
class Request:
    """One part to post for one target.

    `key` is stable across runs (target key plus part index) so that platforms with
    idempotency (Mastodon's Idempotency-Key, a Bluesky record key) can use it.
    """

    key: str
    part: Part
    reply_to: str | None = None  # platform id of the message this one answers (thread or reply)
    quote: str | None = None  # platform id of a quoted message


class PlatformError(Exception):
    """A call did not go through; the subclasses say whether the post may exist."""


class RateLimited(PlatformError):
    def __init__(self, message: str, reset_at: datetime | None):
        super().__init__(message)
        self.reset_at = reset_at


class Rejected(PlatformError):
    """The network refused the post (duplicate, too long, bad media): it does not exist."""


class Unknown(PlatformError):
    """Timeout, 5xx or a dropped connection after sending: the post may or may not exist."""


class CredentialsMissing(PlatformError):
    """An environment variable named by the account's credentials prefix is not set."""


@dataclass
class Metrics:
    values: dict[str, int] = field(default_factory=dict)


class Platform(Protocol):
    """An open connection to one account on one network."""

    def publish(self, request: Request) -> Posted: ...

    def find(self, request: Request, since: datetime) -> Posted | None:
        """Whether `request` was already posted (after an unknown outcome or a crash)."""

    def delete(self, post_id: str) -> None: ...

    def metrics(self, post_ids: Iterable[str]) -> Mapping[str, dict[str, int]]:
        """Counts per post id under accord's names (metrics.py; what the network does not report
        is left out, never zero), fetched in the largest batches the API allows. An id missing
        from the answer is not on the network any more (deleted). The network's module may say
        METRICS_BATCH (how many ids `accord metrics pull` hands over at a time, so a failure
        keeps what earlier batches read) and METRICS (what it reports; empty: nothing to ask)."""
