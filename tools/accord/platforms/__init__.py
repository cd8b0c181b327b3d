"""One module per network behind the Platform protocol (base.py)."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Mapping

from .base import Platform, PlatformError

NETWORKS = ("outbox", "x", "mastodon", "bluesky", "linkedin")


def module(name: str) -> ModuleType:
    """The network's module: MAX_CHARS, length(text), and connect(...) where publishing is built."""
    return import_module(f"{__name__}.{name}")


def connect(account, env: Mapping[str, str], outbox_dir: Path) -> Platform:
    """An open connection to `account`. Credentials come from `env` (the variables named by the
    account's credentials_env); the outbox writes under `outbox_dir` instead."""
    try:
        mod = module(account.platform)
    except ModuleNotFoundError:
        mod = None
    if mod is None or not hasattr(mod, "connect"):
        raise PlatformError(f"accord cannot publish to {account.platform} yet "
                                 f"(account '{account.id}')")
    if account.platform == "outbox":
        return mod.connect(account, env, folder=outbox_dir)
    return mod.connect(account, env)
