"""Terms over time: every count and divisor recomputed by brute force from the reports' texts
and the search's own hits, with and without filters; years without a report are gaps."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.fold import fold
from search.engine import Engine
from search.results import SearchQuery
from search.trends import trends

TERMS = ("发展", "改革", "最多跑一次", "的", "创新 OR 开放", "城市 -建设", "数字", "2016", "乙乙")
FILTERS = [
    SearchQuery(),
    SearchQuery(levels=("province",)),
    SearchQuery(levels=("national",)),
    SearchQuery(provinces=("河北省",)),
    SearchQuery(cities=("杭州",), year_from=2015),
    SearchQuery(districts=("鼓楼区", "唐县")),
    SearchQuery(topics=("economy",)),
    SearchQuery(types=("没有这种类型",)),
]


@pytest.fixture(scope="module")
def engine(placed_index: Path):
    opened = Engine.open(placed_index)
    yield opened
    opened.close()


def keeps(report, paragraph, f: SearchQuery) -> bool:
    """The filters applied by hand to one paragraph of one report."""
    place = [
        (f.provinces, report.province),
        (f.cities, report.city),
        (f.districts, report.district),
    ]
    if any(sel for sel, _ in place) and not any(
        name and (name in sel or name[:-1] in sel) for sel, name in place
    ):
        return False
    lo, hi = f.year_from or 0, f.year_to or 9999
    return (
        (not f.years or report.year in f.years)
        and (report.year or 0) >= lo
        and (report.year or 0) <= hi
        and (not f.levels or report.level in f.levels)
        and (not f.types or report.type in f.types)
        and (not f.topics or bool(set(paragraph.topics) & set(f.topics)))
    )


def in_filters(engine: Engine, filters: SearchQuery) -> dict[int, int]:
    """Characters per year of the paragraphs the filters keep, counted from the texts."""
    chars: Counter = Counter()
    for meta in engine.reports():
        report = engine.get_report(meta["id"])
        for p in report.paragraphs:
            if report.year and keeps(report, p, filters):
                chars[report.year] += len(p.text)
    return dict(chars)


def every_hit(engine: Engine, filters: SearchQuery, q: str):
    return engine.search(replace(filters, q=q, per_page=None))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f)[12:60])
def test_every_count_and_divisor_matches_a_brute_force_recount(engine, filters) -> None:
    chars = in_filters(engine, filters)
    assert len(trends(engine, TERMS, filters).terms) == 5  # at most five terms
    for batch in (TERMS[:5], TERMS[5:]):
        result = trends(engine, batch, filters)
        assert list(result.years) == sorted(chars)
        for term in result.terms:
            search = every_hit(engine, filters, term.q)
            occ, paras, reports = Counter(), Counter(), defaultdict(set)
            for hit in search.hits:
                if hit.year:
                    occ[hit.year] += sum(fold(hit.text).count(t) for t in search.terms)
                    paras[hit.year] += 1
                    reports[hit.year].add(hit.report_id)
            assert [y.year for y in term.years] == sorted(chars)
            for y in term.years:
                assert y.chars == chars[y.year]
                assert (y.occurrences, y.paragraphs) == (occ[y.year], paras[y.year])
                assert y.reports == len(reports[y.year])
                assert y.per10k == pytest.approx(occ[y.year] / chars[y.year] * 10_000)


def test_gap_years_are_the_years_without_a_report_in_the_filters(engine) -> None:
    years = trends(engine, ["发展"], SearchQuery()).years
    assert 2018 not in years and {2012, 2017, 2019} <= set(years)
    national = trends(engine, ["发展"], SearchQuery(levels=("national",))).years
    assert national == (2012, 2019)


def test_a_filter_changes_the_divisor_not_only_the_counts(engine) -> None:
    """The national reports' rate is theirs alone, not diluted by every report of the year."""
    everything = trends(engine, ["发展"], SearchQuery()).terms[0].years
    national = trends(engine, ["发展"], SearchQuery(levels=("national",))).terms[0].years
    all_2012 = next(y for y in everything if y.year == 2012)
    nat_2012 = next(y for y in national if y.year == 2012)
    assert nat_2012.chars < all_2012.chars
    assert nat_2012.per10k == pytest.approx(nat_2012.occurrences / nat_2012.chars * 1e4)


def test_timeline_divisor_is_the_filtered_reports(engine) -> None:
    chars = engine.columns.chars_by_year_district(SearchQuery(levels=("national",)))
    assert set(chars) == {(2012, "全国"), (2019, "全国")}
    by_year = trends(engine, ["发展"], SearchQuery(levels=("national",)))
    assert [chars[(y, "全国")] for y in by_year.years] == list(by_year.chars)


def test_shared_corpus_national_rate_is_theirs_alone(shared_index) -> None:
    """扶贫 in the national reports: the divisor is the national reports of each year."""
    engine = Engine.open(shared_index)
    try:
        filters = SearchQuery(levels=("national",))
        chars, occ = Counter(), Counter()
        for meta in engine.reports():
            if meta["level"] == "national" and meta["year"]:
                for p in engine.get_report(meta["id"]).paragraphs:
                    chars[meta["year"]] += len(p.text)
                    occ[meta["year"]] += fold(p.text).count("扶贫")
        (term,) = trends(engine, ["扶贫"], filters).terms
        assert [y.year for y in term.years] == sorted(chars)
        for y in term.years:
            assert (y.chars, y.occurrences) == (chars[y.year], occ[y.year])
            assert y.per10k == pytest.approx(occ[y.year] / chars[y.year] * 1e4)
        timeline = engine.columns.chars_by_year_district(filters)
        assert {y: c for (y, _), c in timeline.items()} == dict(chars)
    finally:
        engine.close()
