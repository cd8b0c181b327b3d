"""The one interface every network speaks, and the outcomes a call can have.

The publisher works part by part (a post is one part, a thread several) so that a thread can
resume from the last part the ledger recorded. Each network's module opens a Platform with
`connect(account, env, context)`; http.py says what an HTTP answer means for a post.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol, Sequence

TIMEOUT = 30.0  # seconds; a call that hangs longer is an unknown outcome, not a stuck publisher


@dataclass(frozen=True)
class Media:
    path: Path
    alt: str


@dataclass(frozen=True)
class Part:
    """One message as it will be posted: final text (variant, UTM-tagged link) and its media."""

    text: str
    media: tuple[Media, ...] = ()
    locale: str | None = None  # the post's language (BCP 47, as written), for networks that tag it


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


@dataclass(frozen=True)
class Limits:
    """What one network takes, as `accord check` holds a post to it; None: no such limit.

    Each network's module says its own as LIMITS; platforms.limits(account) applies an account's
    limits.max_chars. Lengths are the network's `length(text)`.
    """

    name: str  # the network as people name it, in findings
    max_chars: int | None = None
    counting: str | None = None  # how the network counts, said when a text is too long
    url_length: int | None = None  # what every link counts, whatever its length
    # a cheap count never below `length`: a text within max_chars by it needs no full count
    length_bound: Callable[[str], int] | None = None
    max_bytes: int | None = None  # UTF-8 bytes of the text
    max_parts: int | None = None  # parts of a thread
    max_media: int | None = None  # media of one part
    media_size: Mapping[str, int] | None = None  # bytes by kind ('image', 'gif', 'video'); None: media unchecked
    media_alone: tuple[str, ...] = ()  # kinds that go only on their own
    max_alt: int | None = None  # characters of one medium's alt text

    @property
    def takes_anything(self) -> bool:
        """No limit on text or media (the outbox): nothing to check."""
        return self.max_chars is None and self.max_parts is None and self.max_bytes is None \
            and self.media_size is None


@dataclass(frozen=True)
class Context:
    """What every network's `connect(account, env, context)` is given besides the account and the
    environment its credentials come from."""

    outbox_dir: Path  # where the outbox writes (accord.yaml publisher.outbox_dir)
    timeout: float = TIMEOUT


class PlatformError(Exception):
    """A call did not go through; the subclasses say whether the post may exist."""


class RateLimited(PlatformError):
    def __init__(self, message: str, reset_at: datetime | None):
        super().__init__(message)
        self.reset_at = reset_at


class Rejected(PlatformError):
    """The network refused the post (duplicate, too long, bad media): it does not exist."""


class Gone(Rejected):
    """The network answered 404: the post (or what was asked about) does not exist."""


class Unknown(PlatformError):
    """Timeout, 5xx or a dropped connection after sending: the post may or may not exist."""


class CredentialsMissing(PlatformError):
    """An environment variable named by the account's credentials prefix is not set."""


class CredentialsRefused(PlatformError):
    """The network refused the account's credentials (expired or revoked token): nothing was
    posted, and the target is for the next run once they are renewed, not failed for good."""


def credentials(account, env: Mapping[str, str], names: Sequence[str], network: str) -> dict[str, str]:
    """`<credentials_env>_<name>` for each name, by name; CredentialsMissing names every variable
    that is not set, so one run tells a person all they have to add."""
    prefix = account.credentials_env
    if not prefix:
        raise CredentialsMissing(
            f"Account '{account.id}' has no credentials_env, so there is no way to find its {network} "
            f"credentials; set credentials_env to a prefix such as {account.id.upper().replace('-', '_')}."
        )
    missing = [f"{prefix}_{name}" for name in names if not env.get(f"{prefix}_{name}")]
    if missing:
        listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        verb = "is" if len(missing) == 1 else "are"
        raise CredentialsMissing(
            f"Environment variable{'s' if len(missing) > 1 else ''} {listed} {verb} not set; account "
            f"'{account.id}' needs {'it' if len(missing) == 1 else 'them'} to post to {network}."
        )
    return {name: env[f"{prefix}_{name}"] for name in names}


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
