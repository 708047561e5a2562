"""The trends, adoption and reuse pages through the Flask test client over a real index with
places at every level: pages, CSV and JSON agree with the engine, the state is in the URL,
bad parameters are 400, and the search page's timeline divides by the filtered reports."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from indexer.fold import fold
from search.engine import Engine
from search.results import SearchQuery
from search_app import create_app


@pytest.fixture(scope="module")
def client(placed_index: Path):
    return create_app({"INDEX_DIR": str(placed_index)}).test_client()


@pytest.fixture(scope="module")
def engine(placed_index: Path):
    opened = Engine.open(placed_index)
    yield opened
    opened.close()


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def csv_rows(client, url: str) -> list[dict]:
    text = get(client, url).get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_trends_api_csv_and_page_agree(client) -> None:
    url = "?q=发展&q=改革&level=province&level=national"
    api = get(client, "/api/trends" + url).get_json()
    rows = csv_rows(client, "/trends.csv" + url)
    assert [t["q"] for t in api["terms"]] == ["发展", "改革"]
    flat = [
        (t["q"], y["year"], y["occurrences"], y["chars"]) for t in api["terms"] for y in t["years"]
    ]
    assert flat == [
        (r["term"], int(r["year"]), int(r["occurrences"]), int(r["chars"])) for r in rows
    ]
    for t in api["terms"]:
        assert [y["year"] for y in t["years"]] == [y["year"] for y in api["years"]]
        for y in t["years"]:
            assert y["per10k"] == pytest.approx(y["occurrences"] / y["chars"] * 1e4, abs=1e-5)
    page = get(client, "/trends" + url + "&show=per10k").get_data(as_text=True)
    assert page.count("<polyline") >= 2 and "每万字次数" in page
    assert 'name="level" value="province"' in page  # the filters ride along in the form


def test_trends_gap_years_are_drawn_as_gaps(client) -> None:
    page = get(client, "/trends?q=发展").get_data(as_text=True)
    assert page.count('class="gap"') == 1  # 2018: no report at all
    assert "2018" not in re.findall(r'<th scope="row"><a [^>]*>(\d+)</a>', page)


def test_adoption_api_and_csvs_agree(client, engine) -> None:
    api = get(client, "/api/adoption?q=城市&level=district").get_json()
    table = csv_rows(client, "/adoption.csv?q=城市&level=district")
    panel = csv_rows(client, "/adoption/panel.csv?q=城市&level=district&all=1")  # every year
    assert api["level"] == "district"
    adopted = [r for r in table if r["status"] == "adopted"]
    assert [(r["place"], int(r["first_year"])) for r in adopted] == [
        (p["place"]["name"], p["first_year"]) for p in api["places"]
    ]
    assert {r["place"] for r in table if r["status"] == "not_yet"} == {
        p["place"]["name"] for p in api["not_yet"]
    }
    assert len(panel) == len(api["panel"])
    occurrences = engine.search(SearchQuery(q="城市", levels=("district",), per_page=None))
    dated = sum(fold(h.text).count("城市") for h in occurrences.hits if h.year)
    assert sum(int(r["mentions"]) for r in panel) == dated
    for place in api["places"]:
        first = get(client, place["first_url"].replace("http://localhost", "").split("#")[0])
        assert f'id="p{place["first_paragraph"]}"' in first.get_data(as_text=True)


def test_adoption_page_switches_level_and_keeps_filters(client) -> None:
    page = get(client, "/adoption?q=发展&level=city&province=河北").get_data(as_text=True)
    links = re.findall(r'href="(/adoption\?[^"]+)"', page)
    assert any("level=district" in h and "province=" in h for h in links)
    assert "保定市" in page and "杭州市" not in page


@pytest.mark.parametrize(
    ("filters", "level", "adopters"),
    [
        ("", "district", 6),  # 6 counties mention it, 3 cities, 3 provinces
        ("&city=保定市", "district", 2),  # no province's own report is in 保定市: not province
        ("&city=杭州市", "city", 1),  # 杭州市 and 拱墅区: one each, the coarser level
        ("&province=河北", "district", 3),
    ],
)
def test_adoption_opens_at_the_level_with_the_most_adopters(client, filters, level, adopters):
    """A first visit (no level) shows adopters: the level where the most places mention the
    query, not always the provinces; the page, CSV and API agree and links carry the level."""
    page = get(client, f"/adoption?q=发展{filters}").get_data(as_text=True)
    name = {"province": "省", "city": "市", "district": "区县"}[level]
    assert f'aria-current="true">{name}</a>' in page
    assert f"<strong>{adopters}</strong> 个{name}已提及" in page
    api = get(client, f"/api/adoption?q=发展{filters}").get_json()
    assert (api["level"], len(api["places"])) == (level, adopters)
    table = csv_rows(client, f"/adoption.csv?q=发展{filters}")
    assert {r["level"] for r in table} == {level}
    assert re.search(rf'href="/adoption\.csv\?[^"]*level={level}', page)
    explicit = get(client, f"/api/adoption?q=发展{filters}&level=province").get_json()
    assert explicit["level"] == "province"


@pytest.mark.parametrize(
    "url",
    [
        "/adoption?q=发展&level=national",
        "/adoption?q=发展&level=city&level=district",
        "/trends?q=a&q=b&q=c&q=d&q=e&q=f",
        "/trends?q=发展&show=everything",
        "/reports/r00/reuse?min=3",
        "/reports/r00/reuse?min=abc",
        "/reports/r00/reuse?p=0",
        "/api/adoption?q=x&level=world",
    ],
)
def test_bad_parameters_are_400(client, url) -> None:
    get(client, url, 400)


def test_unknown_report_or_paragraph_is_404(client) -> None:
    get(client, "/reports/nope/reuse", 404)
    get(client, "/api/reports/nope/reuse", 404)
    get(client, "/reports/r00/reuse?p=99999", 404)
    get(client, "/api/reports/r00/reuse?p=99999", 404)


def test_reader_links_each_paragraph_to_its_reuse(client) -> None:
    page = get(client, "/reports/r00").get_data(as_text=True)
    assert "/reports/r00/reuse?p=1" in page and 'href="/reports/r00/reuse"' in page


def test_reuse_api_passages_and_page(client) -> None:
    api = get(client, "/api/reports/r00/reuse").get_json()
    assert api["min"] == 15 and api["shared"]
    assert all(p["chars"] >= 15 and p["elsewhere"] for p in api["passages"])
    copied = get(client, "/api/reports/r00/reuse?p=13&min=20").get_json()
    assert copied["paragraph"] == 13 and any(
        o["report_id"] == "r22" for p in copied["passages"] for o in p["elsewhere"]
    )
    page = get(client, "/reports/r00/reuse?p=13").get_data(as_text=True)
    assert "<mark>" in page and "/reports/r22?q=" in page


def test_search_timeline_per_10k_divides_by_the_filtered_reports(client, engine) -> None:
    page = get(client, "/search?q=发展&level=national&per=10k").get_data(as_text=True)
    assert "筛选范围内报告字数" in page
    chars = engine.columns.chars_by_year_district(SearchQuery(levels=("national",)))
    shown = re.findall(r"<td>([\d,]+)</td><td>([\d.]+)</td>", page)
    assert {int(c.replace(",", "")) for c, _ in shown} <= set(chars.values())
    assert shown


def test_search_page_links_to_trends_and_adoption_of_its_query(client) -> None:
    page = get(client, "/search?q=发展&province=河北&level=city").get_data(as_text=True)
    trends = re.search(r'href="(/trends\?[^"]+)"', page).group(1).replace("&amp;", "&")
    adoption = re.search(r'href="(/adoption\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "q=%E5%8F%91%E5%B1%95" in trends and "province=" in trends
    assert "level=city" in adoption and "province=" in adoption
    get(client, trends)
    get(client, adoption)


def test_the_timeline_spans_the_years_of_the_reports_in_the_filters(client, engine) -> None:
    """A filtered search's timeline runs over the years its filters hold, not the corpus's."""

    def years(url: str) -> list[int]:
        page = get(client, url).get_data(as_text=True)
        return [int(y) for y in re.findall(r'<text class="year"[^>]*>(\d{4})</text>', page)]

    everything = years("/search?q=发展")
    jiangsu = years("/search?q=发展&province=江苏")
    chars = engine.columns.chars_by_year_district(SearchQuery(provinces=("江苏",)))
    held = sorted({y for y, _ in chars})
    assert jiangsu and jiangsu[0] == held[0] and jiangsu[-1] <= held[-1]
    assert jiangsu[0] > everything[0]


@pytest.mark.parametrize(
    "url",
    ["/search?q=改革&year=abc", "/api/search?year_to=20x6", "/api/search?mode=x",
     "/api/reports/nope", "/search?q=改革 year:1800", "/api/search?q=a NEAR/1000 b"],
)  # fmt: skip
def test_messages_to_the_user_are_in_chinese(client, url) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404)
    text = response.get_data(as_text=True)
    if response.is_json:
        text = response.get_json()["error"]["message"]
    assert re.search(r"[\u4e00-\u9fff]", text), text
