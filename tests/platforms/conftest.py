"""Imitation servers for the platform adapters, started per test on 127.0.0.1."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from imitation_x import ImitationX

# Test credentials: the server checks signatures made with the two secrets.
X_ENV = {
    "BRAND_X_API_KEY": "consumer-key-1234",
    "BRAND_X_API_SECRET": "consumer-secret-5678",
    "BRAND_X_ACCESS_TOKEN": "1000-access-token-9012",
    "BRAND_X_ACCESS_TOKEN_SECRET": "token-secret-3456",
}


@pytest.fixture
def x_server():
    secrets = (X_ENV["BRAND_X_API_SECRET"], X_ENV["BRAND_X_ACCESS_TOKEN_SECRET"])
    with ImitationX(handle="brand", secrets=secrets) as server:
        yield server


@pytest.fixture
def x_account(x_server):
    """An account as the model describes it, pointed at the imitation server."""
    return SimpleNamespace(
        id="brand-x", platform="x", handle="@brand", api_base=x_server.base,
        credentials_env="BRAND_X",
    )
