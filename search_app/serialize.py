"""Results as JSON objects, for the API and `baogao search --json`: the hit's record fields
(from `search.results.HIT_FIELDS`) plus its marks, merged as the excerpt shows them."""

from __future__ import annotations

from search.results import HIT_FIELDS, Hit, SearchResults
from search_app.highlight import merge_spans


def hit_json(hit: Hit) -> dict:
    out = {name: getattr(hit, name) for name in HIT_FIELDS}
    out["matches"] = [list(m) for m in merge_spans(hit.matches)]
    out["topics"] = list(hit.topics)
    return out


def results_json(results: SearchResults) -> dict:
    return {
        "query": results.query.q,
        "total": results.total,
        "reports": results.reports,
        "occurrences": results.occurrences,
        "hits": [hit_json(h) for h in results.hits],
        "facets": {
            name: [{"value": f.value, "count": f.count, "selected": f.selected} for f in items]
            for name, items in results.facets.items()
        },
    }
