"""The same words elsewhere: every passage stands, folded, in its report and in every report
listed for it; a paragraph copied whole into another report is found at its full length;
nothing shorter than `min` is listed; the ranking adds up the passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.fold import fold
from search.engine import Engine
from search.reuse import MIN_CHARS, paragraph_reuse, report_reuse
from tests.conftest import COPIED, PLACED


@pytest.fixture(scope="module")
def engine(placed_index: Path):
    opened = Engine.open(placed_index)
    yield opened
    opened.close()


def folded_texts(engine: Engine, report_id: str) -> list[str]:
    return [fold(p.text) for p in engine.get_report(report_id).paragraphs]


def test_a_copied_paragraph_is_found_at_its_full_length(engine) -> None:
    source, copy = f"r{COPIED[0]:02d}", f"r{len(PLACED) - 1:02d}"
    n = COPIED[1] + 1
    text = folded_texts(engine, source)[n - 1]
    passages = paragraph_reuse(engine, source, n)
    full = [p for p in passages if (p.start, p.end) == (0, len(text))]
    assert full and copy in {o.report_id for o in full[0].elsewhere}
    back = paragraph_reuse(engine, copy, len(folded_texts(engine, copy)))
    assert any(p.chars == len(text) and source in {o.report_id for o in p.elsewhere} for p in back)


@pytest.mark.parametrize("min_chars", [MIN_CHARS, 8, 30])
@pytest.mark.parametrize("report", ["r00", "r05", "r12", f"r{len(PLACED) - 1:02d}"])
def test_every_passage_stands_in_both_reports_and_is_long_enough(engine, report, min_chars):
    own = folded_texts(engine, report)
    result = report_reuse(engine, report, min_chars)
    texts = {}
    for p in result.passages:
        assert p.chars >= min_chars and p.text == own[p.paragraph - 1][p.start : p.end]
        assert p.reports == len(p.elsewhere) > 0
        for o in p.elsewhere:
            other = texts.setdefault(o.report_id, folded_texts(engine, o.report_id))
            assert o.report_id != report and p.text in other[o.paragraph - 1]
    for shared in result.shared:
        assert 0 < shared.chars <= sum(p.chars for p in shared.passages)
    ranked = [s.chars for s in result.shared]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize("report", ["r03", "r16"])
def test_passages_are_maximal_and_none_is_missed(engine, report) -> None:
    """Brute force: every `min`-character window of the report found in another report lies in
    a listed passage, and no passage can be extended by a character either way."""
    min_chars = 10
    own = folded_texts(engine, report)
    others = "\n".join(
        t for r in engine.reports() if r["id"] != report for t in folded_texts(engine, r["id"])
    )
    result = report_reuse(engine, report, min_chars)
    by_para: dict[int, list] = {}
    for p in result.passages:
        by_para.setdefault(p.paragraph, []).append(p)
        text = own[p.paragraph - 1]
        assert p.text in others
        if p.start > 0:
            assert text[p.start - 1 : p.end] not in others
        if p.end < len(text):
            assert text[p.start : p.end + 1] not in others
    for n, text in enumerate(own, 1):
        for i in range(len(text) - min_chars + 1):
            if text[i : i + min_chars] in others:
                assert any(p.start <= i and i + min_chars <= p.end for p in by_para.get(n, ()))
