"""What every adapter does alike, on every network of tests/networks.py: its real client library
over real HTTP to the network's imitation (the `network` and `server` fixtures: tests/conftest.py).
What only one network does is in its own test module."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from accord import metrics, platforms
from accord.platforms.base import (
    Context,
    CredentialsMissing,
    CredentialsRefused,
    Part,
    RateLimited,
    Request,
    Unknown,
)

CONTEXT = Context(Path("outbox"), timeout=2)  # no network here writes to the outbox
# A text with what each network rewrites or escapes: a link, '&', '(', '#' and a blank line.
DOORS = "Doors open at 9 & the keynote is at https://example.com/live\n\n(CET) #KestrelConf"


def connect(network, base: str, env: dict | None = None, context: Context = CONTEXT):
    env = network.env() if env is None else env
    return platforms.module(network.name).connect(network.model_account(base), env, context)


def post(network, text: str, n: int = 0) -> Request:
    return Request(f"brand/launch/teaser@{network.account_id}#{n}", Part(text))


def a_minute_ago():
    return datetime.now(timezone.utc) - timedelta(minutes=1)


# --- Outcomes --------------------------------------------------------------------------------


def test_a_rate_limit_is_thrown_at_once_with_the_reset_the_server_gave(network, server):
    reset = int(time.time()) + 3600
    server.fail(*network.create, "rate_limit", reset=reset)
    brand = connect(network, server.base)
    started = time.monotonic()

    with pytest.raises(RateLimited) as raised:
        brand.publish(post(network, "Hello"))

    assert time.monotonic() - started < 2  # no sleep inside: the publisher decides, bounded
    assert abs(raised.value.reset_at.timestamp() - reset) < 5
    assert f"resets at {raised.value.reset_at:%Y-%m-%d %H:%M:%S} UTC" in str(raised.value)
    assert server.posts == []


def test_a_server_error_is_unknown_never_retried_and_find_says_nothing_went_out(network, server):
    server.fail(*network.create, "status", status=503)
    brand = connect(network, server.base)

    with pytest.raises(Unknown, match="HTTP 503.*may or may not exist"):
        brand.publish(post(network, "Hello"))
    assert len(server.requests_to(*network.create)) == 1
    assert brand.find(post(network, "Hello"), a_minute_ago()) is None


def test_a_dropped_connection_is_unknown_and_find_reports_the_post_that_exists(network, server):
    server.fail(*network.create, "drop")
    brand = connect(network, server.base)

    with pytest.raises(Unknown, match="connection failed or was dropped"):
        brand.publish(post(network, DOORS))

    found = brand.find(post(network, DOORS), a_minute_ago())
    [made] = server.posts  # nothing was posted again
    assert found is not None and found.id == made["id"]


def test_a_slow_answer_times_out_as_unknown_and_find_reports_the_post(network, server):
    quick = connect(network, server.base, context=Context(Path("outbox"), timeout=0.5))
    server.fail(*network.create, "slow", delay=3)

    with pytest.raises(Unknown, match="no answer in time"):
        quick.publish(post(network, "Hello"))
    assert quick.find(post(network, "Hello"), a_minute_ago()).id == server.posts[0]["id"]


def test_find_is_none_for_a_text_never_posted_or_posted_before_the_claim(network, server):
    brand = connect(network, server.base)
    brand.publish(post(network, "Something else"))

    assert brand.find(post(network, "Never posted", 1), a_minute_ago()) is None
    assert brand.find(post(network, "Something else", 1), datetime.now(timezone.utc) + timedelta(minutes=1)) is None


def test_secrets_echoed_by_a_proxy_are_redacted(network, server):
    leaked = max(network.env().values(), key=len)
    server.fail(*network.create, "status", status=502, detail=f"bad upstream for {leaked}")

    with pytest.raises(Unknown) as raised:
        connect(network, server.base).publish(post(network, "Hello"))

    assert leaked not in str(raised.value) and "[redacted]" in str(raised.value)
    # nor in a chained error a traceback would show
    assert raised.value.__cause__ is None and (raised.value.__context__ is None or raised.value.__suppress_context__)


# --- Delete and metrics ----------------------------------------------------------------------


def test_delete_removes_the_post_and_a_second_delete_is_harmless(network, server):
    brand = connect(network, server.base)
    posted = brand.publish(post(network, "Retract me"))

    brand.delete(posted.id)
    assert server.posts == []
    brand.delete(posted.id)
    assert brand.find(post(network, "Retract me"), a_minute_ago()) is None


def test_metrics_are_under_accords_names_per_post_and_a_deleted_post_has_none(network, server):
    brand = connect(network, server.base)
    ids = [brand.publish(post(network, f"Post {n}", n)).id for n in range(3)]
    first, second, _ = server.posts
    network.set_likes(first, 5)
    network.set_likes(second, 9)
    brand.delete(ids[2])

    counts = brand.metrics(ids)

    assert set(counts) == set(ids[:2])
    assert (counts[ids[0]][metrics.LIKES], counts[ids[1]][metrics.LIKES]) == (5, 9)
    assert all(set(c) <= set(metrics.NETWORK) and all(isinstance(v, int) for v in c.values())
               for c in counts.values())
    assert counts[ids[0]][metrics.ENGAGEMENTS] >= 5 and counts[ids[0]] != counts[ids[1]]


# --- Credentials -----------------------------------------------------------------------------


def test_missing_credentials_name_every_variable_at_once(network):
    variables = list(network.env())

    with pytest.raises(CredentialsMissing) as raised:
        connect(network, "http://127.0.0.1:9", env={})

    listed = (f"{', '.join(variables[:-1])} and {variables[-1]} are" if len(variables) > 1
              else f"{variables[0]} is")
    assert str(raised.value).startswith(f"Environment variable{'s' * (len(variables) > 1)} {listed} not set; "
                                        f"account '{network.account_id}' needs")


def test_a_missing_credential_is_named_without_any_secret(network):
    env = network.env()
    *given, missing = env

    with pytest.raises(CredentialsMissing) as raised:
        connect(network, "http://127.0.0.1:9", env={name: env[name] for name in given})

    assert f"{missing} is not set" in str(raised.value)
    assert not any(secret in str(raised.value) for secret in env.values())


def test_an_account_without_a_credentials_prefix_is_a_sentence(network):
    brand = network.model_account("http://127.0.0.1:9")
    brand.credentials_env = None

    with pytest.raises(CredentialsMissing, match=f"'{network.account_id}' has no credentials_env"):
        platforms.module(network.name).connect(brand, network.env(), CONTEXT)


def test_refused_credentials_name_the_account_and_what_to_renew_never_the_secret(network, server):
    *_, variable = network.env()
    wrong = "wrong-wrong-wrong-1234"

    with pytest.raises(CredentialsRefused) as raised:
        connect(network, server.base, env={**network.env(), variable: wrong}).publish(post(network, "Hello"))

    message = str(raised.value)
    assert f"'{network.account_id}'" in message and "renew " in message and variable in message
    assert wrong not in message and server.posts == []


# --- The imitation in its own process --------------------------------------------------------


@pytest.mark.timeout(30)
def test_a_post_made_before_a_crash_is_found_after_the_imitation_restarts(network, tmp_path):
    state = tmp_path / f"{network.name}-state.json"
    with network.apart(state) as server:
        server.fail(*network.create, "drop")
        with pytest.raises(Unknown):
            connect(network, server.base).publish(post(network, "From another process"))

    with network.apart(state) as server:  # a restart, as after a crash
        found = connect(network, server.base).find(post(network, "From another process"), a_minute_ago())
        assert [p["text"] for p in server.posts] == ["From another process"]
    assert found is not None
