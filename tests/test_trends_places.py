"""One term in several places on /trends (place=, up to ten) or in every place of a level as
small multiples (each=), checked against a recount of each place's own reports; the filters
in force as chips and a form on /trends and /adoption; each chart as an SVG file."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from indexer.fold import fold
from indexer.places import gazetteer
from search.engine import Engine
from search.results import SearchQuery
from search.trends import MAX_PLACES, place_trends
from search_app.facets import label
from tests.gazetteer import gazetteer_codes

SVG = "{http://www.w3.org/2000/svg}"


ENGINE_INDEXES = ("placed",)  # the `engine` fixture (conftest.py)


@pytest.fixture(scope="module")
def client(placed_index: Path, client_of):
    return client_of(placed_index)


def recount(engine: Engine, q: str, place: tuple, filters: SearchQuery) -> dict:
    """{year: (occurrences, reports with one, characters)} of one place's own reports."""
    out: dict[int, list[int]] = {}
    for record in engine.reports():
        key = (record["province"], record["city"], record["district"])
        if key != place or not record["year"]:
            continue
        if filters.year_from and record["year"] < filters.year_from:
            continue
        texts = [fold(p.text) for p in engine.get_report(record["id"]).paragraphs]
        n = sum(t.count(q) for t in texts)
        row = out.setdefault(record["year"], [0, 0, 0])
        row[0] += n
        row[1] += n > 0
        row[2] += record["chars"]
    return {y: tuple(v) for y, v in out.items()}


@pytest.mark.parametrize("q", ["发展", "改革", "经济"])
@pytest.mark.parametrize("year_from", [None, 2014])
def test_each_places_counts_equal_a_recount_of_its_own_reports(engine, q, year_from) -> None:
    filters = SearchQuery(year_from=year_from)
    names = ("拱墅区", "鼓楼区", "河北省", "保定市", "无此地")
    result = place_trends(engine, q, filters, names)
    got = {(p.place.province, p.place.city, p.place.name): p for p in result.places}
    expected_places = {
        (r["province"], r["city"], r["district"])
        for r in engine.reports()
        if r["district"] in names and r["year"] and r["year"] >= (year_from or 0)
    }
    assert set(got) == expected_places
    if not year_from:  # 鼓楼区 is two places (南京市, 福州市)
        assert ("江苏省", "南京市", "鼓楼区") in got and ("福建省", "福州市", "鼓楼区") in got
    found = {k[2] for k in expected_places}
    assert result.unknown == tuple(n for n in names if n not in found)  # 无此地: no report
    for key, p in got.items():
        expected = recount(engine, q, key, filters)
        assert expected, key
        for y in p.years:
            occ, reports, chars = expected.get(y.year, (0, 0, 0))
            assert (y.occurrences, y.reports, y.chars) == (occ, reports, chars), (key, y.year)
        assert sum(y.occurrences for y in p.years) == sum(v[0] for v in expected.values())


def test_a_levels_small_multiples_are_its_places(engine) -> None:
    result = place_trends(engine, "发展", SearchQuery(), level="city")
    cities = {(r["province"], r["city"], r["district"]) for r in engine.reports()}
    expected = {k for k in cities if k[2] in ("保定市", "杭州市", "苏州市")}
    assert {(p.place.province, p.place.city, p.place.name) for p in result.places} == expected
    for p in result.places:
        counts = recount(
            engine, "发展", (p.place.province, p.place.city, p.place.name), SearchQuery()
        )
        assert {y.year: y.occurrences for y in p.years if y.chars} == {
            y: v[0] for y, v in counts.items()
        }


