"""The HTTP outcomes every adapter shares: what a status, a reset header or a dropped connection
means for a post, and that no secret survives into a message."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import requests

from accord.platforms.base import CredentialsRefused, Gone, RateLimited, Rejected, Unknown
from accord.platforms.http import Failures, reset_at

ACCOUNT = SimpleNamespace(id="dev-mastodon", credentials_env="DEV_MASTODON")
TOKEN = "s3cr3t-token-value-0123456789"
FAILURES = Failures("Mastodon", ACCOUNT, {"ACCESS_TOKEN": TOKEN})
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("status, outcome", [
    (429, RateLimited), (401, CredentialsRefused), (404, Gone), (408, Unknown), (500, Unknown),
    (503, Unknown), (400, Rejected), (403, Rejected), (422, Rejected),
])
def test_each_status_has_its_outcome(status, outcome):
    error = FAILURES.answered("creating the post", status, "no")
    assert type(error) is outcome
    assert f"HTTP {status}: no" in str(error) and "Mastodon" in str(error)


def test_a_refused_token_names_the_account_and_the_variable_to_renew_not_its_value():
    error = FAILURES.answered("creating the post", 401, f"The access token {TOKEN} is invalid")
    assert "account 'dev-mastodon'" in str(error) and "renew DEV_MASTODON_ACCESS_TOKEN" in str(error)
    assert TOKEN not in str(error) and "[redacted]" in str(error)


def test_a_server_error_says_the_post_may_exist():
    assert "may or may not exist" in str(FAILURES.answered("creating the post", 502))


def test_a_rate_limit_carries_its_reset():
    error = FAILURES.answered("creating the post", 429, reset_at=NOW)
    assert error.reset_at == NOW and "resets at 2026-03-03 09:00:00 UTC" in str(error)


@pytest.mark.parametrize("error, words", [
    (requests.ReadTimeout("read timed out"), "no answer in time"),
    (requests.ConnectionError("Connection aborted"), "the connection failed or was dropped"),
])
def test_no_answer_is_unknown(error, words):
    outcome = FAILURES.unanswered("creating the post", error)
    assert isinstance(outcome, Unknown) and words in str(outcome)


def test_a_transport_error_wrapped_by_a_client_library_is_still_recognised():
    class LibraryError(Exception):
        pass

    try:
        try:
            raise requests.ConnectionError("reset by peer")
        except requests.ConnectionError as inner:
            raise LibraryError(f"Could not complete request: {inner}")  # noqa: B904 (as Mastodon.py does)
    except LibraryError as wrapped:
        outcome = FAILURES.unanswered("creating the post", wrapped)
    assert "the connection failed or was dropped" in str(outcome)


@pytest.mark.parametrize("headers, expected", [
    ({"X-RateLimit-Reset": "2026-03-03T09:05:00.000Z"}, NOW + timedelta(minutes=5)),  # Mastodon
    ({"x-rate-limit-reset": str(int((NOW + timedelta(minutes=2)).timestamp()))}, NOW + timedelta(minutes=2)),
    ({"ratelimit-reset": "30"}, NOW + timedelta(seconds=30)),  # seconds to wait
    ({"Retry-After": "120"}, NOW + timedelta(minutes=2)),
    ({"Retry-After": "Tue, 03 Mar 2026 09:10:00 GMT"}, NOW + timedelta(minutes=10)),
    ({"X-RateLimit-Reset": "soon"}, None),
    ({}, None),
])
def test_reset_headers_as_networks_send_them(headers, expected):
    assert reset_at(headers, now=NOW) == expected
