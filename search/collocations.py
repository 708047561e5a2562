"""Collocations: the jieba words that keep company with the query's occurrences.

For each occurrence (a concordance row) the ``span`` characters before the match and the
``span`` characters after it, cut at the paragraph's ends, are each segmented on their own
with jieba and the project's dictionary (``indexer.analysis.words``: folded, punctuation and
spaces left out). With, as Sketch Engine names them:

- ``f_AB``: the words' count in those windows (a word in two overlapping windows counts twice);
- ``f_A``: the number of occurrences (concordance rows);
- ``f_B``: the word's occurrences in the filtered corpus (the paragraphs that pass the
  filters, with no query terms), counted exactly in the character index as the search counts;
- ``N``: the characters of the filtered corpus;

    logDice = 14 + log2(2·f_AB / (f_A + f_B))
    LL = 2·(xlx(f_AB) + xlx(f_A−f_AB) + xlx(f_B−f_AB) + xlx(N) + xlx(N+f_AB−f_A−f_B)
            − xlx(f_A) − xlx(f_B) − xlx(N−f_A) − xlx(N−f_B)),  xlx(x) = x·ln x (0 for x ≤ 0)

Candidates are the ``CANDIDATES`` words most frequent near the match with ``f_AB ≥ MIN_NEAR``;
the top ``limit`` by logDice are returned (ties: higher f_AB, then the word).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from indexer.analysis import words as jieba_words
from search import query as ql
from search.charindex import _has_border
from search.concordance import all_occurrences, cached
from search.engine import Engine
from search.results import SearchQuery

DEFAULT_SPAN = 10
MAX_SPAN = 50
MIN_NEAR = 2
CANDIDATES = 1000
TOP = 50


@dataclass(frozen=True)
class Collocate:
    word: str
    near: int  # f_AB
    total: int  # f_B
    log_dice: float
    log_likelihood: float


@dataclass(frozen=True)
class Collocations:
    query: SearchQuery
    span: int
    occurrences: int  # f_A
    corpus_chars: int  # N
    items: tuple[Collocate, ...]


def windows(text: str, start: int, end: int, span: int) -> tuple[str, str]:
    """The `span` characters before and after a match, cut at the paragraph's ends."""
    return text[max(0, start - span) : start], text[end : end + span]


def near_counts(engine: Engine, query: SearchQuery, span: int) -> tuple[Counter, int]:
    """f_AB for every word found in the windows, and f_A."""
    _, occ = all_occurrences(engine, replace(query, per_page=None))
    pieces: list[str] = []
    text, last = "", -1
    for pid, s, e in occ:
        if pid != last:
            text, last = engine.chars.folded_text(pid), pid
        pieces.extend(windows(text, s, e, span))
    # jieba cuts text into blocks at characters such as a line break and segments each block
    # on its own, so one call over the windows joined by "\n" equals one call per window.
    return Counter(w for w in jieba_words("\n".join(pieces)) if "\n" not in w), len(occ)


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


def collocations(
    engine: Engine, query: SearchQuery, span: int = DEFAULT_SPAN, limit: int = TOP
) -> Collocations:
    """The top `limit` collocates by logDice (remembered per query, filters and span)."""
    if hasattr(type(engine), "collocations"):  # a sharded index: the shards' counts summed
        return engine.collocations(query, span, limit)
    key = ("collocations", replace(query, page=1, per_page=None, sort="relevance"), span, limit)
    return cached(engine, key, lambda: _collocations(engine, key[1], span, limit))


def _collocations(engine: Engine, query: SearchQuery, span: int, limit: int) -> Collocations:
    near, f_a = near_counts(engine, query, span)
    mask = filter_mask(engine, query)
    everything = bool(mask.all())
    n = int(engine.columns.col["chars"][mask].sum())
    items = []
    for word, f_ab in near.most_common(CANDIDATES):
        if f_ab < MIN_NEAR:
            break
        f_b = corpus_count(engine, word, mask, everything)
        items.append(
            Collocate(word, f_ab, f_b, log_dice(f_ab, f_a, f_b), log_likelihood(f_ab, f_a, f_b, n))
        )
    items.sort(key=lambda c: (-c.log_dice, -c.near, c.word))
    return Collocations(query, span, f_a, n, tuple(items[:limit]))


def log_dice(f_ab: int, f_a: int, f_b: int) -> float:
    return 14 + math.log2(2 * f_ab / (f_a + f_b)) if f_ab and f_a + f_b else 0.0


def _xlx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def log_likelihood(f_ab: int, f_a: int, f_b: int, n: int) -> float:
    return 2 * (
        _xlx(f_ab)
        + _xlx(f_a - f_ab)
        + _xlx(f_b - f_ab)
        + _xlx(n)
        + _xlx(n + f_ab - f_a - f_b)
        - _xlx(f_a)
        - _xlx(f_b)
        - _xlx(n - f_a)
        - _xlx(n - f_b)
    )
