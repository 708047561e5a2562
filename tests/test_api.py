"""The JSON API over a real index of the bundled corpus."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

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
    for key in ("report_id", "paragraph", "place", "year", "text", "matches", "topics"):
        assert key in hit
    assert set(hit["place"]) == {"name", "code", "level", "province", "city"}
    assert "district" not in hit and "province" not in hit  # one place object, not its fields
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


def follow(client, url: str, key: str) -> tuple[list, dict]:
    """Every item of a paged list, following its `next` links; and the first page."""
    first = data = get(client, url)
    items = list(data[key])
    while data["next"]:
        parts = urlsplit(data["next"])
        data = get(client, f"{parts.path}?{parts.query}")
        items += data[key]
    return items, first


def test_reports_lists_every_report_page_by_page(client):
    reports, first = follow(client, "/api/reports?per_page=3", "reports")
    assert first["total"] == len(reports) > 3 and first["prev"] is None
    assert len({r["id"] for r in reports}) == len(reports)
    for key in ("id", "place", "year", "date", "type", "title", "speaker"):
        assert key in reports[0]
    assert set(reports[0]["place"]) == {"name", "code", "level", "province", "city"}
    assert all(r["paragraph_count"] > 0 for r in reports)


def test_reports_take_the_search_filters(client):
    everything, _ = follow(client, "/api/reports", "reports")
    by_level, _ = follow(client, "/api/reports?level=district", "reports")
    assert by_level == [r for r in everything if r["place"]["level"] == "district"]
    assert get(client, "/api/reports?level=province")["total"] == sum(
        r["place"]["level"] == "province" for r in everything
    )
    mentioning, _ = follow(client, "/api/reports?q=最多跑一次", "reports")
    assert len(mentioning) == get(client, "/api/search?q=最多跑一次")["reports"] > 0


def test_report_has_metadata_and_every_paragraph_page_by_page(client):
    listed = get(client, "/api/reports")["reports"][0]
    paragraphs, data = follow(client, f"/api/reports/{listed['id']}?per_page=7", "paragraphs")
    assert data["id"] == listed["id"]
    assert len(paragraphs) == data["paragraph_count"] == listed["paragraph_count"] > 7
    assert [p["paragraph"] for p in paragraphs] == list(range(1, len(paragraphs) + 1))


def test_search_pages_link_to_each_other(client):
    hits, first = follow(client, "/api/search?q=改革&per_page=50", "hits")
    assert first["prev"] is None and len(hits) == first["total"]
    second = get(client, "/api/search?q=改革&per_page=50&page=2")
    assert second["prev"] and parse_qs(urlsplit(second["prev"]).query)["page"] == ["1"]
    assert [h["url"] for h in hits[50:100]] == [h["url"] for h in second["hits"]]


def test_every_api_answer_may_be_read_from_any_origin(client):
    for url in ("/api/search?q=改革", "/api/reports", "/api/openapi.json", "/api/nothing"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*"


def test_the_api_is_documented_for_people_and_machines(client):
    spec = get(client, "/api/openapi.json")
    assert spec["openapi"].startswith("3.") and {"/api/search", "/api/reports"} <= set(
        spec["paths"]
    )
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    text = docs.get_data(as_text=True)
    assert "/api/openapi.json" in text and all(path in text for path in spec["paths"])
    assert 'href="/api/docs"' in client.get("/").get_data(as_text=True)  # the footer links it


@pytest.mark.parametrize("page", [str(10**30), "1" * 5000, "0" * 20 + "1001", "1001"])
@pytest.mark.parametrize(("path", "last"), [("/api/search", 1000), ("/search", 500)])
def test_a_page_number_past_the_last_is_out_of_range_not_malformed(client, path, page, last):
    """page=10**30 is a positive integer: the message says the range, on the API and the page."""
    response = client.get(path, query_string={"q": "改革", "page": page})
    assert response.status_code == 400
    assert f"参数 page 须在 1 到 {last} 之间" in response.get_data(as_text=True)
    assert "正整数" not in response.get_data(as_text=True)


def test_a_page_number_with_leading_zeros_is_still_that_page(client):
    assert client.get("/api/search?q=改革&page=0000000000002").get_json()["page"] == 2


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
