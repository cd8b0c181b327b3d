"""`accord unfreeze`: lives with `accord freeze` (commands/freeze.py)."""
from .freeze import unfreeze as command

__all__ = ["command"]
