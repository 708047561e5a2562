"""Brute-force substring scan over the folded paragraphs: the slowest peer and the ground truth.

Exact mode: every term must be a substring of the folded paragraph. Word mode: every jieba word
of every term must be a substring (a superset of what a word index finds, since a word index
also requires the paragraph to be segmented the same way).
"""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

from bench.common import (
    PAGE_SIZE,
    BuildStats,
    Hit,
    Page,
    Query,
    excerpt,
    facet_counts_by_report,
    first_match,
    fold,
    fold_all,
    jieba_words,
)
from bench.corpus import Corpus


class ScanPeer:
    name = "scan"
    max_paragraphs = None
    skip_reason = ""

    def __init__(self) -> None:
        self.folded: list[str] = []
        self.raw: list[str] = []
        self.reports: list[tuple[str, str, int, str]] = []  # district, level, year, type
        self.ranges: list[tuple[int, int]] = []  # pid range of each report

    def build(self, corpus: Corpus, workdir: Path) -> BuildStats:
        raw = [text for r in corpus.reports for text in r.texts]
        folded = fold_all(raw)
        meta = [(r.district, r.level, r.year, r.type, len(r.texts)) for r in corpus.reports]
        with (workdir / "scan.pickle").open("wb") as out:
            pickle.dump((meta, raw, folded), out, protocol=pickle.HIGHEST_PROTOCOL)
        return BuildStats(documents=len(raw), notes="pickled folded + shown text")

    def open(self, workdir: Path) -> None:
        with (workdir / "scan.pickle").open("rb") as f:
            meta, self.raw, self.folded = pickle.load(f)
        start = 0
        for district, level, year, type_, count in meta:
            self.reports.append((district, level, year, type_))
            self.ranges.append((start, start + count))
            start += count

    def _needles(self, query: Query) -> list[str]:
        terms = [fold(t) for t in query.terms]
        if query.mode == "words":
            terms = [w for t in terms for w in jieba_words(t)]
        return terms

    def matches(self, query: Query) -> list[tuple[int, int]]:
        """(pid, report index) of every matching paragraph, in corpus order."""
        needles = self._needles(query)
        if not needles:
            return []
        folded = self.folded
        out: list[tuple[int, int]] = []
        for index, (district, _level, year, type_) in enumerate(self.reports):
            if query.filtered and not query.accepts(district, year, type_):
                continue
            start, end = self.ranges[index]
            if len(needles) == 1:
                needle = needles[0]
                out.extend((pid, index) for pid in range(start, end) if needle in folded[pid])
            else:
                out.extend(
                    (pid, index)
                    for pid in range(start, end)
                    if all(n in folded[pid] for n in needles)
                )
        return out

    def first_page(self, query: Query) -> Page:
        found = self.matches(query)
        per_report = Counter(index for _pid, index in found)
        needles = self._needles(query)
        hits = []
        for pid, _index in found[:PAGE_SIZE]:
            start, end = first_match(self.folded[pid], needles)
            hits.append(Hit(pid, excerpt(self.raw[pid], start, end)))
        return Page(len(found), facet_counts_by_report(per_report, self.reports), hits)

    def all_ids(self, query: Query) -> set[int]:
        return {pid for pid, _index in self.matches(query)}
