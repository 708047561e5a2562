"""Filters typed in a query, lifted into the search's selections where that keeps the meaning:
`改革 province:河北` is the search `改革` with province=河北, so a page can show it as a ticked
facet and a chip whichever way it was asked, and its URL says it one way."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from indexer.fold import fold
from indexer.models import LEVEL_LABELS, TOPIC_IDS
from search.canonical import to_string
from search.errors import BadQuery
from search.facet_table import SELECTION
from search.filters import Columns, parse_year_range, resolve_level, resolve_topics
from search.query import And, Filter, parse
from search.results import SearchQuery

# The facet each filter selects in; place fields share one (OR within it, as in the URL).
GROUP = {"province": "place", "city": "place", "district": "place"}
SELECTION = {name: field for name, field in SELECTION.items() if name != "year"}


def lift_filters(query: SearchQuery, columns: Columns) -> SearchQuery:
    """`query` with each filter ANDed at the top of its string moved into its selection, when
    it is the only one for its facet and the facet has no selection yet (within a facet the
    URL's values are ORed, the query's ANDed: only then are the two the same search)."""
    try:
        tree = parse(query.q)
    except BadQuery:
        return query  # the search itself will say what is wrong
    children = list(tree.children) if isinstance(tree, And) else [tree]
    filters = [c for c in children if isinstance(c, Filter)]
    per_facet = Counter(GROUP.get(f.field, f.field) for f in filters)
    changes: dict = {}
    lifted: set[int] = set()
    for i, node in enumerate(children):
        if not isinstance(node, Filter):
            continue
        facet = GROUP.get(node.field, node.field)
        if per_facet[facet] > 1 or _selected(query, facet):
            continue
        change = _as_selection(node, columns)
        if change is not None:
            changes.update(change)
            lifted.add(i)
    if not lifted:
        return query
    rest = [c for i, c in enumerate(children) if i not in lifted]
    q = to_string(rest[0] if len(rest) == 1 else And(tuple(rest))) if rest else ""
    return replace(query, q=q, page=1, **changes)


def _selected(query: SearchQuery, facet: str) -> bool:
    if facet == "place":
        return bool(query.provinces or query.cities or query.districts)
    if facet == "year":
        return bool(query.years) or query.year_from is not None or query.year_to is not None
    return bool(getattr(query, SELECTION[facet]))


def _as_selection(node: Filter, columns: Columns) -> dict | None:
    """The selection that means what the typed filter means, or None when there is none."""
    value = node.value.strip()
    if node.field in GROUP:
        return {SELECTION[node.field]: (value,)}  # places resolve alike in both
    if node.field == "year":
        try:
            lo, hi = parse_year_range(value)
        except BadQuery:
            return None
        return {"years": (lo,)} if lo == hi else {"year_from": lo, "year_to": hi}
    if node.field == "level":
        level = resolve_level(value)
        return {"levels": (level,)} if level in LEVEL_LABELS else None
    if node.field == "topic":
        (topic,) = resolve_topics([value])
        return {"topics": (topic,)} if topic in TOPIC_IDS else None
    if node.field == "type":
        folded = fold(value)
        types = [v for v in columns.vocab["type"] if v and fold(v) == folded]
        types = types or [v for v in columns.vocab["type"] if v and folded and folded in fold(v)]
        return {"types": (types[0],)} if len(types) == 1 else None
    return None
