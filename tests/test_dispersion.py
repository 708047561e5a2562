"""Dispersion against the reports' own text: every occurrence found again in the report's
paragraphs joined in order, at the same fraction of the report."""

from __future__ import annotations

import pytest

from indexer.fold import fold
from search.charindex import find_all
from search.dispersion import BINS, dispersion
from search.engine import Engine
from search.results import SearchQuery

CASES = [
    SearchQuery(q="改革"),
    SearchQuery(q="数字化改革"),
    SearchQuery(q="城市国际化", districts=("拱墅区",)),
    SearchQuery(q="项目", year_from=2019),
]


ENGINE_INDEXES = ("bundled", "shared")  # the `engine` fixture (conftest.py) opens each


@pytest.mark.parametrize("query", CASES, ids=lambda q: q.q)
def test_positions_are_the_occurrences_in_the_whole_report(engine: Engine, query) -> None:
    result = dispersion(engine, query)
    filters = SearchQuery(**{k: v for k, v in vars(query).items() if k != "q"})
    expected = {}
    for record in engine.reports(filters):
        report = engine.get_report(record["id"])
        text = "".join(fold(p.text) for p in report.paragraphs)
        found = []
        offset = 0
        for p in report.paragraphs:  # the marks never cross a paragraph
            folded = fold(p.text)
            found += [(offset + s) / len(text) for s, _ in find_all(folded, fold(query.q))]
            offset += len(folded)
        if found:
            expected[record["id"]] = found
    got = {r.report_id: list(r.positions) for r in result.reports}
    assert set(got) == set(expected)
    for report_id, positions in expected.items():
        assert got[report_id] == pytest.approx(positions, abs=1e-12), report_id
    total = engine.search(SearchQuery(**{**vars(query), "per_page": 0})).occurrences
    assert result.occurrences == total == sum(map(len, expected.values()))
    assert sum(result.profile) == total and len(result.profile) == BINS
    assert all(0 <= p < 1 for r in result.reports for p in r.positions)


def test_page_csv_and_api_agree(client) -> None:
    body = client.get("/api/dispersion?q=改革").get_json()
    csv_rows = client.get("/dispersion.csv?q=改革").get_data(as_text=True).strip().splitlines()
    assert (
        len(csv_rows) - 1
        == body["occurrences"]
        == sum(len(r["positions"]) for r in body["reports"])
    )
    html = client.get("/dispersion?q=改革").get_data(as_text=True)
    assert html.count('class="strip"') == len(body["reports"])
    assert client.get("/dispersion").status_code == 200
