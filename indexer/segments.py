"""Segments and commits: an index is a list of immutable segments and a commit file naming
them, with the reports deleted from each and the order of the live reports.

A segment is what a build writes (`whoosh/`, `meta.json`, `columns.npz`, `folded.bin`,
`sa.npy`, see `indexer/store.py`); it never changes once written. A commit file
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
import json
import math
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from indexer import store

COMMIT_FORMAT = 1
COMMIT_RE = re.compile(r"commit-(\d{6,})\.json")
TIER_FACTOR = 10  # segment sizes within a factor of ten share a tier
TIER_FLOOR = 1000  # live paragraphs: smaller segments all share the lowest tier
SEGMENTS_PER_TIER = 8  # merge a tier when it holds this many segments
GRACE = 60.0  # seconds a replaced commit stays readable
CHEAP_MERGE = 50_000  # paragraphs an update may rewrite by merging, beyond its own


def vocab(values: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """Known values first in their canonical order, then the rest sorted; "" (unknown) last."""
    seen = set(values)
    head = [v for v in order if v in seen]
    rest = sorted(v for v in seen if v not in set(order) and v != "")
    return head + rest + ([""] if "" in seen else [])


def date_key(record: dict) -> str:
    """Sort key of a report record for newest/oldest: the date, else the year, else last."""
    if record.get("date"):
        return record["date"]
    if record.get("year"):
        return f"{record['year']:04d}-99-99"
    return "0000"


@contextlib.contextmanager
def locked(index_dir: str | Path) -> Iterator[None]:
    """Hold the index's writer lock: builds, updates and merges run one at a time."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as fh:
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
    name = f"seg-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{time.time_ns() % 10**9:09d}"
    seg = tmp.parent / name
    os.replace(tmp, seg)
    _fsync_tree(seg)
    _fsync_dir(tmp.parent)
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


def read_current(index_dir: str | Path) -> dict | None:
    """The current commit (with its file name under "name"), or None when there is none."""
    root = Path(index_dir)
    try:
        target = os.readlink(root / store.CURRENT)
    except OSError:
        return None
    if (root / target).is_dir():  # an index written before segments: one segment, no marks
        meta = json.loads((root / target / "meta.json").read_text(encoding="utf-8"))
        n = len(meta["reports"])
        seg = {"name": target, "reports": n, "paragraphs": meta["paragraphs"], "deleted": []}
        seg["live_paragraphs"] = meta["paragraphs"]
        order = [[0, i] for i in range(n)]
        return {"name": target, "segments": [seg], "order": order, "files": {}, "sources": []}
    return read_commit(root, target)


def read_commit(index_dir: str | Path, name: str) -> dict:
    """The commit file `name` (with its name under "name"), whether or not `current` points
    to it: a sharded index opens each shard at the commit its cluster commit names."""
    commit = json.loads((Path(index_dir) / name).read_text(encoding="utf-8"))
    commit["name"] = name
    return commit


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
    numbers = [int(m.group(1)) for p in root.iterdir() if (m := COMMIT_RE.fullmatch(p.name))]
    name = f"commit-{max(numbers, default=0) + 1:06d}.json"
    body = {
        "format": COMMIT_FORMAT,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": list(sources),
        "segments": segs,
        "order": order,
        "files": files,
    }
    tmp = root / f".{name}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / name)
    link_tmp = root / f".current-{os.getpid()}-{time.time_ns()}"
    os.symlink(name, link_tmp)
    os.replace(link_tmp, root / store.CURRENT)
    _fsync_dir(root)
    _prune(root, keep)
    return name


def _prune(root: Path, keep: int) -> None:
    """Keep the newest `keep` commits, and any replaced less than GRACE seconds ago (a server
    may still be answering a request from it), and the segments they name; remove the rest."""
    commits = sorted(
        (p for p in root.iterdir() if COMMIT_RE.fullmatch(p.name)), key=lambda p: p.name
    )
    now = time.time()
    kept, old = [], []
    for i, path in enumerate(commits):
        recent = i >= len(commits) - keep or now - commits[i + 1].stat().st_mtime < GRACE
        (kept if recent else old).append(path)
    used = set()
    for path in kept:
        used.update(s["name"] for s in json.loads(path.read_text(encoding="utf-8"))["segments"])
    for path in old:
        path.unlink(missing_ok=True)
    for folder in root.iterdir():
        if folder.name.startswith(("seg-", "gen-")) and folder.name not in used:
            shutil.rmtree(folder, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
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
        _fsync_dir(Path(here))


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
