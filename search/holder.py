"""The engine of one index folder for a long-running process, reopened after a commit."""

from __future__ import annotations

import threading
from pathlib import Path

from search import store
from search.engine import Engine


class EngineHolder:
    """The engine of one index folder, opened once and reopened after a commit swaps
    `current`. A caller takes one engine per request, so no answer mixes commits."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._target: str | None = None

    def get(self) -> Engine:
        target = store.current_target(self.index_dir)
        engine = self._engine
        if engine is not None and target == self._target:
            return engine
        with self._lock:
            if self._engine is None or target != self._target:
                self._engine = Engine.open(self.index_dir)
                self._target = self._engine.target  # what it opened, even if newer than asked
            return self._engine
