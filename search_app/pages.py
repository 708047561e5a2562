"""Template contexts built outside the views: hits with excerpts and permalinks, pagination,
sort and mode switches, the home page's table of reports per district and year."""

from __future__ import annotations

import math
from collections import Counter

from indexer.models import TOPIC_LABELS
from search.engine import Engine
from search.results import Hit, SearchQuery, SearchResults
from search_app import facets, timeline
from search_app.markup import excerpt
from search_app.params import MAX_PAGE_HTML
from search_app.urls import export_url, page_url, report_url, search_url

SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
MODE_LABELS = {"exact": "精确匹配", "words": "按词匹配"}
EXAMPLES = ("最多跑一次", "城中村改造", "数字化改革")


def examples() -> list[tuple[str, str]]:
    return [(q, search_url(SearchQuery(q=q))) for q in EXAMPLES]


def hit_view(hit: Hit, query: SearchQuery) -> dict:
    return {
        "hit": hit,
        "excerpt": excerpt(hit.text, hit.matches),
        "url": report_url(hit.report_id, query.q, hit.paragraph, query.mode),
        "report_url": report_url(hit.report_id, query.q, mode=query.mode),
        "topics": [TOPIC_LABELS.get(t, t) for t in hit.topics],
    }


def pagination(query: SearchQuery, total: int, per: str) -> dict:
    """Links to the first, last and nearby pages (never past the HTML page limit)."""
    per_page = query.per_page or 1
    last = min(max(1, math.ceil(total / per_page)), MAX_PAGE_HTML)
    page = query.page
    window = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    links, prev = [], 0
    for n in window:
        if n - prev > 1:
            links.append({"gap": True})
        links.append({"page": n, "url": page_url(query, n, per), "current": n == page})
        prev = n
    return {
        "page": page,
        "last": last,
        "links": links if last > 1 else [],
        "prev_url": page_url(query, page - 1, per) if page > 1 else None,
        "next_url": page_url(query, page + 1, per) if page < last else None,
        "capped": math.ceil(total / per_page) > MAX_PAGE_HTML,
        "first_shown": (page - 1) * per_page + 1,
    }


def switches(query: SearchQuery, per: str) -> dict:
    return {
        "sort": [
            {"label": lbl, "url": search_url(query, per, sort=s), "selected": query.sort == s}
            for s, lbl in SORT_LABELS.items()
        ],
        "mode": [
            {"label": lbl, "url": search_url(query, per, mode=m), "selected": query.mode == m}
            for m, lbl in MODE_LABELS.items()
        ],
    }


def search_context(engine: Engine, results: SearchResults, per: str, took_ms: float) -> dict:
    query = results.query
    return {
        "results": results,
        "query": query,
        "q": query.q,
        "per": per,
        "took_ms": took_ms,
        "hits": [hit_view(h, query) for h in results.hits],
        "facets": facets.sidebar(results, per),
        "timeline": timeline.build(results, engine.chars_by_year_district(query), per),
        "pages": pagination(query, results.total, per),
        "switches": switches(query, per),
        "csv_url": export_url(query, "views.search_csv"),
        "json_url": export_url(query, "api.search"),
        "has_filters": any(
            (query.provinces, query.cities, query.districts, query.years, query.types)
        )
        or any((query.levels, query.topics))
        or query.year_from is not None
        or query.year_to is not None,
        "clear_url": search_url(
            SearchQuery(q=query.q, sort=query.sort, mode=query.mode, per_page=query.per_page),
            per,
        ),
    }


def corpus_table(engine: Engine) -> dict:
    """Reports per district and year, each cell a link to browse them."""
    reports = engine.reports()
    counts = Counter((r["district"], r["year"]) for r in reports)
    districts = sorted({d for d, _ in counts}, key=lambda d: (d == "", d))
    years = sorted({y for _, y in counts if y})
    rows = []
    for d in districts:
        cells = []
        for y in years:
            n = counts.get((d, y), 0)
            url = search_url(SearchQuery(districts=(d,) if d else (), years=(y,))) if n else ""
            cells.append({"count": n, "url": url})
        undated = counts.get((d, None), 0)
        rows.append({"district": d or "地区不详", "cells": cells, "undated": undated})
    return {
        "years": years,
        "rows": rows,
        "has_undated": any(r["undated"] for r in rows),
        "reports": len(reports),
        "paragraphs": engine.n,
        "chars": int(engine.meta.get("chars", 0)),
    }
