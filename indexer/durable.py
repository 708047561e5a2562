"""Making written files durable: fsync of files and folders, so that a power loss never
leaves a commit naming a file whose bytes did not reach the disk."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """fsync every file under `folder`, then each folder after its contents (deepest first):
    the Whoosh files written by the build's worker processes included."""
    for here, _, names in os.walk(folder, topdown=False):
        for name in names:
            path = os.path.join(here, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(here))
