"""accord publish to LinkedIn end to end: requests over real HTTP to the imitation LinkedIn API."""
from __future__ import annotations

import time

import imitation_linkedin
import pytest
from networks import named

from .conftest import one_post, publish

LINKEDIN = named("linkedin")
TARGET = "brand/launch/teaser@brand-linkedin"
ENV = LINKEDIN.env()


@pytest.fixture
def network():
    return LINKEDIN  # the `server` fixture (tests/conftest.py) serves it


def _org(tmp_path, server, text="Twice as fast (on every runner).", **extra):
    return one_post(tmp_path, LINKEDIN, server.base, text, **extra)


def test_posts_to_linkedin_and_records_the_urn(tmp_path, server):
    origin = _org(tmp_path, server, link="https://example.org/launch")
    run = publish(origin.clone(), "--format", "json", env=ENV)
    assert run.code == 0, run.err
    [made] = server.posts
    assert made["text"].startswith("Twice as fast (on every runner).\n\nhttps://example.org/launch?utm_source=")
    entry = origin.entry("brand/launch/teaser", "brand-linkedin")
    assert entry["status"] == "published" and entry["id"] == made["id"]
    assert entry["url"] == f"https://www.linkedin.com/feed/update/{made['id']}/"


def test_an_expired_token_is_named_and_the_target_waits_for_the_next_run(tmp_path, server):
    origin = _org(tmp_path, server)
    server.expire_token()
    runner = origin.clone()
    run = publish(runner, "--format", "json", env=ENV)
    assert run.code == 1  # a person has to renew the token
    failed = run.outcome(TARGET)
    assert failed["status"] == "failed"
    assert "credentials of account 'brand-linkedin'" in failed["detail"] and "EXPIRED_ACCESS_TOKEN" in failed["detail"]
    assert "next run tries again" in failed["detail"]
    assert origin.entry("brand/launch/teaser", "brand-linkedin") is None  # not failed for good
    assert imitation_linkedin.ACCESS_TOKEN not in run.out + run.err

    server.token_expired = False  # renewed
    later = publish(runner, "--format", "json", env=ENV)
    assert later.code == 0 and later.by_status("published") == [TARGET]
    assert len(server.posts) == 1


def test_a_claim_left_by_a_crash_waits_while_the_token_is_refused_then_is_reconciled(tmp_path, server):
    origin = one_post(tmp_path, LINKEDIN, server.base, "Twice as fast.", claim_timeout="1s")
    runner = origin.clone()
    killed = publish(runner, env={**ENV, "ACCORD_TEST_CRASH_AT": "claimed"})
    assert killed.code == -9, killed.err
    time.sleep(1.2)  # the dead run's claim is now older than claim_timeout
    server.expire_token()
    refused = publish(runner, "--format", "json", env=ENV)
    assert refused.code == 1 and refused.outcome(TARGET)["status"] == "failed"
    assert "asks again" in refused.outcome(TARGET)["detail"]
    assert origin.entry("brand/launch/teaser", "brand-linkedin")["status"] == "claimed"  # not unknown

    server.token_expired = False
    time.sleep(1.2)
    later = publish(runner, "--format", "json", env=ENV)
    assert later.code == 0 and later.by_status("published") == [TARGET]
    assert len(server.posts) == 1
