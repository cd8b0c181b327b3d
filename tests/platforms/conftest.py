"""Imitation servers for the platform adapters, started per test on 127.0.0.1."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
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
