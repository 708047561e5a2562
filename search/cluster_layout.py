"""Reading a sharded index's cluster commit for the front: which commit it is (`cluster_target`,
`read_cluster_commit`), and what the front needs of every shard to answer as one index
(`layout`): every report's record in one index's order, the merged vocabularies, and for each
shard its reports' one-index first paragraph and date rank. Nothing here talks to Ray.

A shard is always opened at the commit the cluster commit names (`named_commit`), whatever
its own `current` says: an update killed before its cluster commit leaves `current` ahead.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from indexer import format as fmt
from indexer.format import CLUSTER, CODED, date_key, read_commit
from search.errors import IndexCorrupt, IndexMissing


def cluster_target(index_dir: str | Path) -> str | None:
    """What identifies the current cluster commit, cheaply: the file's inode and mtime (a
    new commit is a new file, `os.replace`d in)."""
    try:
        st = os.stat(Path(index_dir) / CLUSTER)
    except OSError:
        return None
    return _identity(st)


def _identity(st: os.stat_result) -> str:
    return f"{CLUSTER}@{st.st_ino}:{st.st_mtime_ns}"


def read_cluster_commit(root: Path) -> tuple[str | None, dict | None]:
    """The cluster commit and its identity, read from one open file: an engine's `target`
    names the very commit it loaded, even when an update swaps in the next one meanwhile."""
    st, body = fmt.read_cluster_stat(root)
    return (None, None) if st is None else (_identity(st), body)


def commit_digest(cluster: dict) -> str:
    """The same short name for the same cluster commit on every machine and in every front
    (its content, not its inode): what the shared shard actors of that commit are named by."""
    body = json.dumps(cluster, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(body, digest_size=8).hexdigest()


def layout(root: Path, cluster: dict) -> dict:
    """What the front needs of every shard, read from the shards' meta.json: the records of
    every report in single-index order, the merged vocabularies, each local report's
    single-index first paragraph and date rank."""
    shards = cluster["shards"]
    n_reports = sum(len(s["positions"]) for s in shards)
    records: list[dict | None] = [None] * n_reports
    where: list[tuple[int, int]] = [(0, 0)] * n_reports
    chars = 0
    for k, s in enumerate(shards):
        current = named_commit(root / s["name"], s["commit"])
        metas = [fmt.read_meta(root / s["name"] / seg["name"]) for seg in current["segments"]]
        local = [metas[g]["reports"][r] for g, r in current["order"]]  # the shard's own order
        chars += sum(int(rec["chars"]) for rec in local)
        if len(local) != len(s["positions"]):
            raise IndexMissing(f"shard {s['name']} of {root} does not match {CLUSTER}")
        for r, (pos, rec) in enumerate(zip(s["positions"], local, strict=True)):
            records[pos] = dict(rec)
            where[pos] = (k, r)
    first = 0
    gfirst = [np.zeros(len(s["positions"]), np.int64) for s in shards]
    for pos, rec in enumerate(records):
        k, r = where[pos]
        gfirst[k][r] = first
        rec["first"] = first
        first += rec["count"]
    order = sorted(range(n_reports), key=lambda i: (date_key(records[i]), records[i]["id"]))
    report_rank = np.empty(n_reports, np.int32)
    report_rank[order] = np.arange(n_reports, dtype=np.int32)
    grank = [np.zeros(len(s["positions"]), np.int64) for s in shards]
    for pos in range(n_reports):
        k, r = where[pos]
        grank[k][r] = report_rank[pos]
    meta = {
        "format": None,
        "built": cluster.get("time", ""),
        "sources": cluster.get("sources", []),
        "vocab": fmt.vocabularies(records),
        "reports": records,
        "paragraphs": first,
        "chars": chars,
        "segments": len(shards),
        "shards": len(shards),
    }
    return {
        "meta": meta,
        "gfirst": gfirst,
        "grank": grank,
        "report_rank": report_rank,
        "chars": chars,
        "shard_of_report": {rec["id"]: where[pos][0] for pos, rec in enumerate(records)},
    }


def named_commit(shard_dir: Path, name: str) -> dict:
    """A shard's commit named by the cluster commit; IndexMissing when it is gone."""
    try:
        return read_commit(shard_dir, name)
    except fmt.VersionMismatch as exc:
        raise IndexCorrupt(str(exc)) from None
    except (OSError, ValueError):
        raise IndexMissing(f"shard {shard_dir} has lost {name}, which {CLUSTER} names") from None


def codes(local: dict | None, merged: dict) -> dict[str, np.ndarray]:
    """Each of a shard's codes (district, place, type, level) as the whole index's code."""
    if local is None:
        return {name: np.zeros(0, np.int64) for name in CODED}
    out = {}
    for name in CODED:
        key = (lambda v: tuple(v)) if name == "place" else (lambda v: v)
        index = {key(v): i for i, v in enumerate(merged[name])}
        out[name] = np.array([index[key(v)] for v in local[name]], np.int64)
    return out
