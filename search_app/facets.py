"""Facet items of one shape, `{"value", "label", "count", "selected", "toggle_url"}`, for the
sidebar, and the lists the JSON API returns."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.models import LEVEL_LABELS, TOPIC_LABELS
from search.results import FacetCount, SearchQuery, SearchResults
from search_app.urls import clear_facet_url, toggle_url


@dataclass(frozen=True)
class FacetInfo:
    name: str
    title: str
    multi: bool = False  # a paragraph may count under several values
    note: str = ""


FACETS = (
    FacetInfo("district", "地区"),
    FacetInfo("year", "年份"),
    FacetInfo("type", "类型"),
    FacetInfo("level", "级别"),
    FacetInfo(
        "topic", "主题", multi=True, note="一段文字可属于多个主题，各主题计数之和可能大于总段数。"
    ),
)
UNKNOWN = {"district": "地区不详", "year": "年份不详", "type": "类型不详", "level": "级别不详"}


def label(facet: str, value: str) -> str:
    """The Chinese label shown for a facet value."""
    if not value:
        return UNKNOWN.get(facet, "不详")
    if facet == "level":
        return LEVEL_LABELS.get(value, value)
    if facet == "topic":
        return TOPIC_LABELS.get(value, value)
    if facet == "year":
        return f"{value}年"
    return value


def item(facet: str, f: FacetCount, query: SearchQuery, per: str = "") -> dict:
    """One facet value; values that cannot be selected in a URL ("unknown") get no link."""
    return {
        "value": f.value,
        "label": label(facet, f.value),
        "count": f.count,
        "selected": f.selected,
        "toggle_url": toggle_url(query, facet, f.value, per) if f.value else None,
    }


def sidebar(results: SearchResults, per: str = "") -> list[dict]:
    """The facets of a results page, in display order, each with its items."""
    query = results.query
    out = []
    for info in FACETS:
        items = [item(info.name, f, query, per) for f in results.facets.get(info.name, ())]
        out.append(
            {
                "name": info.name,
                "title": info.title,
                "multi": info.multi,
                "note": info.note,
                "items": items,
                "active": any(i["selected"] for i in items),
                "clear_url": clear_facet_url(query, info.name, per),
            }
        )
    return out


def api_facets(results: SearchResults) -> tuple[dict, dict]:
    """`facets` as lists of {value, label, count, selected}, and `facet_info` saying which
    facet is "multi" (a paragraph counted under several values)."""
    facets = {
        info.name: [
            {
                "value": f.value,
                "label": label(info.name, f.value),
                "count": f.count,
                "selected": f.selected,
            }
            for f in results.facets.get(info.name, ())
        ]
        for info in FACETS
    }
    info = {i.name: {"title": i.title, "multi": i.multi} for i in FACETS}
    return facets, info
