"""Results as JSON objects, for the API and `baogao search --json`: the hit's record fields
(from `search.results.HIT_FIELDS`, its place as one `place` object) plus its marks."""

from __future__ import annotations

from dataclasses import asdict

from indexer.models import PLACE_METADATA
from indexer.place import PLACE_COLUMNS, Place
from search.results import HIT_FIELDS, Hit, SearchResults
from search_app.facets import api_facets, api_places


def place_json(place: Place) -> dict:
    """A place as every JSON answer names it: {name, code, level, province, city}."""
    return asdict(place)


def record_json(record, fields: tuple[str, ...]) -> dict:
    """`fields` of a report's record (a hit, a concordance row, a report: a `Metadata` or the
    report table's dict), its place fields given as one `place` object where they stood."""
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k)
    out: dict = {}
    for name in fields:
        if name in PLACE_METADATA:
            if "place" not in out:
                out["place"] = place_json(Place.of_report(record))
        else:
            out[name] = get(name)
    return out


def record_columns(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The CSV columns of `fields` of a report's record: its place as PLACE_COLUMNS."""
    out: list[str] = []
    for name in fields:
        if name not in PLACE_METADATA:
            out.append(name)
        elif not set(PLACE_COLUMNS) & set(out):
            out.extend(PLACE_COLUMNS)
    return tuple(out)


def record_cells(record, fields: tuple[str, ...]) -> list:
    """The CSV cells of `fields` of a report's record, in the order of `record_columns`."""
    return [
        v
        for name, value in record_json(record, fields).items()
        for v in (Place(**value).cells() if name == "place" else (value,))
    ]


def hit_json(hit: Hit) -> dict:
    out = record_json(hit, HIT_FIELDS)
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
