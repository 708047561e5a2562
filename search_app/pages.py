"""Template contexts built outside the views: hits with excerpts and permalinks, pagination,
sort and mode switches, the home page's table of reports per district and year."""

from __future__ import annotations

import math
from collections import Counter

from indexer.models import LEVEL_LABELS, LEVELS, TOPIC_LABELS
from search.engine import Engine
from search.results import Hit, SearchQuery, SearchResults
from search_app import facets, hints, timeline
from search_app.markup import excerpt
from search_app.params import MAX_PAGE_HTML
from search_app.urls import SEARCH, Target, export_url, page_url, reader_url, search_url

SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
MODE_LABELS = {"exact": "精确匹配", "words": "按词匹配"}
EXAMPLES = ("最多跑一次", "城中村改造", "数字化改革")


def examples() -> list[tuple[str, str]]:
    return [(q, search_url(SearchQuery(q=q))) for q in EXAMPLES]


def hit_view(hit: Hit, query: SearchQuery, per: str = "") -> dict:
    return {
        "hit": hit,
        "excerpt": excerpt(hit.text, hit.matches),
        "url": reader_url(hit.report_id, query, hit.paragraph, per),
        "report_url": reader_url(hit.report_id, query, per=per),
        "topics": [TOPIC_LABELS.get(t, t) for t in hit.topics],
    }


def pagination(query: SearchQuery, total: int, per: str, target: Target = SEARCH) -> dict:
    """Links to the first, last and nearby pages (never past the HTML page limit)."""
    per_page = query.per_page or 1
    last = min(max(1, math.ceil(total / per_page)), MAX_PAGE_HTML)
    page = query.page
    window = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    links, prev = [], 0
    for n in window:
        if n - prev > 1:
            links.append({"gap": True})
        links.append({"page": n, "url": page_url(query, n, per, target), "current": n == page})
        prev = n
    return {
        "page": page,
        "last": last,
        "links": links if last > 1 else [],
        "prev_url": page_url(query, page - 1, per, target) if page > 1 else None,
        "next_url": page_url(query, page + 1, per, target) if page < last else None,
        "capped": math.ceil(total / per_page) > MAX_PAGE_HTML,
        "first_shown": (page - 1) * per_page + 1,
    }


def switches(query: SearchQuery, per: str, target: Target = SEARCH) -> dict:
    def link(label: str, selected: bool, **change) -> dict:
        return {
            "label": label,
            "url": search_url(query, per, target, **change),
            "selected": selected,
        }

    return {
        "sort": [link(lbl, query.sort == s, sort=s) for s, lbl in SORT_LABELS.items()],
        "mode": [link(lbl, query.mode == m, mode=m) for m, lbl in MODE_LABELS.items()],
    }


def search_context(
    engine: Engine, results: SearchResults, per: str, took_ms: float, target: Target = SEARCH
) -> dict:
    """A results page's context; its facet, paging and form links lead to `target`."""
    query = results.query
    return {
        "target": target,
        "results": results,
        "query": query,
        "q": query.q,
        "per": per,
        "took_ms": took_ms,
        "hits": [hit_view(h, query, per) for h in results.hits],
        "understood": hints.understood(query.q) if query.q else "",
        "hints": hints.search_hints(engine, query),
        "facets": facets.sidebar(results, per, target),
        "timeline": timeline.build(
            results, engine.columns.chars_by_year_district(query), per, target
        ),
        "pages": pagination(query, results.total, per, target),
        "switches": switches(query, per, target),
        "csv_url": export_url(query, "views.search_csv"),
        "json_url": export_url(query, "api.search"),
        "feed_url": export_url(query, "feed.search_atom"),
        "bib_url": export_url(query, "views.search_citations", fmt="bib"),
        "ris_url": export_url(query, "views.search_citations", fmt="ris"),
        "has_filters": any(
            (query.provinces, query.cities, query.districts, query.years, query.types)
        )
        or any((query.levels, query.topics))
        or query.year_from is not None
        or query.year_to is not None,
        "clear_url": search_url(
            SearchQuery(q=query.q, sort=query.sort, mode=query.mode, per_page=query.per_page),
            per,
            target,
        ),
    }


LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}  # national, province, city, district


def corpus_table(engine: Engine) -> dict:
    """What the corpus holds: reports by level and by type, and per place and year, each count
    a link to browse them; places in order national, provinces, cities, counties, each level
    in GB/T 2260 order so that a province's places stand together."""
    reports = engine.reports()
    counts = Counter((r["district"], r["year"]) for r in reports)
    place_of = {r["district"]: r for r in reports}

    def order(district: str) -> tuple:
        r = place_of[district]
        level = LEVEL_ORDER.get(r["level"], 9)
        return (not district, level, facets.place_key(district, r["province"], r["city"]))

    years = sorted({y for _, y in counts if y})
    rows = []
    for d in sorted(place_of, key=order):
        cells = []
        for y in years:
            n = counts.get((d, y), 0)
            url = search_url(SearchQuery(districts=(d,) if d else (), years=(y,))) if n else ""
            cells.append({"count": n, "url": url})
        undated = counts.get((d, None), 0)
        level = LEVEL_LABELS.get(place_of[d]["level"], "")
        row = {"district": d or "地区不详", "level": level, "cells": cells, "undated": undated}
        rows.append(row)
    return {
        "years": years,
        "rows": rows,
        "has_undated": any(r["undated"] for r in rows),
        "by_level": _tally(reports, "level", "levels", LEVEL_LABELS),
        "by_type": _tally(reports, "type", "types"),
        "reports": len(reports),
        "paragraphs": engine.n,
        "chars": int(engine.meta.get("chars", 0)),
    }


def _tally(reports: list[dict], field: str, selection: str, labels: dict | None = None) -> list:
    """Reports per value of `field`, most first, each with the search that shows them."""
    counts = Counter(r[field] for r in reports if r[field])
    return [
        {
            "label": (labels or {}).get(value, value),
            "count": n,
            "url": search_url(SearchQuery(**{selection: (value,)})),
        }
        for value, n in counts.most_common()
    ]
