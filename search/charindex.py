"""The exact character index: a suffix array over the folded text of every paragraph.

`folded.bin` holds the folded paragraphs as UTF-8 joined by "\\n"; `sa.npy` its suffixes that
start a character, sorted. Two binary searches give every occurrence of any string of one
character or more; a block table maps occurrence offsets to paragraph ids.
"""

from __future__ import annotations

import mmap
import threading
import weakref
from pathlib import Path

import numpy as np

from indexer import format as fmt
from search import budget
from search.termcache import TermCache

BLOCK = 64  # bytes per entry of the offset → paragraph table
CHUNK = 1 << 22  # occurrences mapped to paragraphs at a time
RARE = 8  # occurrences under 1/RARE of the paragraphs are counted one by one

Span = tuple[int, int]


class CharIndex:
    """Occurrence counts per paragraph for any folded string; thread-safe."""

    def __init__(self, generation: Path, starts: np.ndarray, cache_entries: int):
        self.folder = generation  # the segment's folder
        self.starts = starts  # byte offset of each paragraph, and the end of the text
        self.n = len(starts) - 1
        with open(fmt.folded_path(generation), "rb") as fh:
            self.text = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if self.n else b""
        self.sa = np.load(fmt.suffixes_path(generation), mmap_mode="r")
        self._block_doc: np.ndarray | None = None
        self._block_steps = 0
        self._heavy = threading.BoundedSemaphore(2)  # concurrent occurrence counts (2 cores)
        # Through a weak reference: a cache holding a bound method would make a cycle, and an
        # index replaced after a rebuild would keep its files open until a full collection.
        me = weakref.proxy(self)
        self.counts = TermCache(lambda t: CharIndex._counts(me, t), cache_entries)

    def verify(self) -> None:
        size = len(self.text)
        if len(self.sa) > size or int(self.starts[-1]) != size:
            raise ValueError(f"suffix array or offsets do not cover {fmt.FOLDED} ({size} bytes)")

    def folded_text(self, pid: int) -> str:
        """The folded text of paragraph `pid`: the very text the counts come from."""
        start, end = int(self.starts[pid]), int(self.starts[pid + 1]) - 1
        return self.text[start:end].decode("utf-8")

    def sa_range(self, pat: bytes, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        """The block of suffixes starting with `pat`, by two binary searches; within [lo, hi)
        when given (a block whose suffixes all share a prefix of `pat`)."""
        sa, text, m = np.asarray(self.sa), self.text, len(pat)  # item access without memmap's cost
        hi = len(sa) if hi is None else hi
        end = hi
        while lo < hi:
            mid = (lo + hi) // 2
            p = int(sa[mid])
            if text[p : p + m] < pat:
                lo = mid + 1
            else:
                hi = mid
        first, hi = lo, end
        while lo < hi:
            mid = (lo + hi) // 2
            p = int(sa[mid])
            if text[p : p + m] <= pat:
                lo = mid + 1
            else:
                hi = mid
        return first, lo

    def total(self, folded: str) -> int:
        """Occurrences of `folded` (a string that cannot overlap itself) in every paragraph."""
        lo, hi = self.sa_range(folded.encode("utf-8"))
        return hi - lo

    def _counts(self, folded: str) -> np.ndarray:
        """Per-paragraph count of non-overlapping occurrences of `folded` (length self.n)."""
        pat = folded.encode("utf-8", "surrogatepass")
        if not pat or b"\n" in pat:
            return np.zeros(self.n, np.int32)  # not cached as shared state: a fresh array
        lo, hi = self.sa_range(pat)
        counts = np.zeros(self.n, np.int32)
        with self._heavy:  # a common term has millions of occurrences: bound the temporaries
            for first in range(lo, hi, CHUNK):
                budget.check()
                docs = self.docs_of(np.asarray(self.sa[first : min(hi, first + CHUNK)]))
                if docs.size * RARE < self.n:  # added where they are, not over every paragraph
                    np.add.at(counts, docs, 1)
                else:
                    counts += np.bincount(docs, minlength=self.n).astype(np.int32)
        if _has_border(folded):  # overlapping occurrences: count as marked, left to right
            for doc in np.flatnonzero(counts):
                budget.check()
                counts[doc] = self.folded_text(int(doc)).count(folded)
        counts.flags.writeable = False  # cached and shared between threads
        return counts

    def docs_of(self, positions: np.ndarray) -> np.ndarray:
        """The paragraph holding each byte offset: a block table gives the paragraph at the
        start of the offset's 64-byte block, then a few vectorised steps walk forward past
        the paragraph starts inside the block (cheaper than a binary search per offset)."""
        if self._block_doc is None:
            blocks = np.arange(0, int(self.starts[-1]), BLOCK, dtype=np.int64)
            self._block_steps = int(np.bincount(self.starts[:-1] // BLOCK).max()) if self.n else 0
            self._block_doc = (np.searchsorted(self.starts, blocks, side="right") - 1).astype(
                np.int32
            )
        docs = self._block_doc[positions // BLOCK]
        for _ in range(self._block_steps):
            docs += positions >= self.starts[docs + 1]
        return docs


def find_all(text: str, term: str) -> list[Span]:
    """Non-overlapping occurrences of `term` in `text`, left to right (as str.count counts)."""
    spans = []
    if not term:
        return spans
    i = text.find(term)
    while i >= 0:
        spans.append((i, i + len(term)))
        i = text.find(term, i + len(term))
    return spans


def merge_spans(spans) -> list[Span]:
    """Sorted spans covering the union of `spans`: overlapping ones merge, touching ones not
    (two adjacent occurrences are two marks)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def can_overlap(a, b) -> bool:
    """True when occurrences of `a` and `b` can share characters in some text (a pattern,
    which is not a plain string, is taken to overlap anything)."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return True
    if a in b or b in a:
        return True
    return any(a.endswith(b[:k]) or b.endswith(a[:k]) for k in range(1, min(len(a), len(b))))


def _has_border(s: str) -> bool:
    """True when a proper prefix of s equals a suffix, so occurrences can overlap."""
    return any(s[:k] == s[-k:] for k in range(1, len(s)))
