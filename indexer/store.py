"""The on-disk layout of an index: immutable segments under one folder, and commit files
naming them (`indexer/segments.py`), the newest pointed to by `current`, swapped atomically.

    index/
      current -> commit-000007.json     (a symlink, replaced with os.replace)
      commit-000007.json                 the segments, their deletion marks, the report order
      seg-20261121T070102-123456789/
        whoosh/        one Whoosh document per paragraph, docnum == paragraph id in the segment
        meta.json      reports, vocabularies, build figures
        columns.npz    per-paragraph columns for filters, facets, sorting and `added`
        folded.bin     the folded paragraphs, UTF-8, joined by "\\n"
        sa.npy         suffix array over folded.bin: the exact character index

The names, versions and columns are `indexer/format/`'s. A build writes a `.tmp-*` folder,
renames it to `seg-*` when complete, then writes a commit and swaps `current`. A killed build
leaves a `.tmp-*` folder or a `seg-*` folder that no commit names; the next build removes both.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from indexer import format as fmt
from indexer.format import CURRENT  # noqa: F401  (its old home)

log = logging.getLogger(__name__)


def added_now() -> float:
    """The time of addition written for the reports of a build or update: Unix seconds with
    their fraction, so two updates in one second still order the feed."""
    return time.time()


def new_build_dir(index_dir: str | Path) -> Path:
    """A fresh temporary folder for a build; leftovers of killed builds are removed first."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(fmt.tmp_pattern()):
        if _owner_is_dead(stale):
            log.info("removing leftover build folder %s", stale)
            shutil.rmtree(stale, ignore_errors=True)
    tmp = root / fmt.tmp_name(os.getpid())
    tmp.mkdir()
    return tmp


def discard_own_builds(index_dir: str | Path) -> None:
    """Remove this process's unfinished build folders (after a failed build, to free space)."""
    for tmp in Path(index_dir).glob(fmt.tmp_pattern(os.getpid())):
        shutil.rmtree(tmp, ignore_errors=True)


def _owner_is_dead(tmp: Path) -> bool:
    pid = fmt.tmp_owner(tmp.name)
    if pid is None:
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
