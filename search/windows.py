"""The company a query keeps: the union of the windows around its occurrences, the words jieba
finds there, and a word's exact count inside that union and in the filtered corpus.

A window is the ``span`` characters before an occurrence and the ``span`` after it, cut at the
paragraph's ends; nearby windows overlap, so they are taken as their union, each stretch of
characters at most once. The candidates are the words jieba (with the project's dictionary,
``indexer.analysis.words``) finds in those stretches; each is then counted by its exact string,
as the search counts a term, so that the near count and the corpus count are of one unit.
``search.collocations`` scores the words from these counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from indexer.analysis import words as jieba_words
from search import budget
from search import query as ql
from search.charindex import CHUNK, _has_border, find_all
from search.concordance import all_occurrences
from search.engine import Engine
from search.results import SearchQuery


@dataclass(frozen=True)
class Windows:
    """The union of the windows of a query's occurrences: stretches (paragraph id, start, end)
    of folded text, in corpus order, and where each lies in the character index's text."""

    occurrences: int  # f_A
    stretches: list[tuple[int, int, int]]
    byte_starts: np.ndarray
    byte_ends: np.ndarray

    @property
    def chars(self) -> int:  # W
        return sum(e - s for _, s, e in self.stretches)


def union_of_windows(engine: Engine, query: SearchQuery, span: int) -> Windows:
    _, occ = all_occurrences(engine, replace(query, per_page=None))
    by_pid: dict[int, list[tuple[int, int]]] = {}
    for pid, s, e in occ:
        by_pid.setdefault(pid, []).extend([(max(0, s - span), s), (e, e + span)])
    stretches, starts, ends = [], [], []
    for pid, spans in by_pid.items():  # in corpus order (dicts keep insertion order)
        budget.check()
        text = engine.chars.folded_text(pid)
        base = int(engine.chars.starts[pid])
        for s, e in _union(spans, len(text)):
            stretches.append((pid, s, e))
            starts.append(base + len(text[:s].encode("utf-8", "surrogatepass")))
            ends.append(starts[-1] + len(text[s:e].encode("utf-8", "surrogatepass")))
    return Windows(len(occ), stretches, np.array(starts, np.int64), np.array(ends, np.int64))


def _union(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Sorted stretches covering `spans` cut at `length`, overlapping or touching ones joined."""
    out: list[list[int]] = []
    for s, e in sorted((s, min(e, length)) for s, e in spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def candidates(engine: Engine, windows: Windows) -> Counter:
    """How often jieba finds each word in the stretches of the windows."""
    found: Counter = Counter()
    pieces: list[str] = []
    text, last = "", -1
    for k, (pid, s, e) in enumerate(windows.stretches, 1):
        if pid != last:
            text, last = engine.chars.folded_text(pid), pid
        pieces.append(text[s:e])
        if k % 2000 == 0 or k == len(windows.stretches):
            budget.check()  # between batches: one call segments a batch
            # jieba cuts text into blocks at characters such as a line break and segments each
            # block on its own, so one call over stretches joined by "\n" equals one per stretch.
            found.update(w for w in jieba_words("\n".join(pieces)) if "\n" not in w)
            pieces = []
    return found


def near_count(engine: Engine, word: str, windows: Windows) -> int:
    """f_AB: the occurrences of `word` (as the search counts them) inside the windows."""
    if not windows.stretches:
        return 0
    if _has_border(word):  # occurrences can overlap: count as str.count, paragraph by paragraph
        found, text, last = 0, "", -1
        for pid, s, e in windows.stretches:
            if pid != last:
                budget.check()
                text, last = engine.chars.folded_text(pid), pid
                spans = find_all(text, word)
            found += sum(1 for a, b in spans if s <= a and b <= e)
        return found
    pat = word.encode("utf-8", "surrogatepass")
    lo, hi = engine.chars.sa_range(pat)
    found = 0
    for first in range(lo, hi, CHUNK):
        budget.check()
        at = np.asarray(engine.chars.sa[first : min(hi, first + CHUNK)], np.int64)
        i = np.searchsorted(windows.byte_starts, at, side="right") - 1
        inside = (i >= 0) & (at + len(pat) <= windows.byte_ends[np.maximum(i, 0)])
        found += int(np.count_nonzero(inside))
    return found


def filter_mask(engine: Engine, query: SearchQuery) -> np.ndarray:
    """The filtered corpus: the facet selections and the `field:value` filters ANDed at the
    top of the query, with no query terms."""
    mask = engine.columns.filter_mask(query)
    tree = ql.parse(query.q)
    for node in tree.children if isinstance(tree, ql.And) else (tree,):
        if isinstance(node, ql.Filter):
            mask &= engine.columns.field_mask(node.field, node.value)
    return mask


def corpus_count(engine: Engine, word: str, mask: np.ndarray, everything: bool) -> int:
    """Occurrences of `word` in the filtered corpus (as the search counts them)."""
    if everything and not _has_border(word):
        return engine.chars.total(word)
    return int(engine.chars.counts(word)[mask].sum())
