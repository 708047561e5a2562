"""`baogao index --update` on a sharded index (see indexer/cluster.py).

An update compares the folders with the files the cluster commit's shard commits hold,
ingests the new and changed files once, and routes every report to the shard its id hashes
to; each shard touched (a report of it added, deleted, or moved in the order) is updated by
the single index's machinery (`indexer.update.apply_change`) as one Ray task. Then one new
cluster commit names every shard's commit, swapped in atomically.

Until that swap the previous cluster commit is the index: a shard commit written by a task
is no shard's answer until a cluster commit names it (the engine opens each shard at the
commit the cluster commit names, whatever the shard's `current` says), and no commit the
previous cluster commit names is removed before the new one is on disk. So an update killed
at any point leaves the previous cluster commit answering whole, and the next run starts from
it again. After the swap each shard's `current` points at its named commit, and the shard
commits neither the new nor the previous cluster commit names are removed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer import format as fmt
from indexer import segments, store
from indexer.cluster import init_ray, read_cluster, shard_of
from indexer.cluster_publish import KEEP_ALL, figures, point_current, publish
from indexer.models import IngestResult, Report
from indexer.update import (
    Change,
    UpdateStats,
    apply_change,
    check_paths,
    compare,
    refuse_emptying,
)


@dataclass
class ClusterUpdate:
    """What an update of a sharded index did: the files, the reports, the shards touched."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reports_added: int = 0
    reports_removed: int = 0
    paragraphs_written: int = 0
    merged: int = 0
    shards: int = 0
    touched: list[str] = field(default_factory=list)  # the shards given a new commit
    published: bool = False  # a new cluster commit was written
    seconds: float = 0.0


@dataclass
class _Shard:
    """One shard as the cluster commit names it."""

    name: str
    commit: dict
    ids: list[str]  # its live reports in its order
    sources: list[str]  # each one's file
    entry: dict  # its record in the cluster commit


def _named_state(root: Path, cluster: dict) -> list[_Shard]:
    out = []
    for entry in cluster["shards"]:
        folder = root / entry["name"]
        commit = fmt.read_commit(folder, entry["commit"])
        metas = [fmt.read_meta(folder / s["name"]) for s in commit["segments"]]
        records = [metas[s]["reports"][r] for s, r in commit["order"]]
        out.append(
            _Shard(
                entry["name"],
                commit,
                [rec["id"] for rec in records],
                [rec["source"] for rec in records],
                entry,
            )
        )
    return out


