"""A term's trends count what its search counts, in either mode (`mode=words` too): the years'
occurrences, paragraphs and reports add up to the search's totals for the same query and
filters, on the JSON, the CSV and the page, on one index and on a sharded one; the search page's
trends link carries its mode."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import quote

import pytest

QUERIES = ("开放改革", "改革", "数字经济", "发展 NEAR/5 经济", "创新 OR 开放", "城市 -建设")
MODES = ("exact", "words")
FILTERS = ("", "&year_from=2018")


def _json(client, url: str) -> dict:
    response = client.get(url)
    body = response.get_data(as_text=True)
    response.close()
    assert response.status_code == 200, (url, body[:300])
    return json.loads(body)


def searched(client, q: str, rest: str) -> tuple[int, int, int]:
    """(occurrences, paragraphs, reports) of the search."""
    got = _json(client, f"/api/search?q={quote(q)}{rest}&per_page=1")
    return got["occurrences"], got["total"], got["reports"]


def summed(years) -> tuple[int, int, int]:
    return (
        sum(int(y["occurrences"]) for y in years),
        sum(int(y["paragraphs"]) for y in years),
        sum(int(y["reports"]) for y in years),
    )


def trended(client, q: str, rest: str) -> tuple[int, int, int]:
    (term,) = _json(client, f"/api/trends?q={quote(q)}{rest}")["terms"]
    return summed(term["years"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("filters", FILTERS)
def test_a_terms_years_add_up_to_its_search_on_every_surface(client, mode, filters) -> None:
    rest = f"&mode={mode}{filters}"
    found = 0
    for q in QUERIES:
        want = searched(client, q, rest)
        found += want[0] > 0
        assert trended(client, q, rest) == want, (q, rest)
        response = client.get(f"/trends.csv?q={quote(q)}{rest}")
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert summed(rows) == want, (q, rest)
        page = html.unescape(client.get(f"/trends?q={quote(q)}{rest}").get_data(as_text=True))
        assert f'<span class="count">{want[0]:,} 次</span>' in page, (q, rest)
    assert found >= 4  # most of the queries are found


def test_words_mode_counts_what_exact_mode_misses(client) -> None:
    """开放改革 is not in the reports verbatim, but its words are: the words-mode trends are the
    words-mode search's, not the exact search's zeros."""
    exact = searched(client, "开放改革", "")
    words = searched(client, "开放改革", "&mode=words")
    assert words[0] > exact[0] and words[1] > 0
    assert trended(client, "开放改革", "&mode=words") == words
    assert trended(client, "开放改革", "") == exact


def test_the_search_pages_trends_link_counts_what_the_search_counts(client) -> None:
    page = client.get("/search?q=开放改革&mode=words").get_data(as_text=True)
    link = html.unescape(re.search(r'href="(/trends\?[^"]+)"', page).group(1))
    assert "mode=words" in link
    (term,) = _json(client, "/api/" + link[1:])["terms"]
    assert summed(term["years"]) == searched(client, "开放改革", "&mode=words")


def test_a_sharded_index_trends_add_up_to_its_search_in_either_mode(client, bundled_sharded):
    """Each shard counts a term in the mode asked for; the sums are one index's."""
    from search_app import create_app

    sharded = create_app({"INDEX_DIR": str(bundled_sharded(3))}).test_client()
    for mode in MODES:
        for q in QUERIES:
            rest = f"&mode={mode}"
            want = trended(client, q, rest)
            assert trended(sharded, q, rest) == searched(sharded, q, rest) == want, (q, mode)
