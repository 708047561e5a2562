"""The place hierarchy in search: province and city filters take every report under the place,
the place facet is a tree whose every node counts its own reports plus its children, and a
place typed in the query means what it means in the URL."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.ingest import ingest
from indexer.models import Paragraph, Report
from indexer.place import Place
from search.engine import Engine
from search.place_tree import PlaceTree
from search.results import PlaceCount, SearchQuery

QUERIES = ("", "发展", "改革", "最多跑一次", "的", "创新 OR 开放", "-发展")

# (district, province, city, level) of reports made from the bundled texts: a province's own
# report, a city's, counties under the city, a county-level city directly under a province,
# a national report, and one whose place is unknown.
PLACES = [
    ("河北省", "河北省", "", "province"),
    ("保定市", "河北省", "保定市", "city"),
    ("徐水区", "河北省", "保定市", "district"),
    ("唐县", "河北省", "保定市", "district"),
    ("辛集市", "河北省", "", "district"),
    ("浙江省", "浙江省", "", "province"),
    ("拱墅区", "浙江省", "杭州市", "district"),
    ("全国", "", "", "national"),
    ("", "", "", ""),
]


@pytest.fixture(scope="module")
def tree_index(bundled_corpus: Path, tmp_path_factory) -> Path:
    texts = [p for r in ingest([bundled_corpus]).reports for p in r.paragraphs]
    reports = []
    for i, (district, province, city, level) in enumerate(PLACES):
        chunk = texts[i :: len(PLACES)]
        reports.append(
            Report(
                id=f"r{i}",
                source=f"places/{i}.txt",
                district=district,
                province=province,
                city=city,
                level=level,
                year=2010 + i,
                paragraphs=tuple(Paragraph(n, p.text) for n, p in enumerate(chunk, 1)),
            )
        )
    index = tmp_path_factory.mktemp("place-index")
    build_index(reports, index)
    return index


ENGINE_INDEXES = ("tree",)  # the `engine` fixture (conftest.py)


def walk(nodes: tuple[PlaceCount, ...]):
    for node in nodes:
        yield node
        yield from walk(node.children)


@pytest.mark.parametrize("q", QUERIES)
def test_every_node_counts_its_own_reports_plus_its_children(engine, q) -> None:
    results = engine.search(SearchQuery(q=q))
    assert sum(node.count for node in results.places) == results.total
    for node in walk(results.places):
        assert node.count == node.own + sum(child.count for child in node.children), node.name


@pytest.mark.parametrize("q", QUERIES)
def test_a_place_filter_gives_its_node_count_and_the_sum_of_its_parts(engine, q) -> None:
    tree = engine.search(SearchQuery(q=q)).places
    field_of = {"province": "provinces", "city": "cities", "district": "districts"}
    for node in walk(tree):
        if not node.name:
            continue
        total = engine.search(SearchQuery(q=q, **{field_of[node.field]: (node.name,)})).total
        assert total == node.count, node.name
        if node.children:  # the place's own reports plus each child, filtered one by one
            own = engine.search(SearchQuery(q=q, districts=(node.name,))).total
            parts = [
                engine.search(SearchQuery(q=q, **{field_of[c.field]: (c.name,)})).total
                for c in node.children
            ]
            assert total == own + sum(parts), node.name


def test_the_tree_nests_province_city_county(engine) -> None:
    tree = {n.name: n for n in engine.search(SearchQuery()).places}
    assert set(tree) == {"河北省", "浙江省", "全国", ""}
    hebei = tree["河北省"]
    assert {(c.field, c.name) for c in hebei.children} == {
        ("city", "保定市"),
        ("district", "辛集市"),
    }
    baoding = next(c for c in hebei.children if c.name == "保定市")
    assert {c.name for c in baoding.children} == {"徐水区", "唐县"}
    assert hebei.own > 0 and baoding.own > 0 and tree["全国"].children == ()


@pytest.mark.parametrize(
    ("typed", "selected"),
    [
        ("province:河北", {"provinces": ("河北省",)}),
        ("province:河北省", {"provinces": ("河北",)}),
        ("city:保定", {"cities": ("保定市",)}),
        ("district:拱墅", {"districts": ("拱墅区",)}),
        ("district:全国", {"districts": ("全国",)}),
    ],
)
def test_a_place_typed_in_the_query_means_what_it_means_in_the_url(engine, typed, selected):
    by_query = engine.search(SearchQuery(q=f"发展 {typed}", per_page=None))
    by_url = engine.search(SearchQuery(q="发展", per_page=None, **selected))
    assert by_query.total == by_url.total > 0
    assert [h.report_id for h in by_query.hits] == [h.report_id for h in by_url.hits]


def test_a_part_of_a_name_is_not_a_place(engine) -> None:
    """河 is not 河北省: a place is named whole, with or without its unit."""
    assert engine.search(SearchQuery(q="province:河")).total == 0
    assert engine.search(SearchQuery(provinces=("河",))).total == 0


def test_hits_carry_their_place_hierarchy(engine) -> None:
    hits = engine.search(SearchQuery(districts=("唐县",), per_page=5)).hits
    assert hits and all(
        (h.province, h.city, h.district) == ("河北省", "保定市", "唐县") for h in hits
    )


@pytest.mark.shared
@pytest.mark.parametrize("q", ("发展", "最多跑一次", "乡村振兴", ""))
def test_the_reference_corpus_tree_adds_up_and_its_filters_agree(shared_index, q) -> None:
    engine = Engine.open(shared_index)
    try:
        results = engine.search(SearchQuery(q=q))
        assert sum(node.count for node in results.places) == results.total
        field_of = {"province": "provinces", "city": "cities", "district": "districts"}
        for node in walk(results.places):
            assert node.count == node.own + sum(c.count for c in node.children), node.name
            if node.name and node.field != "district":
                query = SearchQuery(q=q, **{field_of[node.field]: (node.name,)})
                assert engine.search(query).total == node.count, node.name
        henan = {n.name: n for n in results.places}.get("河南省")
        if henan and q == "":
            assert [c.name for c in henan.children] == ["驻马店市"]
    finally:
        engine.close()


# -- the tree as sums over the place table, against a walk of every place -------------------

_NAMES = st.sampled_from(["", "甲省", "乙省", "甲市", "乙市", "甲县", "乙县", "全国"])


def _walked(places, counts, chosen) -> tuple[PlaceCount, ...]:
    """The place tree made by walking each place with a match down its path: the definition
    `PlaceTree` sums in one pass."""
    nodes: dict[tuple, dict] = {}

    def at(path: tuple, field: str) -> dict:
        if path not in nodes:
            nodes[path] = {"field": field, "count": 0, "own": 0, "selected": False}
        return nodes[path]

    for code, (province, city, district) in enumerate(places):
        n = int(counts[code]) if code < len(counts) else 0
        if n <= 0:
            continue
        path: tuple = ()
        if not (province or city or district):
            path = (("district", ""),)
            at(path, "district")["count"] += n
        for field, name in zip(
            ("province", "city", "district"), (province, city, district), strict=True
        ):
            if not name or (path and path[-1][1] == name and field == "district"):
                continue
            path = (*path, (field, name))
            node = at(path, field)
            node["count"] += n
            node["selected"] |= code in chosen.get(field, set())
        if path:
            at(path, path[-1][0])["own"] += n

    def frozen(parent: tuple, province: str = "", city: str = "") -> tuple[PlaceCount, ...]:
        kids = [p for p in nodes if len(p) == len(parent) + 1 and p[: len(parent)] == parent]
        kids.sort(key=lambda p: (-nodes[p]["count"], p[-1][1]))
        out = []
        for p in kids:
            field, name = p[-1]
            prov = name if field == "province" else province
            cty = name if field == "city" else city
            node = nodes[p]
            out.append(
                PlaceCount(
                    Place.of_tree(prov, cty, name),
                    field,
                    node["count"],
                    node["own"],
                    node["selected"],
                    frozen(p, prov, cty),
                )  # fmt: skip
            )
        return tuple(out)

    return frozen(())


@settings(max_examples=300, deadline=None)
# two places of one name at different levels under one parent, equally counted: in the order
# their first match is met (a place without a match made one of them first)
@example(
    places=[("", "甲省", "乙县"), ("", "", "甲省"), ("", "甲省", "")], counts=[0, 1, 1], chosen={}
)
@given(
    places=st.lists(st.tuples(_NAMES, _NAMES, _NAMES), max_size=12),
    counts=st.lists(st.integers(0, 5), max_size=14),
    chosen=st.dictionaries(
        st.sampled_from(("province", "city", "district")), st.sets(st.integers(0, 12))
    ),
)
def test_the_tree_is_each_place_counted_along_its_path(places, counts, chosen) -> None:
    counts = np.array(counts[: len(places)], np.int64)
    assert PlaceTree(places).tree(counts, chosen) == _walked(places, counts, chosen)
