"""Every link comes from one builder (search_app.urls) and depends on its arguments alone: the
concordance's sidebar leads back to it because it says so (a `Target`), not through state
hidden in `flask.g`."""

from __future__ import annotations

import ast
from pathlib import Path
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


def test_no_module_but_the_builder_calls_url_for() -> None:
    """Every link of the site and the API, the API docs' examples and the pages' static files
    and form actions included, is made by search_app.urls: no other module of the web face
    and no template calls flask's url_for."""
    root = Path(__file__).resolve().parent.parent / "search_app"
    callers = set()
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "url_for":
                    callers.add(path.name)
    for path in sorted((root.parent / "templates").glob("*.html")):  # nor any page
        if "url_for(" in path.read_text(encoding="utf-8"):
            callers.add(path.name)
    assert callers == {"urls.py"}


def test_the_api_docs_examples_are_links_of_the_api(client) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/search?q=%E6%9C%80%E5%A4%9A%E8%B7%91%E4%B8%80%E6%AC%A1&amp;per_page=5" in page
    assert "/api/reports?level=province" in page
