"""Who repeated whom: for every report, the passages of at least `min_chars` folded characters
it shares with earlier reports, as directed edges earlier report → later report.

Two reports share a passage of at least N characters exactly when they share a string of N
characters, so for each N-character window of a report's paragraphs the suffix array of the
character index gives every other report holding it (two binary searches, then the paragraphs
of the occurrences outside the report). For each earlier report found, the passages are the
maximal strings of the later report that stand verbatim in the earlier one's text (for each
start, the longest match there, kept when it reaches past the previous passage's end); `chars`
is the characters of the later report they cover. "Earlier" is the index's date order (year,
date, then report id), the order of `report_rank`.

Every suffix array holding the text is asked: each segment's of an index after `--update`
(deleted paragraphs left out) and each shard's of a sharded index, so the edges are those of
the same files in one optimized index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from search.charindex import CharIndex

log = logging.getLogger(__name__)

MIN_CHARS = 15


@dataclass(frozen=True)
class Edge:
    source: int  # report index of the earlier report
    target: int  # of the later one
    chars: int  # characters of the target covered by the passages
    passages: tuple[str, ...]  # folded, in the target's order


@dataclass
class Corpus:
    """What the network reads of an index: the reports in one index's order (`first` and
    `count` in one index's paragraph ids), their date ranks, each paragraph's report, and
    every suffix array holding the text — one per segment, or per segment of every shard —
    with the one-index paragraph id of each of its paragraphs (-1: deleted; None: the same)."""

    report_meta: list[dict]
    rank: np.ndarray
    report_of: np.ndarray
    parts: list[tuple[object, np.ndarray | None]]
    folded_text: Callable[[int], str]

    @classmethod
    def of(cls, engine) -> Corpus:
        """One index, of one segment or of several (after `--update`): every segment's
        character index asked, deleted paragraphs left out, as after optimize."""
        from search.reuse_finder import segments as _segments

        col = engine.columns.col
        return cls(
            engine.report_meta,
            col["report_rank"],
            col["report"],
            _segments(engine.chars),
            engine.chars.folded_text,
        )


def _texts(corpus: Corpus, report: int) -> list[str]:
    meta = corpus.report_meta[report]
    return [corpus.folded_text(p) for p in range(meta["first"], meta["first"] + meta["count"])]


class _Part:
    """One suffix array: the one-index paragraphs holding a window, and each report's bytes in
    it (a report's paragraphs are contiguous in a segment)."""

    def __init__(self, ci, logical: np.ndarray | None, report_of: np.ndarray, reports: int):
        self.ci = ci
        self.sa = np.asarray(ci.sa)  # a plain view: item access without memmap's cost
        self._plain = SimpleNamespace(sa=self.sa, text=ci.text)  # what sa_range reads
        self.logical = logical
        self._pairs: dict[str, tuple[int, int]] = {}  # suffixes starting with two characters
        local = np.arange(ci.n) if logical is None else np.flatnonzero(logical >= 0)
        owner = report_of[local if logical is None else logical[local]]
        # each report's first and last paragraph here, when its paragraphs here are contiguous
        self.lo = np.full(reports, np.iinfo(np.int64).max, np.int64)
        self.hi = np.full(reports, -1, np.int64)
        np.minimum.at(self.lo, owner, local)
        np.maximum.at(self.hi, owner, local)
        count = np.bincount(owner, minlength=reports)
        gappy = (count == 0) | (self.hi - self.lo + 1 != count)
        self.lo[gappy], self.hi[gappy] = -1, -1

    def _range(self, window: str) -> tuple[int, int]:
        """The suffixes starting with `window`: two binary searches (as CharIndex.sa_range)
        within those starting with its first two characters."""
        pair = window[:2]
        if pair not in self._pairs:
            self._pairs[pair] = CharIndex.sa_range(self._plain, pair.encode("utf-8"))
        lo, hi = self._pairs[pair]
        return CharIndex.sa_range(self._plain, window.encode("utf-8"), lo, hi)

    def bytes_of(self, report: int) -> tuple[int, int]:
        """The report's bytes in this suffix array's text ((0, 0) when it has none here)."""
        lo, hi = int(self.lo[report]), int(self.hi[report])
        if lo < 0:
            return 0, 0
        return int(self.ci.starts[lo]), int(self.ci.starts[hi + 1])

    def others(self, window: str, own: tuple[int, int]) -> np.ndarray:
        """The one-index paragraph ids of the live occurrences of `window` outside `own`."""
        lo, hi = self._range(window)
        if hi == lo:
            return np.zeros(0, np.int64)
        pos = self.sa[lo:hi]
        outside = pos[(pos < own[0]) | (pos >= own[1])].astype(np.int64)
        if not outside.size:
            return outside
        docs = self.ci.docs_of(outside).astype(np.int64)
        if self.logical is not None:
            docs = self.logical[docs]
            docs = docs[docs >= 0]
        return docs


class _Windows:
    """The other reports holding each N-character window of a report, asked of every suffix
    array of the corpus."""

    def __init__(self, corpus: Corpus):
        n_reports = len(corpus.report_meta)
        self.corpus = corpus
        self.parts = [_Part(ci, lg, corpus.report_of, n_reports) for ci, lg in corpus.parts]

    def partners(self, report: int, n: int) -> dict[int, list[tuple[int, int]]]:
        """Every other report sharing a string of `n` characters with `report`, with the
        (paragraph index, start) of each window of `report` it holds."""
        own = [part.bytes_of(report) for part in self.parts]
        found: dict[int, list[tuple[int, int]]] = {}
        holders: dict[str, list[int]] = {}  # a window seen before: its other reports
        for k, text in enumerate(_texts(self.corpus, report)):
            for i in range(len(text) - n + 1):
                window = text[i : i + n]
                others = holders.get(window)
                if others is None:
                    docs = [p.others(window, b) for p, b in zip(self.parts, own, strict=True)]
                    docs = [d for d in docs if d.size]
                    others = holders[window] = (
                        [
                            r
                            for r in np.unique(self.corpus.report_of[np.concatenate(docs)]).tolist()
                            if r != report
                        ]
                        if docs
                        else []
                    )
                for r in others:
                    found.setdefault(r, []).append((k, i))
        return found


def shared_passages(
    later: list[str], earlier: list[str], n: int, starts: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, int]]:
    """(paragraph index, start, end) of the maximal passages of `later` (its paragraphs' texts)
    of at least `n` characters standing verbatim in a paragraph of `earlier`; `starts`, when
    given, are the (paragraph index, start) of every n-character window of `later` that
    `earlier` holds (in order): only there can a passage start."""
    joined = "\n".join(earlier)  # a paragraph holds no line break, so no match spans two
    if starts is None:
        starts = [
            (k, i) for k, s in enumerate(later) for i in range(len(s) - n + 1)
            if s[i : i + n] in joined
        ]  # fmt: skip
    out = []
    last_k, last_i, prev, max_end = -1, -1, 0, 0
    for k, i in starts:
        s = later[k]
        if k != last_k:
            prev, max_end = 0, 0
        best = prev - 1 if (k, i - 1) == (last_k, last_i) and prev - 1 >= n else n
        while i + best < len(s) and s[i : i + best + 1] in joined:
            best += 1
        last_k, last_i, prev = k, i, best
        if i + best > max_end:
            out.append((k, i, i + best))
            max_end = i + best
    return out


