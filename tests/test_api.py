"""The JSON API over a real index of the bundled corpus."""

from __future__ import annotations

import html
import re

import pytest

from indexer.fold import fold

QUERIES = ("最多跑一次", "城中村改造", "数字化改革", "改革", "")


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def test_search_has_the_cli_object_plus_paging_and_timing(client):
    data = get(client, "/api/search?q=改革&per_page=5&page=2")
    for key in ("query", "total", "reports", "occurrences", "hits", "facets"):
        assert key in data
    assert data["query"] == "改革"
    assert (data["page"], data["per_page"]) == (2, 5)
    assert isinstance(data["took_ms"], float)
    assert len(data["hits"]) == 5
    hit = data["hits"][0]
    for key in ("report_id", "paragraph", "district", "year", "text", "matches", "topics"):
        assert key in hit
    assert hit["url"].endswith(f"#p{hit['paragraph']}")
    assert "<mark>改革</mark>" in hit["snippet"]


@pytest.mark.parametrize("q", QUERIES)
def test_facet_counts_sum_to_total(client, q):
    data = get(client, f"/api/search?q={q}")
    assert data["total"] > 0
    for name in ("district", "year", "type", "level"):
        items = data["facets"][name]
        assert sum(i["count"] for i in items) == data["total"], name
        assert all(set(i) == {"value", "label", "count", "selected"} for i in items)


def test_topic_facet_is_marked_multi(client):
    data = get(client, "/api/search?q=改革")
    assert data["facet_info"]["topic"]["multi"] is True
    assert data["facet_info"]["district"]["multi"] is False
    assert sum(i["count"] for i in data["facets"]["topic"]) >= data["total"]


@pytest.mark.parametrize("q", ("最多跑一次", "城中村改造", "数字化改革", "數字化"))
def test_snippet_marks_equal_the_query_after_folding(client, q):
    data = get(client, f"/api/search?q={q}&per_page=100")
    assert data["hits"]
    for hit in data["hits"]:
        marked = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", hit["snippet"])]
        assert marked and {fold(m) for m in marked} == {fold(q)}
        for start, end in hit["matches"]:
            assert fold(hit["text"][start:end]) == fold(q)


def test_every_hit_url_returns_its_anchor(client):
    data = get(client, "/api/search?q=城中村改造&per_page=100")
    for hit in data["hits"]:
        path, _, anchor = hit["url"].partition("#")
        response = client.get(path)
        assert response.status_code == 200
        assert f'id="{anchor}"' in response.get_data(as_text=True)


def test_district_filter_total_equals_its_facet_count(client):
    data = get(client, "/api/search?q=改革")
    for item in data["facets"]["district"]:
        narrowed = get(client, f"/api/search?q=改革&district={item['value']}")
        assert narrowed["total"] == item["count"]
        chosen = [i for i in narrowed["facets"]["district"] if i["selected"]]
        assert [i["value"] for i in chosen] == [item["value"]]


def test_same_url_twice_gives_the_same_hits(client):
    url = "/api/search?q=改革&sort=oldest&per_page=50"
    first, second = get(client, url), get(client, url)
    assert [h["url"] for h in first["hits"]] == [h["url"] for h in second["hits"]]


def test_reports_lists_every_report(client):
    data = get(client, "/api/reports")
    assert data["total"] == len(data["reports"]) > 0
    report = data["reports"][0]
    for key in ("id", "district", "year", "date", "type", "title", "speaker", "source"):
        assert key in report


def test_report_has_metadata_and_paragraphs(client):
    first = get(client, "/api/reports")["reports"][0]
    data = get(client, f"/api/reports/{first['id']}")
    assert data["id"] == first["id"]
    assert len(data["paragraphs"]) == data["paragraph_count"] == first["paragraphs"]
    assert [p["n"] for p in data["paragraphs"]] == list(range(1, len(data["paragraphs"]) + 1))


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/search?page=-1", 400),
        ("/api/search?page=abc", 400),
        ("/api/search?page=99999999999999999999", 400),
        ("/api/search?year=20x6", 400),
        ("/api/search?per_page=1000", 400),
        ("/api/search?per_page=0", 400),
        ("/api/search?year_to=2016-", 400),
        ("/api/search?topic=unknown", 400),
        ("/api/reports/nope", 404),
        ("/api/reports/..%2Fetc", 404),
        ("/api/reports/A-B", 404),
        ("/api/nothing-here", 404),
    ],
)
def test_errors_are_json_with_code_and_message(client, url, status):
    data = get(client, url, status)
    assert set(data) == {"error"}
    assert data["error"]["code"] and data["error"]["message"]


def test_page_past_the_end_is_empty_not_an_error(client):
    data = get(client, "/api/search?q=改革&page=1000&per_page=100")
    assert data["hits"] == [] and data["total"] > 0
