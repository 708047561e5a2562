"""Adoption by place: every first year, last year, mention and "not yet" place checked against
the search's own hits and the report records, at every level, with and without filters; the
curve and the event-history panel against the table."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import replace

import pytest

from indexer.fold import fold
from search.adoption import LEVELS, adoption
from search.engine import Engine
from search.errors import BadQuery
from search.results import SearchQuery

FIXED = (
    "发展", "改革", "最多跑一次", "的", "创新 OR 开放", "城市 -建设", "数字", "2016", "乙乙",
    "经济", "服务", "项目", "推进", "-发展", "城中村", "人民", "政府", "生态", "文化", "教育",
)  # fmt: skip


def sampled_queries(engine: Engine, k: int) -> list[str]:
    """Substrings of 2–6 characters cut from random paragraphs: rare and common ones."""
    rng = random.Random(14)
    out = []
    while len(out) < k:
        text = engine.chars.folded_text(rng.randrange(engine.n))
        if len(text) < 8:
            continue
        size = rng.randint(2, 6)
        start = rng.randrange(len(text) - size)
        piece = text[start : start + size]
        if piece.strip() == piece and piece and '"' not in piece and piece not in out:
            out.append(piece)
    return out


ENGINE_INDEXES = ("placed",)  # the `engine` fixture (conftest.py)


@pytest.fixture(scope="module")
def queries(engine) -> list[str]:
    return list(FIXED) + sampled_queries(engine, 16)


FILTERS = [SearchQuery(), SearchQuery(provinces=("河北",), year_to=2015)]


def places_with_reports(engine: Engine, query: SearchQuery) -> dict[tuple, set[int]]:
    """(province, city, district) → years with a dated report of the level in the filters."""
    out: dict[tuple, set[int]] = defaultdict(set)
    for r in engine.reports():
        if not r["year"] or r["level"] != query.levels[0]:
            continue
        if query.provinces and r["province"] not in {"河北省"}:
            continue
        if query.year_to and r["year"] > query.year_to:
            continue
        out[(r["province"], r["city"], r["district"])].add(r["year"])
    return out


def check(engine: Engine, query: SearchQuery) -> None:
    table = adoption(engine, query)
    search = engine.search(replace(query, per_page=None))
    hit_years: dict[tuple, Counter] = defaultdict(Counter)
    for hit in search.hits:
        if hit.year:
            n = sum(fold(hit.text).count(t) for t in search.terms) if search.terms else 1
            hit_years[(hit.province, hit.city, hit.district)][hit.year] += n
    with_reports = places_with_reports(engine, query)
    by_place = {(a.place.province, a.place.city, a.place.name): a for a in table.places}

    assert set(by_place) == set(hit_years)
    for key, a in by_place.items():
        assert a.first_year == min(hit_years[key]) and a.last_year == max(hit_years[key])
        assert a.mentions == dict(hit_years[key])
        first = engine.get_report(a.first_report_id)
        assert (first.province, first.city, first.district, first.year) == (*key, a.first_year)
        text = first.paragraphs[a.first_paragraph - 1].text
        assert any(h.report_id == first.id and h.text == text for h in search.hits)
    not_yet = {(p.place.province, p.place.city, p.place.name): set(p.years) for p in table.not_yet}
    assert not_yet == {k: v for k, v in with_reports.items() if k not in hit_years}
    assert [a.first_year for a in table.places] == sorted(a.first_year for a in table.places)

    total = len(table.places) + len(table.not_yet)
    assert total == len(with_reports)
    for point in table.curve:
        adopted = sum(a.first_year <= point.year for a in table.places)
        assert (point.adopted, point.places) == (adopted, total)
        assert point.share == pytest.approx(adopted / total)

    pairs = {(k, y) for k, years in with_reports.items() for y in years}
    rows = {((r.place.province, r.place.city, r.place.name), r.year): r for r in table.panel}
    assert len(rows) == len(table.panel) and set(rows) == pairs
    for key in with_reports:
        flags = [rows[(key, y)].adopted for y in sorted(with_reports[key])]
        assert flags == sorted(flags)  # never from 1 back to 0
    assert sum(r.mentions for r in table.panel) == sum(sum(c.values()) for c in hit_years.values())
    for (key, year), row in rows.items():
        assert row.mentions == hit_years.get(key, Counter())[year]
        assert row.chars == sum(engine.table.record(i)["chars"] for i in row.report_ids) and all(
            engine.table.record(i)["year"] == year for i in row.report_ids
        )


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("filters", FILTERS, ids=("all", "hebei-to-2015"))
def test_adoption_agrees_with_the_search_at_every_level(engine, queries, level, filters):
    assert len(queries) >= 30
    for q in queries:
        check(engine, replace(filters, q=q, levels=(level,)))


def test_two_counties_of_one_name_are_two_places(engine) -> None:
    table = adoption(engine, SearchQuery(q="", levels=("district",)))
    gulou = [a for a in table.places if a.place.name == "鼓楼区"]
    assert {a.place.province for a in gulou} == {"江苏省", "福建省"}


def test_a_province_adopts_by_its_own_reports_only(engine) -> None:
    table = adoption(engine, SearchQuery(q="", levels=("province",)))
    assert {a.place.name for a in table.places} == {"河北省", "浙江省", "江苏省"}
    assert table.curve[-1].share == 1.0 and table.curve[0].year == 2012


@pytest.mark.parametrize("levels", [(), ("national",), ("city", "district")])
def test_one_level_of_place_is_required(engine, levels) -> None:
    with pytest.raises(BadQuery):
        adoption(engine, SearchQuery(q="发展", levels=levels))


def test_shared_corpus_adoption_agrees_with_the_search(shared_index) -> None:
    engine = Engine.open(shared_index)
    try:
        for level in LEVELS:
            for q in ("最多跑一次", "河长制", "数字经济", "扶贫"):
                check_shared(engine, SearchQuery(q=q, levels=(level,)))
    finally:
        engine.close()


def check_shared(engine: Engine, query: SearchQuery) -> None:
    table = adoption(engine, query)
    search = engine.search(replace(query, per_page=None))
    first: dict[tuple, int] = {}
    for hit in search.hits:
        if hit.year:
            key = (hit.province, hit.city, hit.district)
            first[key] = min(first.get(key, 9999), hit.year)
    assert {
        (a.place.province, a.place.city, a.place.name): a.first_year for a in table.places
    } == first
    assert sum(r.mentions for r in table.panel) == sum(
        sum(fold(h.text).count(t) for t in search.terms) for h in search.hits if h.year
    )
