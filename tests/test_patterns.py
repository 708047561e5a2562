"""Gap and NEAR matching (search.patterns) against the semantics they replace: a lazy
backtracking regex for gaps, and a brute force over every choice of gaps and every pair of
occurrences; and the pathological gap that used to backtrack for minutes."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from search import query as ql
from search.charindex import merge_spans
from search.engine import Engine
from search.patterns import SENTENCE_ENDS, GapPattern, NearPattern
from search.results import SearchQuery

ALPHABET = "0a全。"  # a repeated character, another, a third, a sentence end
texts = st.text(alphabet=ALPHABET, max_size=24)
parts = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=2), min_size=2, max_size=4)


def regex_gap(text: str, parts: list[str]) -> list[tuple[int, int]]:
    """The semantics as first written: a lazy regex, its non-overlapping finditer."""
    between = f"[^{re.escape(SENTENCE_ENDS)}]{{0,{ql.GAP_MAX}}}?"
    return [m.span() for m in re.finditer(between.join(map(re.escape, parts)), text, re.S)]


def brute_gap(text: str, parts: list[str]) -> list[tuple[int, int]]:
    """Leftmost start, then the first gap vector in lexicographic order that places every part;
    the next search starts where the occurrence ends."""
    spans, pos = [], 0
    while pos <= len(text):
        found = None
        for start in range(pos, len(text)):
            for gaps in itertools.product(range(ql.GAP_MAX + 1), repeat=len(parts) - 1):
                end = _place(text, start, parts, gaps)
                if end is not None:
                    found = (start, end)
                    break
            if found:
                break
        if not found:
            return spans
        spans.append(found)
        pos = found[1]
    return spans


def _place(text: str, start: int, parts: list[str], gaps) -> int | None:
    """Where the chain ends when part i+1 starts gaps[i] characters after part i, or None."""
    at = start
    for i, part in enumerate(parts):
        if not text.startswith(part, at):
            return None
        at += len(part)
        if i < len(gaps):
            gap = text[at : at + gaps[i]]
            if len(gap) < gaps[i] or set(gap) & set(SENTENCE_ENDS):
                return None
            at += gaps[i]
    return at


def brute_near(text: str, left: str, right: str, n: int) -> list[tuple[int, int]]:
    def occ(term):
        return [(i, i + len(term)) for i in range(len(text)) if text.startswith(term, i)]

    def close(x, y):
        return 0 <= y[0] - x[1] <= n or 0 <= x[0] - y[1] <= n

    xs, ys = occ(left), occ(right)
    keep = {x for x in xs if any(close(x, y) for y in ys)}
    keep |= {y for y in ys if any(close(y, x) for x in xs)}
    return merge_spans(keep)


@settings(max_examples=400, deadline=None)
@given(texts, parts)
def test_gap_spans_equal_the_lazy_regex_and_a_brute_force(text: str, parts: list[str]) -> None:
    spans = GapPattern(tuple(parts)).spans(text)
    assert spans == regex_gap(text, parts) == brute_gap(text, parts)


@settings(max_examples=300, deadline=None)
@given(
    texts,
    st.text(ALPHABET, min_size=1, max_size=3),
    st.text(ALPHABET, min_size=1, max_size=3),
    st.integers(0, 5),
)
def test_near_spans_are_the_merged_pairs_of_a_brute_force(text, left, right, n) -> None:
    assert NearPattern(left, right, n).spans(text) == brute_near(text, left, right, n)


def test_a_gap_of_many_parts_over_a_run_answers(tmp_path: Path) -> None:
    """`0*0*…*0*全` over a paragraph of zeros took minutes in a backtracking regex (5.9 s with
    10 parts, 95 s with 12): the matcher visits each position of each part once."""
    text = "0" * 300 + "全" + "0" * 50 + "。全"
    assert GapPattern(("0",) * 5 + ("全",)).spans(text) == regex_gap(text, ["0"] * 5 + ["全"])
    for k in (10, 14, 30):
        gap = GapPattern(("0",) * k + ("全",))
        assert gap.spans(text) == [(300 - 5 * k, 301)]  # the leftmost start: gaps of 4
        assert GapPattern(("0",) * k + ("无",)).spans(text) == []


def test_the_pathological_gap_query_answers_on_an_index(bundled_index: Path) -> None:
    engine = Engine.open(bundled_index)
    q = "*".join(["0"] * 14 + ["全"])
    assert engine.search(SearchQuery(q=q)).total == 0  # an answer, not a stall
