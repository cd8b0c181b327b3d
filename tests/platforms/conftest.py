"""Imitation servers for the platform adapters, started per test on 127.0.0.1, and the accounts
(tests/networks.py's) pointed at them."""
from __future__ import annotations

import pytest
from imitation_bluesky import ImitationBluesky
from imitation_linkedin import ImitationLinkedIn
from imitation_mastodon import ImitationMastodon
from imitation_x import ImitationX
from networks import named


@pytest.fixture
def x_server():
    with ImitationX(handle="brand") as server:
        yield server


@pytest.fixture
def x_account(x_server):
    """An account as the model describes it, pointed at the imitation server."""
    return named("x").model_account(x_server.base)


@pytest.fixture
def mastodon_server():
    with ImitationMastodon(username="brand") as server:
        yield server


@pytest.fixture
def mastodon_account(mastodon_server):
    return named("mastodon").model_account(mastodon_server.base)


@pytest.fixture
def bluesky_server():
    with ImitationBluesky() as server:
        yield server


@pytest.fixture
def bluesky_account(bluesky_server):
    return named("bluesky").model_account(bluesky_server.base)


@pytest.fixture
def linkedin_server():
    with ImitationLinkedIn() as server:
        yield server


@pytest.fixture
def linkedin_account(linkedin_server):
    return named("linkedin").model_account(linkedin_server.base)
