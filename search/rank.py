"""Result order: BM25 relevance over exact occurrences and jieba words, or report date.
Every order is total (ties go to the lower paragraph id), so pages are slices of one order."""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable, Sequence

import numpy as np

K1, B = 1.2, 0.75

Counts = Callable[[str], np.ndarray]  # folded string → occurrences per paragraph


class Ranker:
    def __init__(self, chars: np.ndarray, report: np.ndarray, report_rank: np.ndarray):
        self.n = len(chars)
        chars = chars.astype(np.float64)
        avg = float(chars.mean()) if self.n else 1.0
        self._length_norm = K1 * (1 - B + B * chars / max(avg, 1.0))
        self._report, self._report_rank = report, report_rank
        self._rank_old = self._chrono_rank()
        self._dfs: dict[int, tuple[weakref.ref, int]] = {}  # id of a counts array → (it, df)
        self._lock = threading.Lock()

    def ordered(
        self,
        pids: np.ndarray,
        sort: str,
        counts: Counts,
        terms: Sequence[str],
        limit: int | None = None,
    ) -> np.ndarray:
        """The matching paragraph ids `pids` in result order (the first `limit` of them when
        given); ties go to the lower paragraph id, so the order is total and repeatable."""
        if sort == "relevance" and terms and pids.size:
            primary = -self.scores(pids, counts, terms)
        elif sort == "oldest":
            primary = self._rank_old[pids]
        else:
            primary = -self._report_rank_of(pids)
        if limit is not None and limit < pids.size:
            kth = np.partition(primary, limit - 1)[limit - 1]
            keep = np.flatnonzero(primary <= kth)  # every tie of the last kept value
            pids, primary = pids[keep], primary[keep]
        order = np.lexsort((pids, primary))
        return pids[order[:limit]] if limit is not None else pids[order]

    def scores(self, pids: np.ndarray, counts: Counts, terms: Sequence[str]) -> np.ndarray:
        """BM25 over each of `terms` (the query's jieba words, then its exact terms: the
        boost); occurrences are counted in the character index, so a word that jieba cuts
        differently in one paragraph still counts there."""
        norm = self._length_norm[pids]
        score = np.zeros(pids.size)
        for term in terms:  # counts are cached from the evaluation
            per_paragraph = counts(term)
            df = self._df(per_paragraph)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            tf = per_paragraph[pids].astype(np.float64)
            part = tf * idf  # idf * tf * (K1 + 1) / (tf + norm), in place, in that order
            part *= K1 + 1
            tf += norm
            part /= tf
            score += part
        return score

    def _df(self, per_paragraph: np.ndarray) -> int:
        """The paragraphs holding a term (of its counts, a cached read-only array: kept for
        as long as that array lives)."""
        key = id(per_paragraph)
        with self._lock:
            kept = self._dfs.get(key)
        if kept is not None and kept[0]() is per_paragraph:
            return kept[1]
        df = int(np.count_nonzero(per_paragraph))
        if not per_paragraph.flags.writeable:
            with self._lock:
                self._dfs = {k: v for k, v in self._dfs.items() if v[0]() is not None}
                self._dfs[key] = (weakref.ref(per_paragraph), df)
        return df

    def _chrono_rank(self) -> np.ndarray:
        """Paragraph rank in (report date, report id, paragraph number) order."""
        order = np.lexsort((np.arange(self.n), self._report_rank_of(np.arange(self.n))))
        rank = np.empty(self.n, np.int64)
        rank[order] = np.arange(self.n)
        return rank

    def _report_rank_of(self, pids: np.ndarray) -> np.ndarray:
        return self._report_rank[self._report[pids]]
