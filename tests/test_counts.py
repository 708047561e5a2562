"""Numbers that say what they count: occurrences are the marks shown, a year bound never takes
reports of unknown year, and an excerpt never cuts a mark."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.ingest import ingest
from indexer.models import Paragraph
from search.charindex import merge_spans
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


# Paragraphs where the occurrences of NEAR and gap queries overlap one another.
CROWDED = (
    "完善收入分配制度，增加城乡居民收入，收入分配差距缩小；收入分配收入分配收入。",
    "投资00万元，其中000万元为贷款，另有00000万元和0万0万。",
    "全面推进乡村振兴，乡村产业振兴、乡村人才振兴、乡村文化振兴和振兴乡村振兴。",
    "0" * 60 + "全面，" + "00全00全",
)
CROWDED_QUERIES = (
    "收入分配 NEAR/8 收入",
    "00 NEAR/3 万",
    "0 NEAR/1 0",
    "乡村*振兴 振兴",
    "乡村*振兴 NEAR/2 振兴",
    "收入*收入",
    "0*0*0*全",
    "振兴 NEAR/5 乡村*振兴",
)


@pytest.fixture(scope="module")
def counts_index(bundled_corpus: Path, tmp_path_factory) -> Path:
    """The bundled reports, one of them again with its year unknown, and one of crowded
    paragraphs (CROWDED)."""
    reports = ingest([bundled_corpus]).reports
    undated = replace(reports[0], id="undated", source="undated.txt", year=None, date="")
    crowded = replace(
        reports[1],
        id="crowded",
        source="crowded.txt",
        paragraphs=tuple(Paragraph(n=i, text=t) for i, t in enumerate(CROWDED, 1)),
    )
    index = tmp_path_factory.mktemp("counts-index")
    build_index([*reports, undated, crowded], index)
    return index


ENGINE_INDEXES = ("counts",)  # the `engine` fixture (conftest.py)


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


ATOMS = (
    "收入分配",
    "收入",
    "00",
    "万",
    "0",
    "乡村",
    "振兴",
    "乡村*振兴",
    "收入*收入",
    "0*全",
    "改革",
)
FORMS = ("{a}", "{a} NEAR/{n} {b}", "{a} {b}", "{a} OR {b}", "{a} -{b}", "({a} OR {b}) {c}")


def assert_counts_agree(engine, q: str, mode: str = "exact") -> int:
    """Occurrences = marks = concordance rows (pages, every order, streamed) = f_A."""
    from search.collocations import near_counts
    from search.concordance import ORDERS, concordance, iter_rows

    query = SearchQuery(q=q, per_page=None, mode=mode)
    search = engine.search(query)
    marks = [(h.report_id, h.paragraph, s, e) for h in search.hits for s, e in h.matches]
    assert search.occurrences == len(marks), q
    full = concordance(engine, query)
    rows = [(r.report_id, r.paragraph, r.start, r.end) for r in full.rows]
    assert full.occurrences == len(rows) == len(set(rows)) == search.occurrences, q
    assert sorted(rows) == sorted(marks), q
    paged, page = [], 1
    while page == 1 or len(paged) < full.occurrences and page < 100:
        part = concordance(engine, replace(query, page=page, per_page=7)).rows
        paged += [(r.report_id, r.paragraph, r.start, r.end) for r in part]
        page += 1
    assert paged == rows, q
    for order in ORDERS:
        streamed = [
            (r.report_id, r.paragraph, r.start, r.end) for r in iter_rows(engine, query, order)
        ]
        assert sorted(streamed) == sorted(rows), (q, order)
    assert near_counts(engine, query, 5)[1] == search.occurrences, q
    return search.occurrences


@pytest.mark.parametrize("q", CROWDED_QUERIES)
def test_near_and_gap_occurrences_that_overlap_count_as_marked(engine, q) -> None:
    assert assert_counts_agree(engine, q) > 0


def test_overlapping_near_occurrences_merge(engine) -> None:
    """收入分配 NEAR/8 收入: the 收入 inside each 收入分配 is part of one mark, not a second
    occurrence (the engine counted 8 here, and the concordance repeated rows)."""
    results = engine.search(SearchQuery(q="收入分配 NEAR/8 收入", per_page=None))
    crowded = [h.matches for h in results.hits if h.report_id == "crowded"]
    assert crowded == [((15, 17), (18, 22), (27, 31), (31, 35), (35, 37))]
    _, ev, _ = engine.evaluate(SearchQuery(q="收入分配 NEAR/8 收入"))
    first = engine.table.paragraph_ids("crowded")[0]
    assert engine.counts(ev.terms[0])[first] == 5


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(FORMS),
    st.sampled_from(ATOMS),
    st.sampled_from(ATOMS),
    st.sampled_from(ATOMS),
    st.integers(0, 8),
    st.sampled_from(("exact", "words")),
)
def test_every_query_form_counts_the_same_everywhere(engine, form, a, b, c, n, mode) -> None:
    assert_counts_agree(engine, form.format(a=a, b=b, c=c, n=n), mode)


def _selections(engine) -> list[SearchQuery]:
    """Searches with every kind of selection, the values taken from the corpus's own facets."""
    facets = engine.search(SearchQuery(q="发展")).facets
    first = {name: [f.value for f in facets[name] if f.value] for name in facets}
    year = int(first["year"][0])
    return [
        SearchQuery(q="发展"),
        SearchQuery(q="的", sort="oldest"),
        SearchQuery(q="改革 开放", mode="words"),
        SearchQuery(q="发展", districts=tuple(first["district"][:2])),
        SearchQuery(q="发展", types=(first["type"][0],), year_from=year - 3),
        SearchQuery(q="发展", years=(year,), levels=(first["level"][-1],)),
        SearchQuery(q="发展", topics=tuple(first["topic"][:2]), year_to=year),
        SearchQuery(q="", provinces=(engine.search(SearchQuery()).places[0].name,)),
        SearchQuery(q="没有这样的词语吧"),
    ]


def test_counts_through_reports_equal_counts_per_paragraph(engine) -> None:
    """Facets, the place tree, the timeline and the report count are taken per report (a
    report's paragraphs share its place, type, level and year); counted paragraph by
    paragraph, as when a column does not hold one value per report, they are the same."""
    columns = engine.columns
    assert columns.by_report() is not None  # the per-report count is the one searches take
    for query in _selections(engine):
        through_reports = engine.search(query)
        saved, columns._by_report = columns._by_report, {}  # {}: no column per report
        try:
            per_paragraph = engine.search(query)
        finally:
            columns._by_report = saved
        assert through_reports == per_paragraph, query
        pids = np.flatnonzero(engine.evaluate(query)[0])
        unsorted = columns.tally(pids[::-1]).per_report()  # read from the report column
        assert np.array_equal(unsorted, columns.tally(pids, ascending=True).per_report())
