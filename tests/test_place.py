"""One value for a place: `indexer.place.Place` (name, code, level, province, city), made from
a report's metadata with its GB/T 2260 code from the gazetteer, and one `place` object of that
shape in every JSON answer that names a place (the same five columns in every CSV)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.models import Metadata
from indexer.place import PLACE_COLUMNS, Place
from indexer.places import gazetteer
from tests.gazetteer import gazetteer_codes

PLACE_KEYS = set(PLACE_COLUMNS) - {"place"} | {"name"}
# A place's fields, which must stand only inside a `place` object
FLAT = {"district", "province", "city"}
# Keys whose values are keyed by filter or facet name (district=, province=…), not places
BY_FILTER = {"filters", "target", "reference", "facets", "facet_info"}


# -- making a Place from a report's metadata ----------------------------------------------


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (("拱墅区", "district", "浙江省", "杭州市", 2018), "330105"),
        (("江干区", "district", "浙江省", "杭州市", 2018), "330104"),  # renumbered away in 2021
        (("鼓楼区", "district", "江苏省", "南京市", 2013), "320106"),
        (("鼓楼区", "district", "福建省", "福州市", 2017), "350102"),
        (("鼓楼区", "district", "", "", 2017), ""),  # four 鼓楼区: no code without its chain
        (("保定市", "city", "河北省", "保定市", 2012), "130600"),
        (("河北省", "province", "河北省", "", None), "130000"),
        (("全国", "national", "", "", 2019), ""),
        (("无此县", "district", "河北省", "", 2019), ""),
        (("", "", "", "", None), ""),
    ],
)
def test_a_place_from_metadata_gets_the_gazetteers_code(meta, expected) -> None:
    district, level, province, city, year = meta
    record = {"district": district, "level": level, "province": province, "city": city}
    record["year"] = year
    place = Place.of_report(record)
    assert place == Place(district, expected, level, province, city)
    # a report's metadata, a hit's and a record of the report table give the same value
    assert Metadata(**record).place == place


_UNITS = [u for u in gazetteer().units if u.level in ("province", "city", "district")]


@settings(max_examples=300, deadline=None)
@given(unit=st.sampled_from(_UNITS), offset=st.integers(0, 40))
def test_every_unit_in_force_gets_its_own_code_or_none(unit, offset) -> None:
    """A unit of the gazetteer named with its chain in a year it was in force: its fields kept
    as given, its code the gazetteer's (or "" only when that chain still names several)."""
    first = unit.first or 1980
    year = min(first + offset, unit.last or 2025)
    province, city = gazetteer().ancestors(unit, year)
    meta = Metadata(district=unit.name, level=unit.level, province=province, city=city, year=year)
    place = meta.place
    assert (place.name, place.level, place.province, place.city) == (
        unit.name, unit.level, province, city,
    )  # fmt: skip
    codes = gazetteer_codes(unit.name, unit.level, province, city, year)
    assert unit.code in codes
    if len(codes) == 1:
        assert place.code == unit.code
    else:
        assert place.code in codes | {""}
    assert Place(**asdict(place)) == place and place.cells()[1] == place.code


@pytest.mark.parametrize(
    ("chain", "level"),
    [
        (("河北省", "", "河北省"), "province"),
        (("河北省", "保定市", "保定市"), "city"),
        (("河北省", "保定市", "唐县"), "district"),
        (("河北省", "", "辛集市"), "district"),
        (("", "", "全国"), "national"),
        (("", "", ""), ""),
    ],
)
def test_a_place_of_the_place_table_takes_its_level_from_its_chain(chain, level) -> None:
    assert Place.of_tree(*chain).level == level


# -- one shape in every answer ------------------------------------------------------------


