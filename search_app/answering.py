"""The answers of the search, made from the engine's objects as instances of their models
(`search_app.answers`): a search's results, a hit, a report's record, and the paging every
list has. `search_app.serialize` writes them."""

from __future__ import annotations

import math

from flask import request

from search.results import Hit, SearchQuery, SearchResults
from search_app import answers
from search_app.facets import API_FACET_INFO, api_facets, api_places
from search_app.markup import excerpt
from search_app.params import MAX_PAGE_API
from search_app.urls import report_url, url


def paging(total: int, page: int, per_page: int, max_page: int = MAX_PAGE_API) -> dict:
    """`page`, `per_page`, and the absolute URLs of the next and previous pages (or null)."""
    last = min(max(1, math.ceil(total / per_page)), max_page)
    base = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]

    def link(n: int) -> str:
        values = request.view_args or {}
        return url(request.endpoint, [*base, ("page", str(n))], _external=True, **values)

    return {
        "page": page,
        "per_page": per_page,
        "next": link(page + 1) if page < last else None,
        "prev": link(min(page, last + 1) - 1) if page > 1 else None,
    }


def results_answer(results: SearchResults, hints: list[str], **page) -> answers.Results:
    """A search's answer as `baogao search --json` gives it, with the query's `hints` (with
    `page`: the paging and timing of /api/search, its hits with their excerpts and
    permalinks)."""
    model, hit = (answers.SearchResults, hit_answer) if page else (answers.Results, hit_record)
    return model(
        query=results.query.q,
        total=results.total,
        reports=results.reports,
        occurrences=results.occurrences,
        hits=[hit(h, results.query) for h in results.hits],
        facets=api_facets(results),
        facet_info=API_FACET_INFO,
        places=api_places(results.places),
        hints=hints,
        **page,
    )


def hit_record(hit: Hit, query: SearchQuery) -> answers.HitRecord:
    return answers.HitRecord(**answers.fields_of(hit, answers.HitRecord))


def hit_answer(hit: Hit, query: SearchQuery, snippet: bool = True) -> answers.Hit:
    """A hit with its permalink, and its excerpt (not in a CSV row)."""
    return answers.Hit(
        **answers.fields_of(hit, answers.HitRecord),
        snippet=str(excerpt(hit.text, hit.matches)) if snippet else "",
        url=report_url(hit.report_id, query.q, hit.paragraph, query.mode, external=True),
    )


def search_answer(results: SearchResults, hints: list[str], took_ms: float) -> answers.Results:
    """A page of a search, for /api/search."""
    query = results.query
    return results_answer(
        results, hints, **paging(results.total, query.page, query.per_page), took_ms=took_ms
    )


def report_answer(record: dict, model=answers.Report, **more):
    return model(
        **answers.fields_of(record, answers.Report),
        url=report_url(record["id"], external=True),
        **more,
    )
