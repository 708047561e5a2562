"""Per-term answers of an opened index (occurrences or matches per paragraph), kept for
repeated and paged queries within a memory budget.

The last few are kept as the dense arrays the engine reads (one value per paragraph, so
each costs the same whatever the term), and many more as the paragraphs that hold the term
and their values: most terms are rare, and a dense array is made again from them in one
pass over the matches instead of a new search of the index. A query mix larger than the
dense entries (at 1,000,000 paragraphs about fifty terms) then still finds its terms.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

SPARSE_BYTES = 32 << 20  # ids and values of the terms no longer held dense


class TermCache:
    """`compute(key)` kept: `entries` dense arrays, then up to SPARSE_BYTES of sparse ones;
    thread-safe (two threads missing the same key at once may both compute it, as with
    `functools.lru_cache`). Arrays handed out are shared: the caller must not write them."""

    def __init__(self, compute: Callable[[Hashable], np.ndarray], entries: int):
        self._compute = compute
        self._entries = max(1, entries)
        self._dense: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._sparse: OrderedDict[Hashable, tuple[int, np.ndarray, np.ndarray]] = OrderedDict()
        self._sparse_bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __call__(self, key: Hashable) -> np.ndarray:
        with self._lock:
            dense = self._dense.get(key)
            if dense is not None:
                self._dense.move_to_end(key)
                self.hits += 1
                return dense
            sparse = self._sparse.get(key)
            if sparse is not None:
                self._sparse.move_to_end(key)
            self.misses += 1
        if sparse is not None:
            n, ids, values = sparse
            dense = np.zeros(n, values.dtype)
            dense[ids] = values
            dense.flags.writeable = False
        else:
            dense = self._compute(key)
        with self._lock:
            self._dense[key] = dense
            self._dense.move_to_end(key)
            evicted = []
            while len(self._dense) > self._entries:
                evicted.append(self._dense.popitem(last=False))
        for old, array in evicted:
            self._keep_sparse(old, array)
        return dense

    def _keep_sparse(self, key: Hashable, array: np.ndarray) -> None:
        """Keep an array leaving the dense entries as its nonzero ids and values (a shared,
        read-only one only: a fresh array handed out writable is not the cache's to keep)."""
        if array.flags.writeable or key in self._sparse:
            return
        ids = np.flatnonzero(array).astype(np.int32 if array.size < 2**31 else np.int64)
        values = array[ids]
        size = ids.nbytes + values.nbytes
        if size > SPARSE_BYTES // 4:
            return  # a term in most paragraphs: its ids cost as much as the dense array
        with self._lock:
            if key in self._sparse:
                return
            self._sparse[key] = (array.size, ids, values)
            self._sparse_bytes += size
            while self._sparse_bytes > SPARSE_BYTES:
                _, (_, old_ids, old_values) = self._sparse.popitem(last=False)
                self._sparse_bytes -= old_ids.nbytes + old_values.nbytes

    def cache_clear(self) -> None:
        """Forget every term (as `functools.lru_cache`'s method of that name)."""
        with self._lock:
            self._dense.clear()
            self._sparse.clear()
            self._sparse_bytes = 0
            self.hits = self.misses = 0
