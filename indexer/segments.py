"""Segments and commits: an index is a list of immutable segments and a commit file naming
them, with the reports deleted from each and the order of the live reports.

A segment is what a build writes (`whoosh/`, `meta.json`, `columns.npz`, `folded.bin`,
`sa.npy`, see `indexer/format/`); it never changes once written. A commit file
`commit-NNNNNN.json` holds

    {"format": 1, "time": "...Z", "sources": [...],
     "segments": [{"name": "seg-…", "reports": 12, "paragraphs": 480, "deleted": [3, 7]}],
     "order": [[segment, report], …],      # the live reports in a full rebuild's order
     "files": {"hangzhou/a.txt": "sha256…"}}   # content hash of every indexed file

and `current` points to the newest commit; it is swapped with os.replace, so a reader sees the
old commit or the new one, never a mix. Writers take `.lock` (one writer at a time).
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from indexer import format as fmt
from indexer.durable import fsync_dir, fsync_tree
from indexer.format import date_key, read_commit, read_current, vocab  # noqa: F401  (their old home)

TIER_FACTOR = 10  # segment sizes within a factor of ten share a tier
TIER_FLOOR = 1000  # live paragraphs: smaller segments all share the lowest tier
SEGMENTS_PER_TIER = 8  # merge a tier when it holds this many segments
GRACE = 60.0  # seconds a replaced commit stays readable
CHEAP_MERGE = 50_000  # paragraphs an update may rewrite by merging, beyond its own


@contextlib.contextmanager
def locked(index_dir: str | Path) -> Iterator[None]:
    """Hold the index's writer lock: builds, updates and merges run one at a time."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / fmt.LOCK, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def publish_segment(tmp: Path) -> Path:
    """Rename a completely written build folder to a segment (not yet in any commit), and
    make it durable: every file and folder in it, and its name in the index folder, reach
    the disk before a commit can name it (else a power loss could leave a commit naming
    empty or missing files)."""
    seg = tmp.parent / fmt.segment_name()
    os.replace(tmp, seg)
    fsync_tree(seg)
    fsync_dir(tmp.parent)
    return seg


def entry(name: str, stats, deleted: Sequence[int] = ()) -> dict:
    """A commit's record of one segment: its reports and paragraphs, those deleted."""
    return {
        "name": name,
        "reports": stats.reports,
        "paragraphs": stats.paragraphs,
        "deleted": sorted(deleted),
        "live_paragraphs": stats.paragraphs,
    }


def commit(
    index_dir: str | Path,
    segs: list[dict],
    order: list[list[int]],
    files: dict[str, str],
    sources: Sequence[str] = (),
    keep: int = 2,
) -> str:
    """Write a commit file naming `segs` and point `current` at it, atomically; then remove
    what neither it nor the previous `keep - 1` commits use (a server may still read those)."""
    root = Path(index_dir)
    body = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": list(sources),
        "segments": segs,
        "order": order,
        "files": files,
    }
    name = fmt.write_commit(root, body)
    _prune(root, keep)
    return name


def _prune(root: Path, keep: int) -> None:
    """Keep the newest `keep` commits, and any replaced less than GRACE seconds ago (a server
    may still be answering a request from it), and the segments they name; remove the rest."""
    commits = fmt.commits(root)
    now = time.time()
    kept, old = [], []
    for i, path in enumerate(commits):
        recent = i >= len(commits) - keep or now - commits[i + 1].stat().st_mtime < GRACE
        (kept if recent else old).append(path)
    used = set()
    for path in kept:
        used.update(s["name"] for s in fmt.read_commit_file(path)["segments"])
    for path in old:
        path.unlink(missing_ok=True)
    for folder in root.iterdir():
        if fmt.is_segment(folder.name) and folder.name not in used:
            shutil.rmtree(folder, ignore_errors=True)


def tier(live_paragraphs: int) -> int:
    """A segment's size tier: sizes within a factor of TIER_FACTOR share one."""
    return int(math.log(max(live_paragraphs, TIER_FLOOR) / TIER_FLOOR, TIER_FACTOR))


def plan_merge(sizes: Sequence[int], budget: int | None = None) -> list[int]:
    """The segments (indices into `sizes`, live paragraphs each) to merge into one: the
    smallest tier holding SEGMENTS_PER_TIER segments or more (as Lucene's tiered policy,
    simplified); a segment with no live paragraph is always merged away. Nothing when the
    merge would rewrite more than `budget` paragraphs."""
    empty = [i for i, s in enumerate(sizes) if s == 0]
    tiers: dict[int, list[int]] = {}
    for i, s in enumerate(sizes):
        if s:
            tiers.setdefault(tier(s), []).append(i)
    for level in sorted(tiers):
        members = tiers[level]
        if len(members) >= SEGMENTS_PER_TIER:
            chosen = sorted(members, key=lambda i: sizes[i])[:SEGMENTS_PER_TIER]
            if budget is None or sum(sizes[i] for i in chosen) <= budget:
                return sorted(chosen + empty)
    return empty
