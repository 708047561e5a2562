"""Roll-up, the event-history panel and place codes, by brute force over the reports' own text
(the reference corpus, and a fixture with places at every level): a place's first year is the
first year any report of it (or, rolled up, of the places under it) says the query; the panel's
events are those first years; every code is the gazetteer's unit of that name, level and year."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from indexer.fold import fold
from indexer.places import gazetteer
from search.adoption import adoption
from search.engine import Engine
from search.panel import CODEBOOK, COLUMNS, event_panel
from search.results import SearchQuery
from tests.gazetteer import gazetteer_codes

QUERIES = ["河长制", "城市", "数字经济", "乡村振兴", "营商环境"]
LEVELS = ["province", "city", "district"]


ENGINE_INDEXES = ("placed", "shared")  # the `engine` fixture (conftest.py) opens each


def place_of(record: dict, level: str, rollup: bool) -> tuple | None:
    """The (province, city, place) a report stands for in a table of `level`."""
    province, city, district = record["province"], record["city"], record["district"]
    if rollup and level == "province":
        return (province, "", province) if province else None
    if rollup and level == "city":
        return (province, city, city) if city else None
    return (province, city, district) if record["level"] == level else None


def brute_first_years(engine: Engine, q: str, level: str, rollup: bool) -> dict:
    """{place: (first year, ids of the reports of that place and year that say q)}."""
    firsts: dict[tuple, tuple[int, list]] = {}
    for record in engine.reports():
        place = place_of(record, level, rollup)
        if place is None or not record["year"]:
            continue
        report = engine.get_report(record["id"])
        if not any(fold(q) in fold(p.text) for p in report.paragraphs):
            continue
        year = record["year"]
        if place not in firsts or year < firsts[place][0]:
            firsts[place] = (year, [record["id"]])
        elif year == firsts[place][0]:
            firsts[place][1].append(record["id"])
    return firsts


@pytest.mark.parametrize("rollup", [False, True])
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("q", QUERIES)
def test_first_years_and_panel_events_equal_a_brute_force_run(engine, q, level, rollup) -> None:
    table = adoption(engine, SearchQuery(q=q, levels=(level,)), rollup=rollup)
    expected = brute_first_years(engine, q, level, rollup)
    got = {(a.place.province, a.place.city, a.place.name): a for a in table.places}
    assert {k: a.first_year for k, a in got.items()} == {k: v[0] for k, v in expected.items()}
    for key, a in got.items():
        assert a.first_report_id == expected[key][1][0]  # the first in the index's order
        first = engine.table.record(a.first_report_id)
        assert first["district"] == a.first_place and place_of(first, level, rollup) == key
    panel = event_panel(table)
    events = {(r.province, r.city, r.place): r.year for r in panel if r.event}
    assert events == {k: v[0] for k, v in expected.items()}
    for r in panel:
        first = expected.get((r.province, r.city, r.place), (None,))[0]
        assert r.first_year == first
        assert r.at_risk == 1 and (first is None or r.year <= first)
        assert r.event == int(r.year == first)
        assert r.adopted_cum == r.event  # at risk: adopted only in the adoption year
    every = event_panel(table, every_year=True)
    assert [r for r in every if r.at_risk] == panel
    assert len(every) == len(table.panel)
    assert all(
        r.adopted_cum == int(r.first_year is not None and r.year >= r.first_year) for r in every
    )


@pytest.mark.parametrize("rollup", [False, True])
@pytest.mark.parametrize("level", LEVELS)
def test_every_code_is_the_gazetteers_for_that_name_and_year(engine, level, rollup) -> None:
    table = adoption(engine, SearchQuery(q="发展", levels=(level,)), rollup=rollup)
    rows = event_panel(table, every_year=True)
    assert rows
    for r in rows:
        codes = gazetteer_codes(r.place, r.level, r.province, r.city, r.year)
        assert r.code in codes or (not r.code and len(codes) != 1), (r.place, r.year, codes)
        assert r.code, (r.place, r.year)  # every place of both corpora is in the gazetteer
        unit = gazetteer().by_code(r.code, r.year)
        assert unit is not None and unit.name == r.place and unit.level == r.level
        assert r.province_code == next(
            iter(gazetteer_codes(r.province, "province", r.province, "", r.year))
        )


def test_a_renumbered_county_gets_the_code_of_its_year() -> None:
    from indexer.place import place_code

    assert place_code("江干区", "district", "浙江省", "杭州市", 2018) == "330104"
    assert place_code("上城区", "district", "浙江省", "杭州市", 2018) == "330102"
    assert place_code("全国", "national", "", "", 2018) == ""


def test_rollup_reaches_cities_and_counties(placed_index: Path) -> None:
    engine = Engine.open(placed_index)
    own = adoption(engine, SearchQuery(q="城市", levels=("province",)))
    rolled = adoption(engine, SearchQuery(q="城市", levels=("province",)), rollup=True)
    first = {a.place.name: a.first_year for a in own.places}
    for a in rolled.places:
        assert a.first_year <= first.get(a.place.name, 10_000)
    hebei = next(a for a in rolled.places if a.place.name == "河北省")
    assert hebei.first_year == 2012  # 河北省, 保定市 and 唐县 all report in 2012


def test_panel_csv_zip_and_codebook(client) -> None:
    url = "/adoption/panel.csv?q=改革&level=district"
    rows = list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) > 1 and all(len(r) == len(COLUMNS) for r in rows)
    every = list(csv.reader(io.StringIO(client.get(url + "&all=1").data.decode("utf-8-sig"))))
    assert len(every) >= len(rows)
    z = zipfile.ZipFile(io.BytesIO(client.get("/adoption/panel.zip?q=改革&level=district").data))
    assert sorted(z.namelist()) == ["codebook.md", "panel.csv"]
    book = z.read("codebook.md").decode("utf-8")
    assert all(f"| {name} |" in book for name, _, _ in CODEBOOK)
    page = client.get("/adoption/codebook?q=改革").get_data(as_text=True)
    assert all(f"<code>{name}</code>" in page for name in COLUMNS)
    adopted = list(
        csv.DictReader(
            io.StringIO(client.get("/adoption.csv?q=改革&level=district").data.decode("utf-8-sig"))
        )
    )
    assert adopted and all(r["code"] for r in adopted)
    assert client.get("/adoption?q=改革&rollup=2").status_code == 400
    body = client.get("/api/adoption?q=改革&level=province&rollup=1").get_json()
    assert body["rollup"] is True and all("code" in p["place"] for p in body["places"])


@pytest.mark.parametrize(
    "url", ["/search.csv?q=城市", "/concordance.csv?q=城市"], ids=["search", "concordance"]
)
def test_search_and_concordance_csv_carry_the_code_of_each_row(client, url) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))
    assert rows
    for r in rows:
        year = int(r["year"]) if r["year"] else None
        codes = gazetteer_codes(r["place"], r["level"], r["province"], r["city"], year)
        assert r["code"] in codes and len(codes) == 1, (r["place"], year, codes)


@pytest.mark.parametrize("rollup", ["", "1"])
def test_without_a_level_the_panel_and_codebook_take_the_adoption_pages_level(client, rollup):
    """No `level`: /adoption chooses the level with the most adopters; its panel, ZIP and
    codebook are of that same level (the codebook names it), not an error."""
    level = client.get(f"/api/adoption?q=改革&rollup={rollup}").get_json()["level"]
    bare = client.get(f"/adoption/panel.csv?q=改革&rollup={rollup}")
    given = client.get(f"/adoption/panel.csv?q=改革&rollup={rollup}&level={level}")
    assert bare.status_code == 200 and bare.data == given.data
    page = client.get(f"/adoption/codebook?q=改革&rollup={rollup}")
    assert page.status_code == 200 and level in page.get_data(as_text=True)
    book = client.get(f"/adoption/codebook.md?q=改革&rollup={rollup}").get_data(as_text=True)
    assert f"层级：{level}" in book
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/adoption/panel.zip?q=改革&rollup={rollup}").data))
    assert f"层级：{level}" in z.read("codebook.md").decode("utf-8")
    assert client.get("/adoption/panel.csv?q=改革&all=2").status_code == 400
