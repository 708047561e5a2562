"""What a query string matches: its parsed tree evaluated to a boolean mask over paragraphs
(each term matched exactly in the character index, or by its jieba words in word mode; gaps
and NEAR by their patterns), the terms that mark and rank the matches, and the marks
counted and placed in a paragraph, for `search.engine.Engine`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from indexer.analysis import words as jieba_words
from indexer.fold import fold
from search import budget, evaluations, patterns
from search import query as ql
from search.charindex import can_overlap, merge_spans
from search.errors import BadQuery
from search.results import MODES, SORTS, SearchQuery


@dataclass
class Evaluation:
    """The paragraphs matching the query string, and the strings that mark and rank them."""

    mask: np.ndarray
    terms: list[patterns.Marker] = field(default_factory=list)  # folded strings or patterns,
    # marked and counted
    words: list[str] = field(default_factory=list)  # the terms' jieba words: ranking only


def has_marks(q: str) -> bool:
    """Whether the query holds a term that marks and counts (what `Evaluation.terms` gets):
    one under an even number of NOTs that folds to something. A query of only negations or
    filters has none: it matches paragraphs, but no occurrence is in them to count."""
    return _marks(ql.parse(q), False)


def _marks(node, negated: bool) -> bool:
    """`Matching._evaluate`'s recording, without an index."""
    if isinstance(node, ql.Not):
        return _marks(node.child, not negated)
    if isinstance(node, ql.And | ql.Or):
        return any(_marks(c, negated) for c in node.children)
    if negated:
        return False
    if isinstance(node, ql.Term):
        return bool(fold(node.text).strip())
    if isinstance(node, ql.Gap | ql.Near):
        return patterns.compile_node(node) is not None
    return False


class Matching:
    """The matching half of `Engine` (its character and word indexes `chars` and `words`,
    its `columns`, paragraph count `n` and pattern counts `_pattern_counts`)."""

    def evaluate(self, query: SearchQuery) -> tuple[np.ndarray, Evaluation, dict]:
        """The final mask, the term evaluation and the facet selection masks of a query."""
        if query.mode not in MODES:
            raise BadQuery(f"参数 mode 须为 {'、'.join(MODES)} 之一")
        if query.sort not in SORTS:
            raise BadQuery(f"参数 sort 须为 {'、'.join(SORTS)} 之一")
        kept = evaluations.kept()
        key = (id(self), replace(query, page=1, per_page=None, sort=SORTS[0]))  # what matches
        if kept is not None and key in kept:
            mask, ev, selections = kept[key]
            return mask.copy(), ev, selections
        tree = ql.parse(query.q)
        ev = Evaluation(mask=np.zeros(0, bool))
        ev.mask = self._evaluate(tree, query.mode, ev)
        selections = self.columns.selection_masks(query)
        mask = ev.mask.copy()
        for m in selections.values():
            mask &= m
        if kept is not None:
            kept[key] = (mask.copy(), ev, selections)
        return mask, ev, selections

    def _evaluate(self, node, mode: str, ev: Evaluation, negated: bool = False) -> np.ndarray:
        budget.check()
        if isinstance(node, ql.MatchAll):
            return np.ones(self.n, bool)
        if isinstance(node, ql.Term):
            return self._term_mask(node.text, mode, ev, record=not negated)
        if isinstance(node, ql.And):
            mask = np.ones(self.n, bool)
            for child in node.children:
                mask &= self._evaluate(child, mode, ev, negated)
            return mask
        if isinstance(node, ql.Or):
            mask = np.zeros(self.n, bool)
            for child in node.children:
                mask |= self._evaluate(child, mode, ev, negated)
            return mask
        if isinstance(node, ql.Not):
            return ~self._evaluate(node.child, mode, ev, not negated)
        if isinstance(node, ql.Filter):
            return self.columns.field_mask(node.field, node.value)
        if isinstance(node, ql.Gap | ql.Near):
            marker = patterns.compile_node(node)
            if marker is None:
                return np.ones(self.n, bool) if isinstance(node, ql.Gap) else np.zeros(self.n, bool)
            if not negated and marker not in ev.terms:
                ev.terms.append(marker)
            return self.counts(marker) > 0
        raise BadQuery(f"无法检索的查询成分：{type(node).__name__}")

    def _term_mask(self, text: str, mode: str, ev: Evaluation, record: bool) -> np.ndarray:
        folded = fold(text).strip()
        if not folded:
            return np.ones(self.n, bool)
        words = tuple(jieba_words(folded)) if mode == "words" or record else ()
        if mode == "words" and words:
            mask = self.words.docs(words)
            marked = words  # word mode marks and counts every word of the term
        else:
            mask = self.chars.counts(folded) > 0
            marked = (folded,)
        if record:
            for w in marked:
                if w not in ev.terms:
                    ev.terms.append(w)
            for w in words:  # single characters of a longer term say little for ranking
                if len(w) > 1 and w not in ev.words and w not in marked:
                    ev.words.append(w)
        return mask

    def counts(self, marker: patterns.Marker) -> np.ndarray:
        """Occurrences per paragraph of a folded term or a pattern (cached, read-only)."""
        if isinstance(marker, str):
            return self.chars.counts(marker)
        return self._pattern_counts(marker)

    def spans(self, pid: int, markers, folded: str | None = None) -> list[tuple[int, int]]:
        """The marks of paragraph `pid` (whose `folded` text the caller may hold already):
        every occurrence of each marker, occurrences of different markers that overlap
        merged into one stretch."""
        text = self.chars.folded_text(pid) if folded is None else folded
        return merge_spans(patterns.marker_spans(text, markers))

    def marks(self, pids: np.ndarray, markers) -> np.ndarray:
        """How many marks each of the paragraphs `pids` holds: each marker's occurrences,
        except where occurrences of two markers overlap (发展改革 and 发展): once, as marked.
        What the search, the concordance, trends and adoption all count."""
        out = np.zeros(pids.size, np.int64)
        for m in markers:
            out += self.counts(m)[pids]
        clashing = [m for m in markers if any(can_overlap(m, o) for o in markers if o is not m)]
        if len(clashing) >= 2 and pids.size:
            present = sum((self.counts(m)[pids] > 0).astype(np.int32) for m in clashing)
            for i in np.flatnonzero(present >= 2):
                budget.check()
                out[i] = len(self.spans(int(pids[i]), markers))
        return out