def test_places_on_the_page_csv_json_and_svg(client) -> None:
    html = client.get("/trends?q=发展&place=拱墅区、保定市&place=河北省").get_data(as_text=True)
    legend = re.findall(r'<ul class="legend">(.*?)</ul>', html, re.S)[0]
    assert ["拱墅区（杭州市）", "保定市", "河北省"] == re.findall(
        r'">([^<]+)</a> <span class="count"', legend
    )
    assert html.count('<g class="line s') == 3
    api = client.get("/api/trends?q=发展&place=拱墅区、保定市&place=河北省").get_json()
    assert [p["place"]["name"] for p in api["places"]] == ["拱墅区", "保定市", "河北省"]
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/trends.csv?q=发展&place=拱墅区").data.decode("utf-8-sig"))
        )
    )
    years = api["places"][0]["years"]
    assert [(int(r["year"]), int(r["occurrences"])) for r in rows] == [
        (y["year"], y["occurrences"]) for y in years
    ]
    svg_url = re.search(r'href="(/trends\.svg\?[^"]+)" download', html).group(1)
    svg = client.get(svg_url.replace("&amp;", "&"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.data)
    assert root.tag == SVG + "svg" and root.find(SVG + "style") is not None
    assert len(root.findall(f"{SVG}g")) == 3  # a line per place, its style inside the file


@pytest.mark.parametrize("index", ["placed", "shared"])
def test_every_place_code_of_the_csv_is_the_gazetteers_at_the_rows_year(
    request, client_of, index
) -> None:
    """GB/T 2260 codes in the CSV of every place of each level, at each row's year."""
    client = client_of(request.getfixturevalue(f"{index}_index"))
    coded = 0
    for level in ("province", "city", "district"):
        response = client.get(f"/trends.csv?q=发展&each={level}")
        assert response.status_code == 200
        for row in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))):
            assert row["level"] == level
            year = int(row["year"])
            codes = gazetteer_codes(row["place"], level, row["province"], row["city"], year)
            if len(codes) == 1:
                assert row["code"] == next(iter(codes)), (row["place"], year)
                unit = gazetteer().by_code(row["code"], year)
                assert unit is not None and unit.name == row["place"] and unit.level == level
                coded += 1
            else:  # several units of that name, renumbered in the year: the one in force
                assert row["code"] == "" or row["code"] in codes, (row["place"], year, codes)
    assert coded
    national = client.get("/trends.csv?q=发展&place=全国").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(national)))
    assert rows and all(r["level"] == "national" and r["code"] == "" for r in rows)


def test_small_multiples_on_one_scale_each_downloadable(client) -> None:
    html = client.get("/trends?q=发展&each=district").get_data(as_text=True)
    figures = re.findall(r"<figure><figcaption>.*?</figure>", html, re.S)
    assert len(figures) == 6  # 徐水区, 唐县, 辛集市, 拱墅区 and 鼓楼区 twice
    tops = {re.findall(r'class="tick"[^>]*>([^<]+)</text>', f)[-1] for f in figures}
    assert len(tops) == 1, "one scale for every small multiple"
    for i, f in enumerate(figures):
        link = re.search(r'href="([^"]+)" download>SVG', f).group(1).replace("&amp;", "&")
        assert dict(parse_qsl(urlsplit(link).query))["chart"] == str(i)
        assert ET.fromstring(client.get(link).data).tag == SVG + "svg"
    assert client.get("/trends.svg?q=发展&each=district&chart=99").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/trends?q=发展&q=改革&place=拱墅区",
        "/trends?q=发展&place=拱墅区&each=city",
        "/trends?q=发展&each=county",
        "/trends?q=发展&place=" + "、".join(f"地{i}" for i in range(MAX_PLACES + 1)),
        "/trends.svg?q=发展&chart=x",
    ],
)
def test_place_requests_that_cannot_be_answered_are_400(client, url) -> None:
    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    ("page", "own"),
    [
        ("/trends?q=发展&show=per10k", {"q": "发展", "show": "per10k"}),
        ("/adoption?q=发展&level=city&rollup=1", {"q": "发展", "level": "city", "rollup": "1"}),
    ],
)
def test_the_filters_in_force_are_chips_with_remove_links_and_a_form(client, page, own) -> None:
    html = client.get(page + "&province=河北省&year_from=2013").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<', html)
    assert [label.strip() for _, label in chips] == ["省：河北省", "起始年：2013"]
    for (href, _), gone in zip(chips, ["province", "year_from"], strict=True):
        args = parse_qsl(urlsplit(href.replace("&amp;", "&")).query)
        assert gone not in dict(args) and own.items() <= dict(args).items()
        assert client.get(href.replace("&amp;", "&")).status_code == 200
    form = re.search(r'<form class="filter-form".*?</form>', html, re.S).group(0)
    assert 'name="province" value="河北省"' in form and 'name="year_from" value="2013"' in form
    for k, v in own.items():
        assert f'type="hidden" name="{k}" value="{v}"' in form


@pytest.mark.parametrize("page", ["/trends?q=发展", "/adoption?q=发展&level=city"])
def test_a_chip_names_its_value_as_the_sidebar_does(client, page) -> None:
    """级别：区县 and 匹配：按词匹配, not the URL's codes (level：district, mode：words)."""
    html = client.get(page + "&mode=words&type=政府工作报告&topic=economy").get_data(as_text=True)
    chips = [c.strip() for c in re.findall(r'<a class="chip" href="[^"]+"[^>]*>([^<]+)<', html)]
    assert "匹配：按词匹配" in chips and "类型：政府工作报告" in chips
    assert "主题：" + label("topic", "economy") in chips and label("topic", "economy") != "economy"
    if page.startswith("/trends"):
        levels = client.get(page + "&level=district").get_data(as_text=True)
        assert "级别：" + label("level", "district") in levels
    assert not re.search(r"[：:]\s*[a-z]{3,}\s*<", html)  # no code shown as a chip's value
