"""What an HTTP answer, or the lack of one, means for a post: one mapping for every adapter.

Each client library raises its own errors. An adapter reads the status, the server's words and
any rate-limit reset out of them and asks `Failures` what they mean:

    429                   RateLimited, with the reset time when the server gave one
    401                   CredentialsRefused (expired or revoked token): left for the next run
    404                   Gone: what was asked about does not exist (deleting twice is no error)
    408, 5xx              Unknown: the post may or may not exist, so it is reconciled, never resent blind
    any other 4xx         Rejected: the network refused it, nothing exists
    timeout, dropped      Unknown, as a 5xx

Every message names the network and what was being done, and holds no secret.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Mapping

from .base import CredentialsRefused, Gone, PlatformError, RateLimited, Rejected, Unknown

# A reset header below this is a number of seconds to wait (RateLimit-Reset as the IETF draft and
# LinkedIn use it), above it a Unix time (X, Bluesky).
_EPOCH_FROM = 1_000_000_000


class Failures:
    """The outcomes of one account's calls to one network, in that network's name."""

    def __init__(self, network: str, account, credentials: Mapping[str, str]):
        """`credentials` as base.credentials gives them (name -> value): a refusal says which
        variables to renew, and no value is ever shown."""
        self.network = network
        self.account_id = account.id
        self.variables = tuple(f"{account.credentials_env}_{name}" for name in credentials)
        # Redact every value long enough to be a secret (real tokens are 25+ characters; redacting
        # a tiny value would garble every message).
        self._secrets = tuple(value for value in credentials.values() if len(value) >= 8)

    def answered(self, action: str, status: int, detail: str = "",
                 reset_at: datetime | None = None) -> PlatformError:
        """The outcome of an HTTP answer with `status` (and the server's `detail`) to `action`."""
        code = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
        net = self.network
        if status == 429:
            when = f"; it resets at {reset_at:%Y-%m-%d %H:%M:%S} UTC" if reset_at else ""
            return RateLimited(self.clean(f"{net} rate limit reached while {action} ({code}){when}."), reset_at)
        if status == 401:
            renew = " or ".join(self.variables) or "the account's credentials"
            return CredentialsRefused(self.clean(
                f"{net} did not accept the credentials of account '{self.account_id}' while {action} "
                f"({code}): they may have expired or been revoked; renew {renew}."))
        if status == 404:
            return Gone(self.clean(f"{net} found nothing while {action} ({code})."))
        if status == 408 or status >= 500:
            return Unknown(self.clean(f"{net} failed while {action} ({code}); the post may or may not exist."))
        return Rejected(self.clean(f"{net} refused the request while {action} ({code})."))

    def unanswered(self, action: str, error: BaseException) -> Unknown:
        """No complete answer: a timeout, or a connection that failed or was dropped after sending."""
        return Unknown(self.clean(f"No complete answer from {self.network} while {action} "
                                  f"({_transport(error)}); the post may or may not exist."))

    def clean(self, message: str) -> str:
        for secret in self._secrets:
            message = message.replace(secret, "[redacted]")
        return message


def reset_at(headers: Mapping[str, str], now: datetime | None = None) -> datetime | None:
    """When a rate limit resets, from Retry-After (seconds or an HTTP date) or a
    [X-]RateLimit-Reset or x-rate-limit-reset header (seconds to wait, a Unix time, or an ISO 8601 time as Mastodon
    sends it); None when the answer says nothing usable."""
    from email.utils import parsedate_to_datetime

    now = now or datetime.now(timezone.utc)
    lower = {name.lower(): value.strip() for name, value in headers.items()}
    for name in ("retry-after", "x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset"):
        value = lower.get(name)
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is not None:
            if number >= _EPOCH_FROM:
                return datetime.fromtimestamp(number, timezone.utc)
            return now + timedelta(seconds=max(number, 0))
        for parse in (datetime.fromisoformat, parsedate_to_datetime):
            try:
                when = parse(value.replace("Z", "+00:00") if parse is datetime.fromisoformat else value)
            except (TypeError, ValueError):
                continue
            return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return None


def _transport(error: BaseException) -> str:
    """What went wrong on the way, from the error or the one it was raised while handling (client
    libraries wrap requests' or httpx's errors in their own)."""
    import requests

    for cause in (error, error.__cause__, error.__context__):
        if isinstance(cause, requests.Timeout):
            return "no answer in time"
        if isinstance(cause, requests.ConnectionError):
            return "the connection failed or was dropped"
        if type(cause).__module__.startswith("httpx"):  # atproto's transport
            import httpx

            if isinstance(cause, httpx.TimeoutException):
                return "no answer in time"
            if isinstance(cause, httpx.TransportError):
                return "the connection failed or was dropped"
    return type(error).__name__