def update_sharded(
    paths: Sequence[str | Path],
    index_dir: str | Path,
    *,
    shards: int | None = None,
    address: str | None = None,
    merge_budget: int | None = segments.CHEAP_MERGE,
) -> tuple[ClusterUpdate, IngestResult]:
    """Bring the sharded index at `index_dir` in line with the files under `paths` and
    publish one cluster commit (none when nothing changed). `shards`, when given, must be the
    index's count: a report's shard depends on it, so another count needs a rebuild."""
    started = time.perf_counter()
    root = Path(index_dir)
    out, result = ClusterUpdate(), IngestResult()
    check_paths(paths)
    with segments.locked(root):
        cluster = read_cluster(root)
        if cluster is None:
            raise FileNotFoundError(f"no sharded index at {index_dir}")
        n = len(cluster["shards"])
        if shards is not None and shards != n:
            raise ValueError(
                f"{index_dir} has {n} shards, not {shards}: a report's shard depends on the "
                f"count, so another count needs a full rebuild into another folder"
            )
        state = _named_state(root, cluster)
        placed: dict[str, list[tuple[int, str]]] = {}  # source → (position, id) of its reports
        known: dict[str, str] = {}
        for shard in state:
            known.update(shard.commit["files"])
            for pos, rid, src in zip(
                shard.entry["positions"], shard.ids, shard.sources, strict=True
            ):
                placed.setdefault(src, []).append((pos, rid))
        live = sorted(placed, key=lambda src: min(placed[src]))
        change = compare(paths, known, live, result)
        out.added, out.changed, out.removed = change.added, change.changed, change.removed
        out.shards = n
        held = sum(len(s.ids) for s in state)
        refuse_emptying(change, live, held, paths, result)
        if not change:  # nothing to publish; a killed run's `current` pointed back
            for shard in state:
                point_current(root / shard.name, shard.commit["name"])
            out.seconds = time.perf_counter() - started
            return out, result

        order = _one_index_order(change, placed)
        position = {rid: i for i, rid in enumerate(order)}
        routed = _route(change, n)
        touched = [k for k in range(n) if _touches(state[k], k, n, order, routed[k], change.gone)]

        ray = init_ray(address)
        task = ray.remote(num_cpus=1, max_retries=1)(_update_shard)
        now = store.added_now()  # every report of the update added at one time, as in one index
        sources = [str(p) for p in paths]
        refs = [
            task.remote(
                str(root / state[k].name),
                state[k].commit["name"],
                change.files,
                routed[k],
                change.gone,
                sources,
                now,
                merge_budget,
            )
            for k in touched
        ]
        done = dict(zip(touched, ray.get(refs), strict=True))
        entries = []
        for k, shard in enumerate(state):
            if k in done:
                commit, figures, ids, stats = done[k]
                out.reports_added += stats.reports_added
                out.reports_removed += stats.reports_removed
                out.paragraphs_written += stats.paragraphs_written
                out.merged += stats.merged
                if commit != shard.commit["name"]:
                    out.touched.append(shard.name)
            else:
                commit, ids = shard.commit["name"], shard.ids
                figures = {key: shard.entry[key] for key in ("reports", "paragraphs", "chars")}
            entry = {"name": shard.name, "commit": commit, **figures}
            entry["positions"] = [position[rid] for rid in ids]
            entries.append(entry)
        publish(root, cluster, entries, sources)
        out.published = True
    out.seconds = time.perf_counter() - started
    return out, result


def _one_index_order(change: Change, placed: dict[str, list[tuple[int, str]]]) -> list[str]:
    """The live report ids after the change in one index's order: the files in scan order,
    each file's reports in its own order (`placed`: each unchanged file's (position, id))."""
    order: list[str] = []
    for src, _ in change.files:
        if src in change.fresh:
            order += [r.id for r in change.fresh[src]]
        else:
            order += [rid for _, rid in sorted(placed.get(src, ()))]
    return order


def _route(change: Change, n: int) -> list[dict[str, list[Report]]]:
    """Each shard's part of the new and changed files' reports (every such file named for
    every shard, maybe with no report: its old reports there are replaced by none)."""
    routed: list[dict[str, list[Report]]] = [{src: [] for src in change.fresh} for _ in range(n)]
    for src, reports in change.fresh.items():
        for report in reports:
            routed[shard_of(report.id, n)][src].append(report)
    return routed


def _touches(shard: _Shard, k: int, n: int, order: list[str], routed, gone: set[str]) -> bool:
    """Whether the change adds to, deletes from or reorders shard k."""
    kept = [rid for rid, src in zip(shard.ids, shard.sources, strict=True) if src not in gone]
    mine = [rid for rid in order if shard_of(rid, n) == k]
    return any(routed.values()) or kept != shard.ids or mine != kept


def _update_shard(
    shard_dir: str,
    base_name: str,
    files: list[tuple[str, str]],
    fresh: dict[str, list[Report]],
    gone: set[str],
    sources: list[str],
    now: int,
    merge_budget: int | None,
) -> tuple[str, dict, list[str], UpdateStats]:
    """In a Ray task: the single index's update of one shard, on top of the commit the
    cluster commit names (not `current`, which a killed update may have moved); its commit's
    name, figures and report ids in order."""
    root = Path(shard_dir)
    stats = UpdateStats()
    with segments.locked(root):
        base = fmt.read_commit(root, base_name)
        apply_change(
            root,
            base,
            files,
            fresh,
            gone,
            stats,
            now=now,
            sources=sources,
            merge_budget=merge_budget,
            keep=KEEP_ALL,
        )
        name = stats.commit or base_name
        return (name, *figures(root, name), stats)
