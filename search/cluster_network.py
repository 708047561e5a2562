"""The reuse network of a sharded index (`baogao reuse-network` on shards): the whole index as
the network reads it, every segment's suffix array of every shard with one index's paragraph
ids, and one Ray task per shard finding the edges into that shard's reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from search.errors import IndexMissing
from search.network import Corpus, Edge, edges


def sharded_corpus(index_dir: str | Path) -> Corpus:
    """The whole sharded index as the reuse network reads it: every segment's suffix array of
    every shard, with one index's paragraph ids (read from the shard folders, which every
    machine of the cluster sees)."""
    from indexer.cluster import read_cluster
    from search.cluster_layout import layout
    from search.reuse_finder import segments as _segments
    from search.segments import open_commit

    root = Path(index_dir)
    cluster = read_cluster(root)
    if cluster is None:
        raise IndexMissing(f"no sharded index at {index_dir}")
    shape = layout(root, cluster)
    records = shape["meta"]["reports"]
    counts = np.array([r["count"] for r in records], np.int64)
    report_of = np.repeat(np.arange(len(records), dtype=np.int64), counts)
    n = int(counts.sum())
    shard_at = np.zeros(n, np.int64)
    local_at = np.zeros(n, np.int64)
    views, parts = [], []
    for k, shard in enumerate(cluster["shards"]):
        if not shard["positions"]:
            continue
        view = open_commit(root / shard["name"])
        view.words.close()  # only the character index is read
        first = np.array([r["first"] for r in view.meta["reports"]], np.int64)
        report = view.col["report"].astype(np.int64)
        local = np.arange(report.size, dtype=np.int64)
        gpid = shape["gfirst"][k][report] + (local - first[report])
        shard_at[gpid], local_at[gpid] = len(views), local
        views.append(view)
        for ci, logical in _segments(view.chars):
            if logical is None:
                parts.append((ci, gpid))
            else:
                parts.append((ci, np.where(logical >= 0, gpid[np.maximum(logical, 0)], -1)))

    def folded_text(pid: int) -> str:
        return views[int(shard_at[pid])].chars.folded_text(int(local_at[pid]))

    return Corpus(records, shape["report_rank"], report_of, parts, folded_text)


def _shard_edges(index_dir: str, min_chars: int, targets: list[int]) -> list[Edge]:
    return list(edges(sharded_corpus(index_dir), min_chars, targets))


def sharded_network(
    index_dir: str | Path,
    min_chars: int,
    address: str | None = None,
    reports: list[int] | None = None,
):
    """Every edge of a sharded index (into `reports` only, when given), as one optimized
    index of the same files gives them: one Ray task per shard finds the edges into that
    shard's reports, asking every shard's suffix array. Returns (the reports in one index's
    order, the edges)."""
    from indexer.cluster import init_ray, read_cluster
    from search.cluster_layout import layout

    root = Path(index_dir)
    cluster = read_cluster(root)
    if cluster is None:
        raise IndexMissing(f"no sharded index at {index_dir}")
    records = layout(root, cluster)["meta"]["reports"]
    ray = init_ray(address)
    task = ray.remote(num_cpus=1, max_retries=3)(_shard_edges)
    wanted = None if reports is None else set(reports)
    targets = [
        sorted(p for p in shard["positions"] if wanted is None or p in wanted)
        for shard in cluster["shards"]
    ]
    refs = [task.remote(str(root), min_chars, t) for t in targets if t]
    found = [e for part in ray.get(refs) for e in part]
    return records, sorted(found, key=lambda e: (e.target, e.source))
