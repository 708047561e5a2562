"""`baogao optimize` on a sharded index: every shard's segments merged into one (its report
order kept), one Ray task per shard, then one new cluster commit (`indexer.cluster_publish`).
A shard already in one segment keeps its commit; when none changes nothing is published.
"""

from __future__ import annotations

from pathlib import Path

from indexer import format as fmt
from indexer import segments
from indexer.cluster import init_ray, read_cluster
from indexer.cluster_publish import KEEP_ALL, point_current, publish


def optimize_sharded(index_dir: str | Path, *, address: str | None = None) -> tuple[int, int]:
    """`baogao optimize` of a sharded index: every shard's segments merged into one, one Ray
    task per shard, then one cluster commit. (segments before, after), over every shard."""
    root = Path(index_dir)
    with segments.locked(root):
        cluster = read_cluster(root)
        if cluster is None:
            raise FileNotFoundError(f"no sharded index at {index_dir}")
        ray = init_ray(address)
        task = ray.remote(num_cpus=1, max_retries=1)(_optimize_shard)
        refs = [task.remote(str(root / e["name"]), e["commit"]) for e in cluster["shards"]]
        done = ray.get(refs)
        if all(
            name == e["commit"] for (name, _, _), e in zip(done, cluster["shards"], strict=True)
        ):
            for e in cluster["shards"]:  # nothing to publish; a killed run's `current` back
                point_current(root / e["name"], e["commit"])
            return sum(b for _, b, _ in done), sum(a for _, _, a in done)
        entries = [
            dict(e, commit=name) for (name, _, _), e in zip(done, cluster["shards"], strict=True)
        ]
        publish(root, cluster, entries, cluster.get("sources", ()))
    return sum(b for _, b, _ in done), sum(a for _, _, a in done)


def _optimize_shard(shard_dir: str, base_name: str) -> tuple[str, int, int]:
    """In a Ray task: one shard's segments merged into one (the report order kept); its new
    commit's name (the old one when there was nothing to merge), segments before and after."""
    from indexer.merge import merge

    root = Path(shard_dir)
    with segments.locked(root):
        base = fmt.read_commit(root, base_name)
        segs = base["segments"]
        if not segs or (len(segs) == 1 and not segs[0]["deleted"]):
            return base_name, len(segs), len(segs)
        out_segs, order = merge(root, segs, base["order"], list(range(len(segs))))
        name = segments.commit(
            root, out_segs, order, base["files"], base.get("sources", ()), keep=KEEP_ALL
        )
    return name, len(segs), len(out_segs)
