"""Where an index lives: the generation `current` points to (the layout is indexer/store.py's)."""

from __future__ import annotations

import os
from pathlib import Path

from indexer.store import CURRENT, REQUIRED
from search.errors import IndexMissing

__all__ = ["CURRENT", "current_generation", "current_target"]


def current_target(index_dir: str | Path) -> str | None:
    """The name `current` points to, or None: cheap enough to ask on every request."""
    try:
        return os.readlink(Path(index_dir) / CURRENT)
    except OSError:
        return None


def current_generation(index_dir: str | Path) -> Path:
    """The generation folder `current` points to; IndexMissing when there is none."""
    link = Path(index_dir) / CURRENT
    try:
        target = os.readlink(link)
    except FileNotFoundError:
        raise IndexMissing(
            f"no index at {index_dir}: build one with `baogao index PATH --index {index_dir}`"
        ) from None
    except OSError as exc:
        raise IndexMissing(f"index at {index_dir} is unreadable: {exc.strerror}") from None
    gen = Path(index_dir) / target
    missing = [name for name in REQUIRED if not (gen / name).exists()]
    if missing:
        raise IndexMissing(f"index at {index_dir} is incomplete (missing {', '.join(missing)})")
    return gen
