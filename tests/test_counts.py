"""Numbers that say what they count: occurrences are the marks shown, a year bound never takes
reports of unknown year, and an excerpt never cuts a mark."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.ingest import ingest
from search.charindex import merge_spans
from search.engine import Engine
from search.results import SearchQuery
from search_app.highlight import excerpt_bounds

# Pairs of terms whose occurrences overlap (one inside the other, or sharing an edge).
OVERLAPPING = (
    "经济发展 发展",
    "跑一次 最多跑",
    "最多跑一次 一次",
    "改革 革新",
    "社会 会议",
    "区 城区",
)


@pytest.fixture(scope="module")
def engine(bundled_corpus: Path, tmp_path_factory):
    """The bundled reports, and one of them again with its year unknown."""
    reports = ingest([bundled_corpus]).reports
    undated = replace(reports[0], id="undated", source="undated.txt", year=None, date="")
    index = tmp_path_factory.mktemp("counts-index")
    build_index([*reports, undated], index)
    opened = Engine.open(index)
    yield opened
    opened.close()


@pytest.mark.parametrize("q", (*OVERLAPPING, "改革", "的 了", "最多跑一次 OR 跑一次"))
def test_occurrences_are_the_marks_shown(engine, q) -> None:
    results = engine.search(SearchQuery(q=q, per_page=None))
    assert results.total > 0
    assert results.occurrences == sum(len(h.matches) for h in results.hits)
    for hit in results.hits:  # marks: sorted, never overlapping, each a stretch of a term
        assert list(hit.matches) == merge_spans(hit.matches)


def test_an_upper_year_bound_leaves_out_unknown_years(engine) -> None:
    everything = engine.search(SearchQuery(per_page=None)).hits
    assert any(h.year is None for h in everything)
    up_to = engine.search(SearchQuery(year_to=2018, per_page=None))
    assert up_to.total == sum(1 for h in everything if h.year and h.year <= 2018)
    assert engine.search(SearchQuery(q="year:-2018")).total == up_to.total
    years = {f.value: f.count for f in up_to.facets["year"]}
    assert sum(c for y, c in years.items() if y and int(y) <= 2018) == up_to.total


@given(
    st.text(alphabet="改革发展。，；社会", min_size=0, max_size=400),
    st.lists(st.tuples(st.integers(0, 400), st.integers(1, 12)), max_size=12),
    st.integers(20, 200),
)
def test_an_excerpt_never_cuts_a_mark(text, raw, max_chars) -> None:
    spans = merge_spans((s, min(s + n, len(text))) for s, n in raw if s < len(text))
    start, end = excerpt_bounds(text, spans, max_chars)
    assert 0 <= start <= end <= len(text)
    for s, e in spans:
        assert not (s < start < e) and not (s < end < e), (start, end, s, e)
    if spans:
        assert start <= spans[0][0] and spans[0][1] <= end  # the first mark is always shown


@pytest.mark.parametrize("q", OVERLAPPING)
def test_every_view_counts_the_same_marks_as_the_search(engine, q) -> None:
    """The concordance's rows, the trends' occurrences and adoption's mentions add up to the
    search's occurrences, also where two terms' occurrences overlap."""
    from search.adoption import adoption
    from search.concordance import concordance
    from search.trends import trends

    search = engine.search(SearchQuery(q=q, per_page=0))
    assert concordance(engine, SearchQuery(q=q, per_page=1)).occurrences == search.occurrences
    dated = engine.search(SearchQuery(q=q, per_page=None))
    in_dated = sum(len(h.matches) for h in dated.hits if h.year)
    (term,) = trends(engine, [q], SearchQuery()).terms
    assert sum(y.occurrences for y in term.years) == in_dated
    table = adoption(engine, SearchQuery(q=q, levels=("district",)))
    assert sum(sum(p.mentions.values()) for p in table.places) == in_dated