def _covered(spans: list[tuple[int, int, int]]) -> int:
    total, last = 0, (-1, 0)
    for k, start, end in spans:  # in order of paragraph, then start
        begin = max(start, last[1]) if k == last[0] else start
        total += max(0, end - begin)
        last = (k, max(end, last[1]) if k == last[0] else end)
    return total


def edges(engine, min_chars: int = MIN_CHARS, reports: list[int] | None = None) -> Iterator[Edge]:
    """The edges into each of `reports` (all by default) from the earlier reports it shares a
    passage of at least `min_chars` characters with, in the order of `reports`. `engine` is
    an Engine or a `Corpus` (a sharded index's: `search.cluster_network.sharded_corpus`)."""
    if min_chars < 2:
        raise ValueError("min_chars must be at least 2")
    corpus = engine if isinstance(engine, Corpus) else Corpus.of(engine)
    windows = _Windows(corpus)
    rank = corpus.rank
    for target in range(len(corpus.report_meta)) if reports is None else reports:
        found = windows.partners(target, min_chars)
        sources = sorted(s for s in found if rank[s] < rank[target])
        if not sources:
            continue
        later = _texts(corpus, target)
        for source in sources:
            spans = shared_passages(later, _texts(corpus, source), min_chars, found[source])
            if spans:
                texts = tuple(later[k][s:e] for k, s, e in spans)
                yield Edge(source, target, _covered(spans), texts)
