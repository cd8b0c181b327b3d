"""One module per network behind the Platform protocol (base.py)."""
from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Mapping

from .base import Context, Platform, PlatformError

NETWORKS = ("outbox", "x", "mastodon", "bluesky", "linkedin")


def module(name: str) -> ModuleType:
    """The network's module: MAX_CHARS, length(text), and connect(...) where publishing is built."""
    return import_module(f"{__name__}.{name}")


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