def test_the_description_names_a_place_one_way(client) -> None:
    """In /api/openapi.json a place is the `Place` schema, under the key `place`, in every
    answer that names one; no other schema carries a place's fields."""
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert set(schemas["Place"]["properties"]) == PLACE_KEYS
    ref = {"$ref": "#/components/schemas/Place"}
    users = set()
    for name, schema in schemas.items():
        props = schema.get("properties", {})
        if name != "Place":
            assert not FLAT & set(props), name
        if "place" in props:
            assert props["place"] == ref, name
            users.add(name)
    assert users >= {
        "Hit", "Report", "ReportDetail", "ConcordanceRow", "PlaceNode", "PlaceYears",
        "Adopter", "NotYet", "PanelRow", "Elsewhere", "SharedReport", "Holder",
        "DispersionReport",
    }  # fmt: skip


def _places(answer, where: str = "") -> list[dict]:
    """Every `place` object of a JSON answer; fails on a place's field standing outside one."""
    found = []
    if isinstance(answer, dict):
        for key, value in answer.items():
            if key in BY_FILTER:
                continue
            assert key not in FLAT, f"{where}.{key}"
            if key == "place":
                assert isinstance(value, dict) and set(value) == PLACE_KEYS, f"{where}.place"
                assert all(isinstance(v, str) for v in value.values()), value
                found.append(value)
            else:
                found += _places(value, f"{where}.{key}")
    elif isinstance(answer, list):
        for i, item in enumerate(answer):
            found += _places(item, f"{where}[{i}]")
    return found


@pytest.fixture(scope="module")
def placed(placed_index: Path, client_of):
    return client_of(placed_index)


def _urls(client) -> list[str]:
    reports = client.get("/api/reports?per_page=100").get_json()["reports"]
    report_id = reports[0]["id"]
    text = client.get("/api/search?q=发展").get_json()["hits"][0]["text"]
    passage = text[text.index("发展") :][:20]
    reuse = client.get(f"/api/reports/{report_id}/reuse?min=10").get_json()
    shared = reuse["passages"][0]["paragraph"]  # a paragraph with passages found elsewhere
    return [
        "/api/search?q=发展&per_page=50",
        "/api/reports?per_page=100",
        f"/api/reports/{report_id}",
        "/api/concordance?q=发展&per_page=50",
        "/api/trends?q=发展&each=district",
        "/api/trends?q=发展&place=拱墅区&place=全国",
        "/api/adoption?q=发展&level=district",
        "/api/adoption?q=发展&level=province&rollup=1",
        f"/api/reports/{report_id}/reuse?min=10",
        f"/api/reports/{report_id}/reuse?min=10&p={shared}",
        "/api/dispersion?q=发展",
        f"/api/passage?text={passage}",
    ]


def test_every_answer_naming_a_place_gives_it_as_one_place_object(placed) -> None:
    """Each endpoint's answer on an index with places at every level: every place is a
    `place` object {name, code, level, province, city}, none spelled out in other keys."""
    for url in _urls(placed):
        response = placed.get(url)
        assert response.status_code == 200, url
        places = _places(response.get_json(), url)
        assert places, url
        for p in places:
            if p["name"] and p["level"] != "national":
                assert p["code"], (url, p)  # every other place of the index is coded


def test_a_hits_place_is_its_reports(placed) -> None:
    hits = placed.get("/api/search?q=发展&per_page=100").get_json()["hits"]
    for hit in hits:
        record = placed.get(f"/api/reports/{hit['report_id']}?per_page=1").get_json()
        assert hit["place"] == record["place"]


@pytest.mark.parametrize(
    "url",
    [
        "/search.csv?q=发展",
        "/concordance.csv?q=发展",
        "/export/catalogue.csv",
        "/trends.csv?q=发展&each=city",
        "/adoption.csv?q=发展&level=district",
        "/adoption/panel.csv?q=发展&level=district",
        "/dispersion.csv?q=发展",
    ],
)
def test_every_csv_names_a_place_with_the_same_columns(placed, url) -> None:
    text = placed.get(url).data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert set(PLACE_COLUMNS) <= set(header) and "district" not in header, header
