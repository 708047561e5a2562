"""The commit files of an index and the cluster commit of a sharded one, read and written.

A commit file names the segments of one state of the index, their deletion marks and the live
reports' order; it is written whole and durably, then `current` is swapped to it atomically, so
a reader sees the old commit or the new one, never a mix. A sharded index's `cluster.json`
names the commit of each shard and is swapped in the same way. Each carries its format
version, checked when read.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from indexer.durable import fsync_dir
from indexer.format.names import (
    CLUSTER,
    CLUSTER_FORMAT,
    COMMIT_FORMAT,
    COMMIT_RE,
    CURRENT,
    LINK_TMP_PREFIX,
    check_version,
    commit_name,
)
from indexer.format.segment import read_meta


def read_current(index_dir: str | Path) -> dict | None:
    """The commit `current` names (its file name under "name"), or None when there is none;
    VersionMismatch when written by another format version."""
    root = Path(index_dir)
    try:
        target = os.readlink(root / CURRENT)
    except OSError:
        return None
    if (root / target).is_dir():  # an index written before segments: one segment, no marks
        meta = read_meta(root / target)
        n = len(meta["reports"])
        seg = {"name": target, "reports": n, "paragraphs": meta["paragraphs"], "deleted": []}
        seg["live_paragraphs"] = meta["paragraphs"]
        order = [[0, i] for i in range(n)]
        return {"name": target, "segments": [seg], "order": order, "files": {}, "sources": []}
    return read_commit(root, target)


def read_commit(index_dir: str | Path, name: str) -> dict:
    """The commit file `name` (its file name under "name"), whether or not `current` names it:
    a sharded index opens each shard at the commit its cluster commit names; VersionMismatch
    when written by another format version."""
    root = Path(index_dir)
    commit = json.loads((root / name).read_text(encoding="utf-8"))
    if isinstance(commit, dict):
        check_version("提交（commit）", commit.get("format"), COMMIT_FORMAT, root)
    commit["name"] = name
    return commit


def read_commit_file(path: Path) -> dict:
    """A commit file by its path, of any version: pruning reads the kept ones to learn which
    segments they name (a rebuild replacing an index of an older version prunes it too)."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_commit(root: Path, body: dict) -> str:
    """Write the next commit file (its `format` set here), durably, and point `current` at
    it atomically; its name."""
    numbers = [int(m.group(1)) for p in root.iterdir() if (m := COMMIT_RE.fullmatch(p.name))]
    name = commit_name(max(numbers, default=0) + 1)
    _write_json(root / f".{name}.tmp", root / name, {"format": COMMIT_FORMAT, **body})
    point_current(root, name)
    return name


def point_current(root: Path, name: str) -> None:
    """`current` → the commit file `name`, swapped atomically and durably."""
    link_tmp = root / f"{LINK_TMP_PREFIX}{os.getpid()}-{time.time_ns()}"
    os.symlink(name, link_tmp)
    os.replace(link_tmp, root / CURRENT)
    fsync_dir(root)


# -- the cluster commit ---------------------------------------------------------------------


def read_cluster(index_dir: str | Path) -> dict | None:
    """The cluster commit of a sharded index, or None when the folder holds none;
    VersionMismatch when written by another format version."""
    return read_cluster_stat(index_dir)[1]


def read_cluster_stat(index_dir: str | Path) -> tuple[os.stat_result | None, dict | None]:
    """The cluster commit and the stat of the very file it was read from (an update may swap
    in the next one meanwhile); (None, None) when the folder holds none."""
    try:
        with open(Path(index_dir) / CLUSTER, encoding="utf-8") as fh:
            st, body = os.fstat(fh.fileno()), json.loads(fh.read())
    except FileNotFoundError:
        return None, None
    if isinstance(body, dict):
        what = "分片提交（cluster.json）"
        check_version(what, body.get("format"), CLUSTER_FORMAT, Path(index_dir))
    return st, body


def write_cluster(root: Path, body: dict) -> None:
    """Write the cluster commit (its `format` set here) and swap it in atomically: a reader
    sees the old one or the new one, never a mix; a power loss leaves one of the two, whole."""
    tmp = root / f".{CLUSTER}-{os.getpid()}-{time.time_ns()}.tmp"
    _write_json(tmp, root / CLUSTER, {"format": CLUSTER_FORMAT, **body})
    fsync_dir(root)


def _write_json(tmp: Path, path: Path, body: dict) -> None:
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
