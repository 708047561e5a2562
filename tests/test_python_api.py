"""The Python API as a notebook user meets it in the README: `baogao.open`, then the methods,
their answers equal to the HTTP API's for the same parameters, tables through `to_pandas()`,
and errors as the engine's exceptions with the API's message."""

from __future__ import annotations

from pathlib import Path

import pytest

import baogao
from search.errors import BadQuery, ReportNotFound

BASE = "http://127.0.0.1:5000"


@pytest.fixture(scope="module")
def idx(fixture_index: Path):
    return baogao.open(fixture_index)


def _same(python: dict, http: dict) -> None:
    python, http = dict(python), dict(http)
    python.pop("took_ms", None), http.pop("took_ms", None)
    assert python == http


def test_a_notebook_session(idx) -> None:
    """The README's example, step by step."""
    hits = idx.search("最多跑一次", per_page=5)
    assert hits["total"] >= 1 and hits["occurrences"] >= hits["total"]
    df = hits.to_pandas()
    assert len(df) == len(hits["hits"]) and {"report_id", "place", "code", "year", "text"} <= set(
        df
    )
    assert all("最多跑一次" in text for text in df["text"])

    first = df.iloc[0]
    report = idx.report(first["report_id"], per_page=100)
    assert report["id"] == first["report_id"]
    assert first["text"] in [p["text"] for p in report["paragraphs"]]

    rows = idx.concordance("改革", order="left", per_page=10).to_pandas()
    assert (rows["match"] == "改革").all()

    trends = idx.trends("改革", "发展").to_pandas()
    assert set(trends["q"]) == {"改革", "发展"}
    by_term = trends.groupby("q")["occurrences"].sum()
    assert by_term["改革"] == idx.search("改革", per_page=1)["occurrences"]

    adoption = idx.adoption("改革", level="district")
    places = adoption.to_pandas()
    assert len(places) == len(adoption["places"]) > 0
    assert {"place", "code", "level", "province", "city"} <= set(places)  # as every CSV names it
    assert list(places["place"]) == [p["place"]["name"] for p in adoption["places"]]
    assert len(adoption.to_pandas("panel")) == len(adoption["panel"])


@pytest.mark.parametrize(
    ("method", "path", "args", "params"),
    [
        ("search", "/api/search", ("改革",), {"district": ["拱墅区", "上城区"], "page": 2}),
        ("search", "/api/search", ("乡村*振兴 OR 最多跑一次",), {"sort": "newest"}),
        ("reports", "/api/reports", ("改革",), {"year_from": 2016}),
        ("concordance", "/api/concordance", ("发展",), {"order": "right", "context": 8}),
        ("collocations", "/api/collocations", ("发展",), {"span": 5}),
        ("trends", "/api/trends", ("改革", "发展"), {"level": "district"}),
        ("adoption", "/api/adoption", ("改革",), {"level": "district"}),
    ],
)
def test_answers_equal_the_http_apis(
    idx, fixture_index: Path, client_of, method, path, args, params
) -> None:
    client = client_of(fixture_index)
    query = [("q", a) for a in args] + [
        (k, str(v)) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])
    ]
    http = client.get(path, query_string=query, base_url=BASE)
    assert http.status_code == 200
    _same(getattr(idx, method)(*args, **params), http.get_json())


def test_bad_requests_raise_the_engines_errors_with_the_apis_message(idx) -> None:
    with pytest.raises(BadQuery, match="年份"):
        idx.search("改革", year="公元前")
    with pytest.raises(ReportNotFound):
        idx.report("r000000000000000")


def test_keywords_ngrams_and_dispersion_equal_the_http_apis(
    idx, fixture_index: Path, client_of
) -> None:
    client = client_of(fixture_index)
    asked = [
        (
            idx.keywords(year_from=2018, ref_year_to=2017, n=2, min=2),
            "/api/keywords?year_from=2018&ref_year_to=2017&n=2&min=2",
        ),
        (idx.ngrams(3, district="拱墅区"), "/api/ngrams?n=3&district=拱墅区"),
        (idx.dispersion("改革"), "/api/dispersion?q=改革"),
    ]
    for answer, url in asked:
        _same(answer, client.get(url, base_url=BASE).get_json())
    positions = idx.dispersion("改革").to_pandas()
    assert len(positions) == idx.search("改革", per_page=1)["occurrences"]
    assert positions["position"].between(0, 1).all()


def test_a_sharded_index_answers_as_one_index(sharded, cluster_single: Path) -> None:
    """`baogao.open` on a sharded index (its shards on Ray): every method answers as on one
    index of the same files, tables included."""
    many, one = baogao.open(sharded(3)), baogao.open(cluster_single)
    report_id = one.reports(per_page=1)["reports"][0]["id"]
    calls = [
        ("search", ("改革",), {"sort": "oldest", "page": 2}),
        ("search", ("发展 NEAR/5 经济",), {"mode": "words"}),
        ("reports", ("改革",), {"year_from": 2016}),
        ("report", (report_id,), {"per_page": 100}),
        ("concordance", ("发展",), {"order": "left", "context": 8}),
        ("collocations", ("改革",), {"span": 5}),
        ("trends", ("改革", "乡村*振兴"), {}),
        ("adoption", ("改革",), {"level": "city", "rollup": True}),
        ("keywords", (), {"year_from": 2020, "ref_year_to": 2015}),
        ("ngrams", (2,), {"q": "发展"}),
        ("dispersion", ("改革",), {}),
        ("reuse", (report_id,), {}),
    ]
    for method, args, params in calls:
        got, want = getattr(many, method)(*args, **params), getattr(one, method)(*args, **params)
        _same(got, want)
        assert got.rows() == want.rows(), method
    assert len(many.search("改革", per_page=10).to_pandas()) == 10
