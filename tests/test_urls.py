"""Every link comes from one builder (search_app.urls) and depends on its arguments alone: the
concordance's sidebar leads back to it because it says so (a `Target`), not through state
hidden in `flask.g`."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import flask

from search.results import SearchQuery
from search_app.urls import Target, search_url, toggle_url


def test_a_search_url_depends_on_its_arguments_only(app) -> None:
    query = SearchQuery(q="改革", districts=("拱墅区",))
    with app.test_request_context("/concordance?q=改革&order=left"):
        flask.g.search_target = ("concordance.page", [("order", "left")])  # ignored
        plain = urlsplit(search_url(query))
        concordance = Target("concordance.page", (("order", "left"),))
        there = urlsplit(toggle_url(query, "year", "2017", target=concordance))
    assert plain.path == "/search"
    assert parse_qsl(plain.query) == [("q", "改革"), ("district", "拱墅区")]
    assert there.path == "/concordance"
    assert parse_qsl(there.query) == [
        ("q", "改革"), ("district", "拱墅区"), ("year", "2017"), ("order", "left"),
    ]  # fmt: skip


def test_the_concordance_forms_and_facets_lead_back_to_it(client) -> None:
    page = client.get("/concordance?q=改革&order=left").get_data(as_text=True)
    assert 'action="/concordance"' in page and 'action="/search"' not in page
    assert 'name="order" value="left"' in page
    assert "/search?q=%E6%94%B9%E9%9D%A9&amp;district=" not in page  # facets stay here


def test_the_concordance_page_evaluates_its_query_once(client, monkeypatch) -> None:
    """Its rows, its facet counts and its collocations come from one evaluation of the query
    (the engine's matching makes one `Evaluation` per query it evaluates)."""
    import search.matching

    made = []

    class Counted(search.matching.Evaluation):
        def __init__(self, *args, **kwargs) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(search.matching, "Evaluation", Counted)
    url = "/concordance?q=改革&coll=1&district=拱墅区"
    response = client.get(url)
    assert response.status_code == 200 and "改革" in response.get_data(as_text=True)
    assert len(made) == 1
    client.get(url)  # a new request evaluates anew
    assert len(made) == 2
