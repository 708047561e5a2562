"""Filters over per-paragraph columns: a selection (or a `field:value` typed in the query)
becomes a boolean mask over paragraphs (numpy throughout); the facets are counted by the
`search.facets.FacetCounts` half of the same `Columns`."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from indexer.fold import fold
from indexer.models import TOPIC_IDS
from search.errors import BadQuery
from search.facet_table import SELECTION
from search.facets import FacetCounts
from search.results import FILTER_FIELDS, PLACE_FIELDS, SearchQuery
from search.selection import (  # also where the request parsers and the CLI find them
    YEAR_MAX,
    YEAR_MIN,
    parse_year,
    parse_year_range,
    resolve_level,
    resolve_topics,
    short_name,
    year_selected,
)

__all__ = [
    "YEAR_MAX",
    "YEAR_MIN",
    "Columns",
    "parse_year",
    "parse_year_range",
    "resolve_level",
    "resolve_topics",
    "short_name",
    "year_selected",
]

# What chars_by_year_district depends on: the selections of a search, not its string
_SELECTIONS = ("provinces", "cities", "districts", "years", "year_from", "year_to", "types")
_SELECTIONS += ("levels", "topics")
DIVISORS_KEPT = 256


class Columns(FacetCounts):
    """The index's per-paragraph columns (`columns.npz`) and the vocabularies of coded ones."""

    def __init__(self, col: dict[str, np.ndarray], vocab: dict[str, list], n: int):
        self.col, self.vocab, self.n = col, vocab, n
        self.places = [tuple(p) for p in vocab["place"]]  # (province, city, district) by code
        # each level's name folded, and folded without its unit: what a selection may say
        self._place_keys = [
            tuple({fold(name), fold(short_name(name))} if name else set() for name in place)
            for place in self.places
        ]
        self._by_report: dict[str, np.ndarray] | None = None
        self._place_tree = None  # the place table's tree (search.place_tree), made when asked
        self._divisors: OrderedDict = OrderedDict()  # selections → chars_by_year_district
        self._lock = threading.Lock()

    # -- masks ------------------------------------------------------------------------------

    def values_mask(self, column: str, selected: tuple[str, ...]) -> np.ndarray:
        """Paragraphs whose `column` is one of `selected` (compared folded: 報告 = 报告)."""
        wanted = {fold(v) for v in selected}
        codes = [i for i, v in enumerate(self.vocab[column]) if fold(v) in wanted]
        return np.isin(self.col[column], codes)

    def year_mask(self, years: tuple[int, ...], lo: int | None, hi: int | None) -> np.ndarray:
        year = self.col["year"]
        mask = np.isin(year, years) if years else np.ones(self.n, bool)
        if lo is not None:
            mask &= year >= lo
        if hi is not None:
            mask &= (year <= hi) & (year != 0)  # 0: unknown, which no bound includes
        return mask

    def topic_mask(self, topics: tuple[str, ...]) -> np.ndarray:
        bits = sum(1 << TOPIC_IDS.index(t) for t in topics if t in TOPIC_IDS)
        return (self.col["topics"] & np.uint32(bits)) != 0

    def field_mask(self, name: str, value: str) -> np.ndarray:
        """A `field:value` filter typed in the query; a place means what it means in the URL."""
        value = value.strip()
        if name == "year":
            lo, hi = parse_year_range(value)
            return self.year_mask((), lo, hi)
        if name == "topic":
            return self.topic_mask(resolve_topics([value]))
        if name in PLACE_FIELDS:
            return np.isin(self.col["place"], self.place_codes(name, (value,)))
        if name not in ("type", "level"):
            raise BadQuery(f"未知的筛选字段 {name}：可用 {'、'.join(FILTER_FIELDS)}")
        values = self.vocab[name]
        if name == "level":
            value = resolve_level(value)
        folded = fold(value)
        codes = [i for i, v in enumerate(values) if v and fold(v) == folded]
        if not codes:  # a prefix such as type:党代会
            codes = [i for i, v in enumerate(values) if v and folded and folded in fold(v)]
        return np.isin(self.col[name], codes)

    def place_codes(self, field: str, values: tuple[str, ...]) -> list[int]:
        """The places whose `field` (province, city or district) is one of `values`, each given
        by its full name or its name without the unit (河北 = 河北省, 拱墅 = 拱墅区)."""
        wanted = {fold(v.strip()) for v in values if v.strip()}
        unknown = any(not v.strip() for v in values)  # "" selects the places not determined
        if not (wanted or unknown):
            return []
        k = PLACE_FIELDS.index(field)
        return [
            code
            for code, keys in enumerate(self._place_keys)
            if keys[k] & wanted or (unknown and not self.places[code][k])
        ]

    def place_mask(self, query: SearchQuery) -> np.ndarray | None:
        """Paragraphs under any selected province, city or district; None: no selection."""
        selected = {f: getattr(query, SELECTION[f]) for f in PLACE_FIELDS}
        if not any(selected.values()):
            return None
        codes = [c for f, values in selected.items() if values for c in self.place_codes(f, values)]
        return np.isin(self.col["place"], codes)

    def selection_masks(self, query: SearchQuery) -> dict[str, np.ndarray]:
        """One mask per facet with a selection; facets without one are absent."""
        masks = {}
        place = self.place_mask(query)
        if place is not None:
            masks["place"] = place
        if query.years or query.year_from is not None or query.year_to is not None:
            masks["year"] = self.year_mask(query.years, query.year_from, query.year_to)
        if query.types:
            masks["type"] = self.values_mask("type", query.types)
        if query.levels:
            masks["level"] = self.values_mask("level", tuple(map(resolve_level, query.levels)))
        if query.topics:
            masks["topic"] = self.topic_mask(resolve_topics(query.topics))
        return masks

    def filter_mask(self, query: SearchQuery) -> np.ndarray:
        """The paragraphs under every selection of `query` (not its string)."""
        mask = np.ones(self.n, bool)
        for m in self.selection_masks(query).values():
            mask &= m
        return mask

    def chars_by_year_district(self, query: SearchQuery | None = None) -> dict:
        """Characters per (year, district) of the paragraphs in `query`'s selections (all when
        None): the timeline's divisor, so a filtered search divides by what it searched.
        It depends on the selections only: kept for the last few asked."""
        query = query or SearchQuery()
        key = tuple(getattr(query, name) for name in _SELECTIONS)
        with self._lock:
            if key in self._divisors:
                self._divisors.move_to_end(key)
                return dict(self._divisors[key])
        divisor = self._chars_by_year_district(query)
        with self._lock:
            self._divisors[key] = divisor
            while len(self._divisors) > DIVISORS_KEPT:
                self._divisors.popitem(last=False)
        return dict(divisor)

    def _chars_by_year_district(self, query: SearchQuery) -> dict:
        col, district = self.col, self.vocab["district"]
        mask = self.filter_mask(query) & (col["year"] != 0)
        nd = len(district)
        keys = col["year"][mask].astype(np.int64) * nd + col["district"][mask]
        sums = np.bincount(keys, weights=col["chars"][mask]) if keys.size else np.zeros(0)
        return {(int(k // nd), district[int(k % nd)]): int(sums[k]) for k in np.flatnonzero(sums)}
