"""Facet items of one shape, `{"value", "label", "count", "selected", "toggle_url"}`, for the
sidebar, and the lists the JSON API returns."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydantic import TypeAdapter

from indexer.places import NATIONAL, gazetteer
from search.facet_table import BY_NAME, TOPIC_NOTE
from search.facet_table import FACETS as FACET_TABLE
from search.results import FACETS as ENGINE_FACETS
from search.results import FacetCount, PlaceCount, SearchQuery, SearchResults
from search_app import answers
from search_app.urls import SEARCH, Target, clear_facet_url, toggle_url


@dataclass(frozen=True)
class FacetInfo:
    name: str
    title: str
    multi: bool = False  # a paragraph may count under several values
    note: str = ""


# The sidebar: the place tree, then the flat facets of the table but the issuing place (the
# tree's last level), each with its title and note.
FACETS = (
    FacetInfo("place", "地区", note="省 → 市 → 区县；每项计数含其下各级报告的段落。"),
    *(
        FacetInfo(f.name, f.title, f.multi, TOPIC_NOTE if f.name == "topic" else "")
        for f in FACET_TABLE
        if f.counted and not f.place
    ),
)
OPEN_TREE_UP_TO = 40  # place trees of at most this many nodes are shown unfolded


def label(facet: str, value: str) -> str:
    """The Chinese label shown for a facet value."""
    return BY_NAME[facet].label(value) if facet in BY_NAME else value or "不详"


def item(facet: str, f: FacetCount, query: SearchQuery, per: str = "", target=SEARCH) -> dict:
    """One facet value; values that cannot be selected in a URL ("unknown") get no link."""
    return {
        "value": f.value,
        "label": label(facet, f.value),
        "count": f.count,
        "selected": f.selected,
        "toggle_url": toggle_url(query, facet, f.value, per, target) if f.value else None,
    }


def sidebar(results: SearchResults, per: str = "", target: Target = SEARCH) -> list[dict]:
    """The facets of a results page, in display order, each with its items (their links lead
    to `target`: the search page, or the concordance)."""
    query = results.query
    out = []
    for info in FACETS:
        tree = None
        if info.name == "place":
            tree = place_items(results.places, query, per, target=target)
            items = [node for node in _walk(tree) if node["selected"]]
            _open(tree, everything=sum(1 for _ in _walk(tree)) <= OPEN_TREE_UP_TO)
        else:
            facet = results.facets.get(info.name, ())
            items = [item(info.name, f, query, per, target) for f in facet]
        out.append(
            {
                "tree": tree,
                "name": info.name,
                "title": info.title,
                "multi": info.multi,
                "note": info.note,
                "items": items,
                "active": any(i["selected"] for i in items),
                "clear_url": clear_facet_url(query, info.name, per, target),
            }
        )
    return out


@cache
def place_code(name: str, province: str = "", city: str = "") -> str:
    """A place's GB/T 2260 code (全国 000000), told apart from places of the same name by its
    province and city (鼓楼区 is four places); empty when the gazetteer cannot say."""
    if name == NATIONAL:
        return "000000"
    gaz = gazetteer()
    whole = [m for m in gaz.find(name) if m.text == name and m.full]
    if not whole:
        return ""
    units = list(whole[0].units)
    for parent in (city, province):  # the nearest parent named decides
        above = gaz.named(parent) if parent and parent != name else None
        if above is not None:
            units = [u for u in units if gaz.is_within(u, above)]
            break
    codes = {u.code for u in units if u.last is None} or {u.code for u in units}
    return codes.pop() if len(codes) == 1 else ""


@cache
def place_key(name: str, province: str = "", city: str = "") -> tuple:
    """Places in GB/T 2260 order (全国 first, a province before its cities and theirs before
    their counties); ties and places without a code by name, the unknown place last."""
    code = place_code(name, province, city)
    return (not name, not code, code, name)


def _in_code_order(nodes, province: str = "", city: str = ""):
    """The children of one node of the place tree in GB/T 2260 order."""
    return sorted(nodes, key=lambda n: place_key(n.name, province, city))


def _parents(n: PlaceCount, province: str, city: str) -> tuple[str, str]:
    if n.field == "province":
        return n.name, city
    return province, n.name if n.field == "city" else city


def place_items(
    nodes: tuple[PlaceCount, ...],
    query: SearchQuery,
    per: str = "",
    province: str = "",
    city: str = "",
    target: Target = SEARCH,
) -> list[dict]:
    """The place tree as facet items in GB/T 2260 order, each with its `children` (and `own`:
    the paragraphs of the place's own reports, the rest being its children's)."""
    return [
        {
            "value": n.name,
            "field": n.field,
            "label": BY_NAME["district"].label(n.name),
            "count": n.count,
            "own": n.own,
            "selected": n.selected,
            "toggle_url": toggle_url(query, n.field, n.name, per, target) if n.name else None,
            "children": place_items(
                n.children, query, per, *_parents(n, province, city), target=target
            ),
        }
        for n in _in_code_order(nodes, province, city)
    ]


def _open(items: list[dict], everything: bool) -> bool:
    """Mark the branches to show unfolded: all of a small tree, else those leading to a
    selected place. True when `items` hold a selection."""
    found = False
    for i in items:
        below = _open(i["children"], everything)
        i["open"] = bool(i["children"]) and (everything or below or i["selected"])
        found = found or below or i["selected"]
    return found


def _walk(items: list[dict]):
    for i in items:
        yield i
        yield from _walk(i["children"])


def api_places(nodes: tuple[PlaceCount, ...]) -> list[answers.PlaceNode]:
    """The place tree for the JSON API, in GB/T 2260 order (validated as one list: a tree
    holds a node per place with a match, often hundreds)."""
    return _PLACE_NODES.validate_python(_place_nodes(nodes))


def _place_nodes(nodes: tuple[PlaceCount, ...], province: str = "", city: str = "") -> list:
    return [
        {
            "place": answers.place_of(n.place),
            "field": n.field,
            "count": n.count,
            "own": n.own,
            "selected": n.selected,
            "children": _place_nodes(n.children, *_parents(n, province, city)),
        }
        for n in _in_code_order(nodes, province, city)
    ]


def api_facets(results: SearchResults) -> dict[str, list[answers.FacetItem]]:
    """Each flat facet (the issuing place too, as `district`) as its labelled items."""
    return {
        name: _FACET_ITEMS.validate_python(
            [
                {
                    "value": f.value,
                    "label": label(name, f.value),
                    "count": f.count,
                    "selected": f.selected,
                }
                for f in results.facets.get(name, ())
            ]
        )
        for name in ENGINE_FACETS
    }


_PLACE_NODES = TypeAdapter(list[answers.PlaceNode])
_FACET_ITEMS = TypeAdapter(list[answers.FacetItem])


# What `facet_info` says of each facet: its title, and whether it is "multi" (a paragraph
# counted under several values).
API_FACET_INFO = {
    name: answers.FacetInfo(title=BY_NAME[name].title, multi=BY_NAME[name].multi)
    for name in ENGINE_FACETS
}
