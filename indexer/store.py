"""The on-disk layout of an index: generations under one folder, swapped in atomically.

    index/
      current -> gen-20261121T070102-3f9a     (a symlink, replaced with os.replace)
      gen-20261121T070102-3f9a/
        whoosh/        one Whoosh document per paragraph, docnum == paragraph id
        meta.json      reports, vocabularies, build figures
        columns.npz    per-paragraph columns for filters, facets and sorting
        folded.bin     the folded paragraphs, UTF-8, joined by "\\n"
        sa.npy         suffix array over folded.bin: the exact character index

A build writes a `.tmp-*` folder, renames it to `gen-*` when complete, then swaps `current`.
A killed build leaves only a `.tmp-*` folder, which the next build removes.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

CURRENT = "current"
FORMAT_VERSION = 2  # 2: paragraphs store their record only; report metadata in meta.json
REQUIRED = ("whoosh", "meta.json", "columns.npz", "folded.bin", "sa.npy")


def new_build_dir(index_dir: str | Path) -> Path:
    """A fresh temporary folder for a build; leftovers of killed builds are removed first."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".tmp-*"):
        if _owner_is_dead(stale):
            log.info("removing leftover build folder %s", stale)
            shutil.rmtree(stale, ignore_errors=True)
    tmp = root / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    return tmp


def discard_own_builds(index_dir: str | Path) -> None:
    """Remove this process's unfinished build folders (after a failed build, to free space)."""
    for tmp in Path(index_dir).glob(f".tmp-{os.getpid()}-*"):
        shutil.rmtree(tmp, ignore_errors=True)


def _owner_is_dead(tmp: Path) -> bool:
    try:
        pid = int(tmp.name.split("-")[1])
    except (IndexError, ValueError):
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def publish(tmp: Path, keep: int = 2) -> Path:
    """Rename a complete build to a generation and point `current` at it, atomically."""
    root = tmp.parent
    # UTC and nanoseconds: names sort in build order whatever the clock's zone or its changes.
    name = f"gen-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{time.time_ns() % 10**9:09d}"
    gen = root / name
    os.replace(tmp, gen)
    link_tmp = root / f".current-{uuid.uuid4().hex[:8]}"
    os.symlink(name, link_tmp)
    os.replace(link_tmp, root / CURRENT)
    _prune(root, keep=keep, current=name)
    return gen


def _prune(root: Path, keep: int, current: str) -> None:
    """Keep the newest `keep` generations (a server may still be reading the previous one)."""
    gens = sorted((p for p in root.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
    for old in gens[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
