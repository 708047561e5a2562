"""Places are listed in GB/T 2260 order (the national standard's codes: 河北 13 before 江苏 32
before 浙江 33 before 福建 35), not in code-point order: in the place tree of the sidebar and the
API, the home page's table and the adoption tables; places of one name told apart by their
city (南京市鼓楼区 320106, 福州市鼓楼区 350102); the unknown place last."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search_app.facets import place_code


@pytest.fixture(scope="module")
def client(placed_index: Path, client_of):
    return client_of(placed_index)


def names(nodes) -> list[str]:
    return [n["place"]["name"] for n in nodes]


@pytest.mark.parametrize(
    ("place", "code"),
    [
        (("全国",), "000000"),
        (("河北省",), "130000"),
        (("内蒙古自治区",), "150000"),
        (("驻马店市", "河南省"), "411700"),
        (("鼓楼区", "江苏省", "南京市"), "320106"),
        (("鼓楼区", "福建省", "福州市"), "350102"),
        (("鼓楼区",), ""),  # four places: no code without its city
        (("东城区", "北京市"), "110101"),
        (("江干区", "浙江省", "杭州市"), "330104"),  # merged away in 2021: its last code
        (("", "", ""), ""),
    ],
)
def test_place_codes(place, code) -> None:
    assert place_code(*place) == code


def test_the_place_tree_is_in_code_order(client) -> None:
    tree = client.get("/api/search?q=发展").get_json()["places"]
    assert names(tree) == ["全国", "河北省", "江苏省", "浙江省", "福建省", ""]
    hebei, jiangsu = tree[1], tree[2]
    assert names(hebei["children"]) == ["辛集市", "保定市"]  # 130181, 130600
    assert names(hebei["children"][1]["children"]) == ["徐水区", "唐县"]  # 130609, 130627
    assert names(jiangsu["children"]) == ["南京市", "苏州市"]


def test_the_sidebar_tree_is_in_code_order(client) -> None:
    page = client.get("/search?q=发展").get_data(as_text=True)
    top = re.findall(r'data-value="([^"]*)" data-depth="0"', page)
    assert top == ["全国", "河北省", "江苏省", "浙江省", "福建省", ""]
    second = re.findall(r'data-field="city" data-value="([^"]*)" data-depth="1"', page)
    assert second == ["保定市", "南京市", "苏州市", "杭州市", "福州市"]


def test_the_home_table_is_in_code_order_within_each_level(client) -> None:
    page = client.get("/").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"[^>]*>(?:<a[^>]*>)?([^<]+)<', page)
    # one row per name: the two 鼓楼区 share one
    assert rows == [
        "全国",
        "河北省", "江苏省", "浙江省",
        "保定市", "苏州市", "杭州市",
        "辛集市", "徐水区", "唐县", "拱墅区", "鼓楼区",
        "地区不详",
    ]  # fmt: skip


@pytest.mark.parametrize(("q", "level"), [("发展", "district"), ("最多跑一次", "district")])
def test_adoption_tables_are_in_code_order(client, q, level) -> None:
    table = client.get(f"/api/adoption?q={q}&level={level}").get_json()

    def code(p: dict) -> str:
        return place_code(p["place"]["name"], p["place"]["province"], p["place"]["city"])

    adopted = [(p["first_year"], code(p)) for p in table["places"]]
    assert adopted == sorted(adopted) and adopted
    assert [code(p) for p in table["not_yet"]] == sorted(code(p) for p in table["not_yet"])
    page = client.get(f"/adoption?q={q}&level={level}").get_data(as_text=True)
    shown = re.findall(r'<th scope="row">(\D[^<]*)<', page)
    assert [p["place"]["name"] for p in table["places"]] == shown


def test_places_not_yet_adopting_are_in_code_order(client) -> None:
    """最多跑一次 is 拱墅区's alone: the others follow by code (河北 13…, 江苏 32…, 福建 35…)."""
    table = client.get("/api/adoption?q=最多跑一次&level=district").get_json()
    assert [(p["place"]["name"], p["place"]["city"]) for p in table["not_yet"]] == [
        ("辛集市", ""), ("徐水区", "保定市"), ("唐县", "保定市"), ("鼓楼区", "南京市"),
        ("鼓楼区", "福州市"),
    ]  # fmt: skip
    page = client.get("/adoption?q=最多跑一次&level=district").get_data(as_text=True)
    listed = re.findall(r'<li>([^<（]+)(?:<span class="chain">[^<]*</span>)?（', page)
    assert listed == ["辛集市", "徐水区", "唐县", "鼓楼区", "鼓楼区"]
