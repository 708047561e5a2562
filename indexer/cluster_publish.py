"""Publishing a new cluster commit after an update or an optimize of a sharded index, and
keeping each shard's folder tidy (see `indexer.cluster_update` for why this order is safe).

The shards' new commits are written first by their tasks, pruning nothing (`KEEP_ALL`); then
`publish` swaps in the one cluster commit naming them, points each shard's `current` at its
named commit, and removes the shard commits and segments that neither the new nor the
previous cluster commit names (a server may still answer from the previous one, and a
restarted shard actor reopens what its cluster commit names).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from indexer import format as fmt
from indexer.cluster import write_cluster

KEEP_ALL = 1 << 30  # a shard task prunes nothing: the cluster's publication prunes


def publish(root: Path, previous: dict, entries: list[dict], sources: Sequence[str]) -> None:
    """Swap in the cluster commit naming `entries`; then point each shard's `current` at its
    named commit and remove what neither it nor `previous` names (a server may still be
    answering from the previous one, and a restarted shard actor reopens what it names)."""
    write_cluster(root, entries, sources)
    before = {e["name"]: e["commit"] for e in previous["shards"]}
    for entry in entries:
        folder = root / entry["name"]
        point_current(folder, entry["commit"])
        _prune(folder, {entry["commit"], before.get(entry["name"], entry["commit"])})


def point_current(folder: Path, name: str) -> None:
    """`current` → `name`, swapped atomically (as `segments.commit` does), when it is not."""
    try:
        if os.readlink(folder / fmt.CURRENT) == name:
            return
    except OSError:
        pass
    fmt.point_current(folder, name)


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the shard's commits not in `keep` (those of killed updates, and older ones) and
    the segments no kept commit names."""
    used = set()
    for path in folder.iterdir():
        if not fmt.COMMIT_RE.fullmatch(path.name):
            continue
        if path.name in keep:
            commit = fmt.read_commit_file(path)
            used.update(s["name"] for s in commit["segments"])
        else:
            path.unlink(missing_ok=True)
    for path in folder.iterdir():
        if path.name.startswith((fmt.SEGMENT_PREFIX, fmt.LEGACY_PREFIX)) and path.name not in used:
            shutil.rmtree(path, ignore_errors=True)


def figures(root: Path, name: str) -> tuple[dict, list[str]]:
    """A shard commit's reports, paragraphs and characters, and its report ids in order."""
    commit = fmt.read_commit(root, name)
    metas = [fmt.read_meta(root / s["name"]) for s in commit["segments"]]
    records = [metas[s]["reports"][r] for s, r in commit["order"]]
    figures = {
        "reports": len(records),
        "paragraphs": sum(int(rec["count"]) for rec in records),
        "chars": sum(int(rec["chars"]) for rec in records),
    }
    return figures, [rec["id"] for rec in records]
