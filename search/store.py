"""Where an index lives: the commit `current` points to (the names are indexer/format/'s)."""

from __future__ import annotations

import os
from pathlib import Path

from indexer.format import CURRENT

__all__ = ["CURRENT", "current_target"]


def current_target(index_dir: str | Path) -> str | None:
    """The name `current` points to, or None: cheap enough to ask on every request."""
    try:
        return os.readlink(Path(index_dir) / CURRENT)
    except OSError:
        return None
