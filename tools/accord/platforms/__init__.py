"""One module per network behind the Platform protocol (base.py)."""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

NETWORKS = ("outbox", "x", "mastodon", "bluesky", "linkedin")


def module(name: str) -> ModuleType:
    """The network's module: MAX_CHARS, length(text), and connect(...) where publishing is built."""
    return import_module(f"{__name__}.{name}")
