"""Imitation servers for the platform adapters, started per test on 127.0.0.1."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from imitation_bluesky import ImitationBluesky
from imitation_linkedin import ORGANIZATION, ImitationLinkedIn
from imitation_mastodon import ImitationMastodon
from imitation_x import ImitationX


@pytest.fixture
def x_server():
    with ImitationX(handle="brand") as server:
        yield server


@pytest.fixture
def x_account(x_server):
    """An account as the model describes it, pointed at the imitation server."""
    return SimpleNamespace(
        id="brand-x", platform="x", handle="@brand", api_base=x_server.base,
        credentials_env="BRAND_X",
    )


@pytest.fixture
def mastodon_server():
    with ImitationMastodon(username="brand") as server:
        yield server


@pytest.fixture
def mastodon_account(mastodon_server):
    return SimpleNamespace(
        id="brand-mastodon", platform="mastodon", handle="@brand@127.0.0.1",
        api_base=mastodon_server.base, credentials_env="BRAND_MASTODON",
    )


@pytest.fixture
def bluesky_server():
    with ImitationBluesky() as server:
        yield server


@pytest.fixture
def bluesky_account(bluesky_server):
    return SimpleNamespace(
        id="brand-bluesky", platform="bluesky", handle="brand.bsky.social", api_base=bluesky_server.base,
        credentials_env="BRAND_BLUESKY",
    )


@pytest.fixture
def linkedin_server():
    with ImitationLinkedIn() as server:
        yield server


@pytest.fixture
def linkedin_account(linkedin_server):
    return SimpleNamespace(
        id="brand-linkedin", platform="linkedin", handle="kestrel-cloud", api_base=linkedin_server.base,
        credentials_env="BRAND_LINKEDIN", author=ORGANIZATION,
    )
