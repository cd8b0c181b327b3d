"""One module per network behind the Platform protocol (base.py)."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib import import_module
from types import ModuleType
from typing import Mapping

from .base import Context, Limits, Platform, PlatformError

NETWORKS = ("outbox", "x", "mastodon", "bluesky", "linkedin")


def module(name: str) -> ModuleType:
    """The network's module: LIMITS, length(text), and connect(...) where publishing is built."""
    return import_module(f"{__name__}.{name}")


def limits(account) -> Limits:
    """What `account` may post: its network's LIMITS, with the account file's limits.max_chars
    (an instance that allows more) in place of the network's. The one place overrides apply."""
    max_chars = account.limits.get("max_chars")
    return _limits(account.platform, max_chars if isinstance(max_chars, int) and max_chars > 0 else None)


@lru_cache(maxsize=None)
def _limits(platform: str, max_chars: int | None) -> Limits:
    network = module(platform).LIMITS
    return replace(network, max_chars=max_chars) if max_chars else network


def connect(account, env: Mapping[str, str], context: Context) -> Platform:
    """An open connection to `account`: its network's `connect(account, env, context)`, where
    credentials come from `env` (the variables named by the account's credentials_env)."""
    try:
        mod = module(account.platform)
    except ModuleNotFoundError:
        mod = None
    if mod is None or not hasattr(mod, "connect"):
        raise PlatformError(f"accord cannot publish to {account.platform} yet "
                                 f"(account '{account.id}')")
    return mod.connect(account, env, context)
