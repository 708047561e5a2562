"""A sharded index: N ordinary indexes (`shard-000/` …), each holding the reports whose id
hashes to it, and one cluster commit `cluster.json` naming each shard's commit, replaced
atomically (written to a temporary file, fsynced, `os.replace`d, the folder fsynced).

    index/
      cluster.json     {"format": 1, "time": …, "hash": "blake2b-64", "sources": […],
                        "shards": [{"name": "shard-000", "commit": "commit-000001.json",
                                    "reports": 40, "paragraphs": 1800,
                                    "positions": [0, 3, 5, …]}, …]}
      shard-000/       an ordinary index (current, commit-*.json, seg-*/), see indexer/store.py
      shard-001/ …

`positions` are the places of the shard's reports in the order one index of the same files
would hold them: what the sharded engine needs to break ties exactly as one index does.

The shards are built as Ray tasks, one per shard, on the cluster `--ray ADDRESS` (or
`RAY_ADDRESS`) names, else on a local Ray started for the command and bound to 127.0.0.1.
Ray is optional (`pip install 'baogao[cluster]'`): nothing else of the indexer imports it.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer import format as fmt
from indexer import segments, store
from indexer.format import CLUSTER, HASH, is_sharded, read_cluster, shard_name  # noqa: F401
from indexer.models import Report

MAX_SHARDS = 256


class RayMissing(RuntimeError):
    """Ray is not installed: the sharded index needs the `cluster` extra."""


@dataclass(frozen=True)
class ClusterStats:
    shards: int
    reports: int
    paragraphs: int
    chars: int
    seconds: float
    bytes_on_disk: int
    path: Path


def shard_of(report_id: str, shards: int) -> int:
    """The shard a report lives in: stable across runs, machines and corpus growth."""
    digest = hashlib.blake2b(report_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


# Ray rewrites a node address of 127.0.0.1 to the machine's outward address, and its servers
# then listen on every interface, unless it believes it runs on a laptop (Windows/macOS), where
# it keeps to the loopback address. This switch, read when `ray` is first imported, asks for
# that on Linux too.
LOCAL_ONLY_SWITCH = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def local_only() -> None:
    """Keep a local Ray started by this process (and its workers) on 127.0.0.1: call before
    `ray` is imported."""
    os.environ.setdefault(LOCAL_ONLY_SWITCH, "0")


def init_ray(address: str | None = None):
    """Join the Ray cluster at `address` (else `RAY_ADDRESS`), or start a local one bound to
    127.0.0.1 for this process, without a dashboard. Returns the `ray` module."""
    if not (address or os.environ.get("RAY_ADDRESS")):
        local_only()
    try:
        import ray
    except ImportError:
        raise RayMissing("a sharded index needs Ray: pip install 'baogao[cluster]'") from None
    if not ray.is_initialized():
        address = address or os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(
                address="local",
                _node_ip_address="127.0.0.1",
                include_dashboard=False,
                num_cpus=2,
                log_to_driver=False,
            )
    return ray


def build_sharded(
    reports: Sequence[Report],
    index_dir: str | Path,
    shards: int,
    *,
    sources: Sequence[str] = (),
    files: dict[str, str] | None = None,
    address: str | None = None,
) -> ClusterStats:
    """Index `reports` as `shards` shard indexes under `index_dir`, one Ray task each, then
    publish one cluster commit naming every shard's new commit."""
    if not 1 <= shards <= MAX_SHARDS:
        raise ValueError(f"--shards must be between 1 and {MAX_SHARDS}")
    root = Path(index_dir)
    if (root / fmt.CURRENT).exists():
        raise FileExistsError(
            f"{root} holds a single index; build the sharded one in another folder"
        )
    ray = init_ray(address)
    started = time.perf_counter()
    groups: list[list[int]] = [[] for _ in range(shards)]
    for i, report in enumerate(reports):
        groups[shard_of(report.id, shards)].append(i)
    files = files or {}
    now = store.added_now()  # when every report was added: one time, as one index built at once
    task = ray.remote(num_cpus=1, max_retries=1)(_build_shard)
    with segments.locked(root):
        refs = []
        for k, members in enumerate(groups):
            mine = [reports[i] for i in members]
            owned = {r.source for r in mine}
            shard_files = {f: h for f, h in files.items() if f in owned}
            shard_dir = str(root / shard_name(k))
            refs.append(task.remote(mine, shard_dir, list(sources), shard_files, now))
        results = ray.get(refs)
        entries = [
            {
                "name": shard_name(k),
                "commit": commit,
                "reports": stats["reports"],
                "paragraphs": stats["paragraphs"],
                "chars": stats["chars"],
                "positions": groups[k],
            }
            for k, (commit, stats) in enumerate(results)
        ]
        write_cluster(root, entries, sources)
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    return ClusterStats(
        shards=shards,
        reports=len(reports),
        paragraphs=sum(e["paragraphs"] for e in entries),
        chars=sum(e["chars"] for e in entries),
        seconds=time.perf_counter() - started,
        bytes_on_disk=size,
        path=root,
    )


def _build_shard(
    reports: list[Report], shard_dir: str, sources: list[str], files: dict[str, str], now: float
) -> tuple[str, dict]:
    """In a Ray task: build one shard as an ordinary index (as `build_index` does), every
    report added at the build's one time `now`, as in one index built at once; its commit's
    name and figures. A shard with no report gets a commit naming no segment."""
    from indexer.build import write_segment

    Path(shard_dir).mkdir(parents=True, exist_ok=True)
    with segments.locked(shard_dir):
        if not reports:
            name = segments.commit(shard_dir, [], [], {}, sources)
            return name, {"reports": 0, "paragraphs": 0, "chars": 0}
        tmp = store.new_build_dir(shard_dir)
        stats = write_segment(reports, tmp, sources=sources, added=[now] * len(reports))
        seg = segments.publish_segment(tmp)
        order = [[0, i] for i in range(len(reports))]
        entry = segments.entry(seg.name, stats)
        name = segments.commit(shard_dir, [entry], order, files, sources)
    figures = {"reports": stats.reports, "paragraphs": stats.paragraphs, "chars": stats.chars}
    return name, figures


def write_cluster(root: Path, shards: list[dict], sources: Sequence[str]) -> None:
    """Write the cluster commit and swap it in atomically: a reader sees the old one or the
    new one, never a mix; a power loss leaves one of the two on disk, whole."""
    body = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "hash": HASH,
        "sources": list(sources),
        "shards": shards,
    }
    fmt.write_cluster(root, body)
