"""The engine of one index folder for a long-running process, reopened after a commit."""

from __future__ import annotations

import threading
from pathlib import Path

from search import store
from search.engine import Engine


def is_sharded(index_dir: str | Path) -> bool:
    """A folder holding a cluster commit (`indexer/cluster.py`) rather than `current`."""
    from indexer.cluster import is_sharded as sharded

    return sharded(index_dir)


def open_engine(index_dir: str | Path, address: str | None = None, shared: bool = False):
    """The engine of `index_dir`: an `Engine`, or on a sharded index the `ClusterEngine`
    (Ray: `address`, else RAY_ADDRESS, else a local Ray on 127.0.0.1), on shard actors of
    its own or, `shared`, on those every front of the index shares."""
    if is_sharded(index_dir):
        from search.cluster import ClusterEngine

        return ClusterEngine.open(index_dir, address=address, shared=shared)
    return Engine.open(index_dir)


def _target(index_dir: Path) -> str | None:
    target = store.current_target(index_dir)
    if target is None and is_sharded(index_dir):
        from search.cluster_layout import cluster_target

        return cluster_target(index_dir)
    return target


class EngineHolder:
    """The engine of one index folder, opened once and reopened after a commit swaps
    `current` (or a sharded index's cluster commit). A caller takes one engine per request,
    so no answer mixes commits. A sharded index's front joins the shard actors that every
    front of the same cluster commit shares (`search.cluster_actors`), unless `shared` is
    False."""

    def __init__(self, index_dir: str | Path, shared: bool = True):
        self.index_dir = Path(index_dir)
        self.shared = shared
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._target: str | None = None

    def get(self) -> Engine:
        target = _target(self.index_dir)
        engine = self._engine
        if engine is not None and target == self._target:
            return engine
        with self._lock:
            if self._engine is None or target != self._target:
                # a replaced sharded engine's private actors end when its last request
                # drops it; shared ones when a front retires them (search.cluster_actors)
                self._engine = open_engine(self.index_dir, shared=self.shared)
                self._target = self._engine.target  # what it opened, even if newer than asked
            return self._engine
