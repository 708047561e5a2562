"""Proximity and gaps, matched exactly: ``a NEAR/n b`` and ``乡村*振兴`` (see ``search.query``).

A pattern is found in two steps: the character index gives the paragraphs holding every
literal part (a superset), then the folded text of each such paragraph is scanned for the
pattern itself. Its occurrences are spans of the folded text, which ``fold`` keeps aligned
with the text as ingested:

- a gap's occurrence is the whole stretch, from the start of the first part to the end of
  the last: leftmost first, and from there the smallest first gap, then the smallest second
  gap… that lets every part follow (what a lazy regex ``p1[^。！？；]{0,4}?p2…`` finds);
  occurrences do not overlap. They are found by dynamic programming over the positions of
  the parts (which positions can start the rest of the chain), in time linear in the number
  of those positions, where a backtracking regex takes time exponential in the parts;
- a NEAR's occurrences are the occurrences of either side that have an occurrence of the
  other side at most ``n`` characters before or after them, not overlapping it, and those
  that overlap merged into one stretch: what is marked, so what is counted. Every
  occurrence of a term is a candidate here, overlapping ones included, so ``aa`` in ``aaa``
  is found at 0 and at 1 (and marked 0–3).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from indexer.fold import fold
from search import budget
from search import query as ql
from search.charindex import CharIndex, find_all, merge_spans

Span = tuple[int, int]
SENTENCE_ENDS = "".join(dict.fromkeys(fold("。！？；") + "。！？；"))  # and their folded forms


@dataclass(frozen=True)
class GapPattern:
    """Folded parts in order, 0 to ``ql.GAP_MAX`` characters apart, no sentence end between."""

    parts: tuple[str, ...]

    def __str__(self) -> str:
        return "*".join(self.parts)

    def literals(self) -> tuple[str, ...]:
        return self.parts

    def spans(self, text: str) -> list[Span]:
        return _gap_spans(text, self.parts)


@dataclass(frozen=True)
class NearPattern:
    """Folded sides (a string or a gap) at most ``distance`` characters apart."""

    left: str | GapPattern
    right: str | GapPattern
    distance: int

    def __str__(self) -> str:
        return f"{self.left} NEAR/{self.distance} {self.right}"

    def literals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_literals(self.left) + _literals(self.right)))

    def spans(self, text: str) -> list[Span]:
        left, right = _side_spans(text, self.left), _side_spans(text, self.right)
        keep = _near(left, right, self.distance) | _near(right, left, self.distance)
        return merge_spans(keep)


Pattern = GapPattern | NearPattern
Marker = str | Pattern  # what the engine marks and counts: a folded term or a pattern


def compile_node(node: ql.Gap | ql.Near) -> Marker | None:
    """The folded pattern of a query node; a plain string when a gap keeps one part; None
    when nothing is left to find (a side folds to nothing)."""
    if isinstance(node, ql.Gap):
        parts = tuple(p for p in (fold(p).strip() for p in node.parts) if p)
        if len(parts) >= 2:
            return GapPattern(parts)
        return parts[0] if parts else None
    left, right = _side(node.left), _side(node.right)
    if left is None or right is None:
        return None
    return NearPattern(left, right, node.distance)


def _side(node: ql.Term | ql.Gap) -> str | GapPattern | None:
    if isinstance(node, ql.Term):
        return fold(node.text).strip() or None
    side = compile_node(node)
    return side if isinstance(side, str | GapPattern) else None


def counts(chars: CharIndex, pattern: Pattern) -> np.ndarray:
    """Occurrences of `pattern` per paragraph (length chars.n), read-only like chars.counts."""
    candidates = np.ones(chars.n, bool)
    for literal in pattern.literals():
        candidates &= chars.counts(literal) > 0
    out = np.zeros(chars.n, np.int32)
    for pid in np.flatnonzero(candidates):
        budget.check()
        out[pid] = len(pattern.spans(chars.folded_text(int(pid))))
    out.flags.writeable = False
    return out


def marker_spans(text: str, markers) -> list[Span]:
    """Every occurrence of each marker in the folded `text`, sorted (they may overlap)."""
    out: list[Span] = []
    for m in markers:
        out.extend(find_all(text, m) if isinstance(m, str) else m.spans(text))
    return sorted(out)


# ---------------------------------------------------------------- matching


def _starts(text: str, part: str) -> list[int]:
    """Where `part` starts in `text`, overlapping occurrences included, in order."""
    out, i = [], text.find(part)
    while i >= 0:
        out.append(i)
        i = text.find(part, i + 1)
    return out


def _follow(text: str, end: int, starts: set[int]) -> int | None:
    """The first of `starts` 0 to GAP_MAX characters from `end` with no sentence end
    between, or None."""
    for at in range(end, min(end + ql.GAP_MAX, len(text)) + 1):
        if at in starts:
            return at
        if at < len(text) and text[at] in SENTENCE_ENDS:
            return None
    return None


def _gap_spans(text: str, parts: tuple[str, ...]) -> list[Span]:
    """The occurrences of a gap pattern (see the module's docstring). `ready[i]` holds the
    starts of part i from which parts i+1… can follow, built from the last part back; then
    each leftmost start takes the first possible position of each next part in turn."""
    found: dict[str, list[int]] = {}  # a part repeated (0*0*0) is looked for once
    for part in parts:
        if part not in found:
            found[part] = _starts(text, part)
            if not found[part]:
                return []
    ready: list[set[int]] = [set()] * len(parts)
    ready[-1] = set(found[parts[-1]])
    for i in range(len(parts) - 2, -1, -1):
        size, after = len(parts[i]), ready[i + 1]
        ready[i] = {p for p in found[parts[i]] if _follow(text, p + size, after) is not None}
        if not ready[i]:
            return []
    spans: list[Span] = []
    for start in sorted(ready[0]):
        if spans and start < spans[-1][1]:
            continue  # inside the previous occurrence: occurrences do not overlap
        at = start
        for i in range(1, len(parts)):
            at = _follow(text, at + len(parts[i - 1]), ready[i])
        spans.append((start, at + len(parts[-1])))
    return spans


def _literals(side: str | GapPattern) -> tuple[str, ...]:
    return (side,) if isinstance(side, str) else side.parts


def _side_spans(text: str, side: str | GapPattern) -> list[Span]:
    if isinstance(side, GapPattern):
        return side.spans(text)
    spans, i = [], text.find(side)
    while i >= 0:  # every occurrence, overlapping ones too
        spans.append((i, i + len(side)))
        i = text.find(side, i + 1)
    return spans


def _near(xs: list[Span], ys: list[Span], distance: int) -> set[Span]:
    """The spans of `xs` with a span of `ys` starting 0..distance after their end, or ending
    0..distance before their start."""
    starts = sorted(s for s, _ in ys)
    ends = sorted(e for _, e in ys)
    keep = set()
    for s, e in xs:
        after = bisect.bisect_left(starts, e)
        before = bisect.bisect_right(ends, s) - 1
        if (after < len(starts) and starts[after] <= e + distance) or (
            before >= 0 and ends[before] >= s - distance
        ):
            keep.add((s, e))
    return keep
