"""The concordance page, its CSV and the JSON of /api/concordance and /api/collocations,
through a Flask test client over a real index of the bundled corpus."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from search import query as ql
from search.concordance import concordance
from search.results import SearchQuery

QUERIES = (
    "最多跑一次",
    "改革",
    "数字*改革",
    "最多跑一次 NEAR/10 改革",
    "发展 district:拱墅区",
    "=",
    "-",
)


ENGINE_INDEXES = ("bundled",)  # the `engine` fixture (conftest.py)


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', text)]


def args(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_the_page_shows_rows_counts_and_marks(client, engine) -> None:
    text = get(client, "/concordance?q=改革&district=拱墅区&per_page=10").get_data(as_text=True)
    con = concordance(engine, SearchQuery(q="改革", districts=("拱墅区",), per_page=10))
    assert f"出现 <strong>{con.occurrences}</strong> 次" in text
    assert f"<strong>{con.paragraphs}</strong> 段" in text
    assert text.count("<mark>改革</mark>") == len(con.rows) == 10
    lefts = [html.unescape(m) for m in re.findall(r'<td class="left"><span>(.*?)</span>', text)]
    assert lefts == [r.left for r in con.rows]


def test_search_and_concordance_switch_in_one_click(client) -> None:
    search = "/search?q=改革&district=拱墅区&year=2018&mode=words"
    to_kwic = [
        u
        for u in links(get(client, search).get_data(as_text=True))
        if u.startswith("/concordance?")
    ]
    assert to_kwic, "no link to the concordance"
    state = {"q": ["改革"], "district": ["拱墅区"], "year": ["2018"], "mode": ["words"]}
    assert args(to_kwic[0]) == state
    page = get(client, to_kwic[0] + "&order=left").get_data(as_text=True)
    back = [u for u in links(page) if urlsplit(u).path == "/search" and "+" not in u]
    assert back and args(back[0]) == state


def test_sort_links_facets_and_paging_keep_the_concordance_state(client) -> None:
    page = get(client, "/concordance?q=改革&order=left&context=40").get_data(as_text=True)
    kwic_links = [u for u in links(page) if u.startswith("/concordance?")]
    assert any(args(u).get("order") == ["right"] for u in kwic_links)
    toggles = [u for u in kwic_links if "district" in args(u)]
    assert toggles and all(
        args(u)["order"] == ["left"] and args(u)["context"] == ["40"] for u in toggles
    )
    assert all("per_page" not in args(u) for u in kwic_links)
    nxt = [u for u in kwic_links if args(u).get("page") == ["2"]]
    assert nxt and args(nxt[0])["order"] == ["left"]


@pytest.mark.parametrize("q", QUERIES)
def test_csv_has_every_occurrence(client, engine, q: str) -> None:
    body = get(client, f"/concordance.csv?q={q}&order=right").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, rows = rows[0], rows[1:]
    assert header[:7] == ["left", "match", "right", "report_id", "paragraph", "start", "end"]
    assert len(rows) == engine.search(SearchQuery(q=q)).occurrences
    for row in rows:
        assert not row[0].startswith(("=", "+", "-", "@")) or row[0].startswith("'")
        assert row[-1].startswith("http://localhost/reports/")


def test_api_pages_through_every_row_with_absolute_urls(client, engine) -> None:
    url = "/api/concordance?q=改革&per_page=30&order=left"
    seen = []
    while url:
        data = get(client, url).get_json()
        for key in ("occurrences", "paragraphs", "reports", "rows", "next"):
            assert key in data
        for r in data["rows"]:
            assert set(r) >= {
                "left",
                "match",
                "right",
                "report_id",
                "paragraph",
                "start",
                "end",
                "place",
                "year",
                "url",
            }
            assert r["url"].startswith("http://localhost/reports/")
        seen += data["rows"]
        url = data["next"]
        assert url is None or url.startswith("http://localhost/api/concordance?")
    full = concordance(engine, SearchQuery(q="改革", per_page=None), "left").rows
    assert [(r["report_id"], r["start"]) for r in seen] == [(r.report_id, r.start) for r in full]
    assert len(seen) == data["occurrences"]


def test_api_collocations(client) -> None:
    data = get(client, "/api/collocations?q=改革&span=10").get_json()
    assert data["occurrences"] > 0 and data["span"] == 10
    items = data["collocates"]
    assert 0 < len(items) <= 50
    assert [i["log_dice"] for i in items] == sorted((i["log_dice"] for i in items), reverse=True)
    for i in items:
        assert set(i) >= {"word", "near", "total", "log_dice", "log_likelihood", "url"}
        assert args(i["url"])["q"] == [f"改革 {i['word']}"]


@pytest.mark.parametrize("q", ["改革 OR 开放", "改革 NEAR/5 发展", "经济*发展", "-开放 改革"])
def test_a_collocate_link_searches_the_whole_query_and_the_word(client, q) -> None:
    """The link of a collocate is the query AND the word: an OR stays one clause (改革 OR 开放
    with 发展 is (改革|开放) 发展, not 改革 开放 发展)."""
    items = get(client, f"/api/collocations?{urlencode({'q': q})}").get_json()["collocates"]
    assert items
    for i in items:
        (linked,) = args(i["url"])["q"]
        assert ql.parse(linked) == ql.And((*_clauses(ql.parse(q)), ql.Term(i["word"])))


def _clauses(tree):
    return tree.children if isinstance(tree, ql.And) else (tree,)


def test_the_page_shows_collocations_on_request(client) -> None:
    page = get(client, "/concordance?q=改革&coll=1").get_data(as_text=True)
    assert 'class="coll-table"' in page
    both = [u for u in links(page) if u.startswith("/search?q=") and "+" in u]
    assert both


@pytest.mark.parametrize(
    "url",
    [
        "/concordance?q=改革&order=sideways",
        "/concordance?q=改革&context=101",
        "/concordance?q=改革&span=0",
        "/api/concordance?q=改革&context=-1",
        "/api/collocations?q=改革&span=x",
        "/concordance.csv?q=a NEAR/999 b",
    ],
)
def test_bad_parameters_are_400(client, url: str) -> None:
    get(client, url, 400)
