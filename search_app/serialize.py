"""Results as JSON objects, for the API and `baogao search --json`: the hit's record fields
(from `search.results.HIT_FIELDS`) plus its marks."""

from __future__ import annotations

from search.results import HIT_FIELDS, Hit, SearchResults
from search_app.facets import api_facets, api_places


def hit_json(hit: Hit) -> dict:
    out = {name: getattr(hit, name) for name in HIT_FIELDS}
    out["matches"] = [list(m) for m in hit.matches]
    out["topics"] = list(hit.topics)
    out["topic_scores"] = list(hit.topic_scores)
    return out


def results_json(results: SearchResults) -> dict:
    """total, reports, occurrences, the page's hits and every facet with its labels."""
    facets, info = api_facets(results)
    return {
        "query": results.query.q,
        "total": results.total,
        "reports": results.reports,
        "occurrences": results.occurrences,
        "hits": [hit_json(h) for h in results.hits],
        "facets": facets,
        "facet_info": info,
        "places": api_places(results.places),
    }
