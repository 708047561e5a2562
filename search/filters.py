"""Filters and facets over per-paragraph columns: a selection becomes a boolean mask, and a
facet is a count per value over the matching paragraphs (numpy throughout)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from indexer.fold import fold
from indexer.models import TOPIC_IDS
from search.errors import BadQuery
from search.facet_table import SELECTION, resolve_all
from search.results import (
    FACETS,
    FILTER_FIELDS,
    PLACE_FIELDS,
    FacetCount,
    PlaceCount,
    SearchQuery,
)

# Suffixes a place's name may be given without (河北 → 河北省, 拱墅 → 拱墅区), longest first.
_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "自治旗", "林区", "地区", "新区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip
_FACET_MASK = {"district": "place"}  # the district facet is the place tree's last level
# What chars_by_year_district depends on: the selections of a search, not its string
_SELECTIONS = ("provinces", "cities", "districts", "years", "year_from", "year_to", "types")
_SELECTIONS += ("levels", "topics")
DIVISORS_KEPT = 256
# Columns that hold one value per report: a facet over them is a count per report, weighted
_REPORT_LEVEL = ("district", "place", "type", "level", "year")


class Columns:
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
        self._shape: _TreeShape | None = None  # the place tree of every place code
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
        selected = {f: getattr(query, _SELECTION[f]) for f in PLACE_FIELDS}
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

    # -- facets -------------------------------------------------------------------------------

    def facets(
        self,
        query: SearchQuery,
        base: np.ndarray,
        matches: np.ndarray,
        masks: dict[str, np.ndarray],
        tally: Tally | None = None,
    ) -> tuple[dict[str, tuple[FacetCount, ...]], tuple[PlaceCount, ...]]:
        """Counts per value over all matches, and the place tree; a facet ignores its own
        selection (so other values can be added to it) and honours the others. `matches` are
        the ids of `base` under every selection, the common case's answer for every facet
        (`tally`: the caller's tally of them)."""
        out = {}
        tallies: dict[int, Tally] = {}  # one tally per distinct set of ids (by identity)
        if tally is not None:
            tallies[id(matches)] = tally

        def tally(name: str) -> Tally:
            pids = self._ignoring(name, base, matches, masks)
            if id(pids) not in tallies:
                tallies[id(pids)] = self.tally(pids, ascending=True)
            return tallies[id(pids)]

        for name in FACETS:
            out[name] = self.facet_counts(name, tally(name), query)
        tree = self.tree_of(tally("district").values("place"), query)
        return out, tree

    def tally(self, pids: np.ndarray, ascending: bool = False) -> Tally:
        """What the facets, the place tree and the timeline count of the paragraphs `pids`
        (`ascending`: the caller knows them sorted, as `np.flatnonzero` gives them)."""
        return Tally(self, pids, ascending)

    def by_report(self) -> dict[str, np.ndarray] | None:
        """Each report-level column (district, place, type, level, year) as one value per
        report, when every paragraph holds its report's value (always, as the indexer
        writes them); None otherwise, and every count is then taken per paragraph."""
        if self._by_report is None:
            report, reports = self.col["report"], len(self.col["report_rank"])
            out = {}
            for name in _REPORT_LEVEL:
                column = self.col[name]
                per_report = np.zeros(reports, column.dtype)
                per_report[report] = column
                if not np.array_equal(per_report[report], column):
                    out = {}
                    break
                out[name] = per_report
            if out and reports and np.all(report[1:] >= report[:-1]):
                # each report's paragraphs stand together: its matches are found among
                # sorted ids by two binary searches, without reading the report column
                out["bounds"] = np.searchsorted(report, np.arange(reports + 1))
            self._by_report = out
        return self._by_report or None

    @staticmethod
    def _ignoring(name: str, base, matches, masks) -> np.ndarray:
        """The ids of `base` under every selection but facet `name`'s own."""
        own = _FACET_MASK.get(name, name)
        others = [m for other, m in masks.items() if other != own]
        if len(others) == len(masks):
            return matches
        mask = base.copy()
        for m in others:
            mask &= m
        return np.flatnonzero(mask)

    def place_tree(self, pids: np.ndarray, query: SearchQuery) -> tuple[PlaceCount, ...]:
        """Provinces (and national or unknown places) → cities → issuing places, each node
        with the paragraphs at and under it."""
        return self.tree_of(self.tally(pids).values("place"), query)

    def tree_of(self, counts: np.ndarray, query: SearchQuery) -> tuple[PlaceCount, ...]:
        """The place tree of the paragraph counts per place code `counts`."""
        shape = self._tree_shape()
        counts = np.asarray(counts, np.int64)
        if not counts.size:
            return ()
        nodes = len(shape.fields)
        present = counts[shape.pair_code] > 0
        node_count = np.bincount(
            shape.pair_node[present], counts[shape.pair_code[present]], minlength=nodes
        ).astype(np.int64)
        own = np.bincount(shape.own_node, counts, minlength=nodes).astype(np.int64)
        chosen = np.zeros((len(PLACE_FIELDS), len(self.places)), bool)
        for level, f in enumerate(PLACE_FIELDS):
            chosen[level, self.place_codes(f, getattr(query, _SELECTION[f]))] = True
        level = shape.pair_level
        hit = present & (level >= 0) & chosen[np.maximum(level, 0), shape.pair_code]
        selected = np.bincount(shape.pair_node[hit], minlength=nodes) > 0
        # ties of count and name keep the order in which the nodes were first reached
        first = np.full(nodes, len(self.places), np.int64)
        reached, at = np.unique(shape.pair_node[present], return_index=True)
        first[reached] = shape.pair_code[present][at]
        return _freeze(
            shape.roots,
            shape,
            node_count.tolist(),
            own.tolist(),
            selected.tolist(),
            first.tolist(),
        )

    def _tree_shape(self) -> _TreeShape:
        if self._shape is None:
            self._shape = _TreeShape(self.places)
        return self._shape

    def facet_counts(self, name: str, pids, query: SearchQuery):
        """The counts of facet `name` over the paragraphs `pids` (ids, or their `Tally`)."""
        tally = pids if isinstance(pids, Tally) else self.tally(pids)
        if name == "topic":
            selected = set(resolve_topics(query.topics))
            counts = tally.topics()
            items = [
                FacetCount(t, int(c), t in selected)
                for t, c in zip(TOPIC_IDS, counts, strict=True)
                if c or t in selected
            ]
            return tuple(sorted(items, key=lambda f: -f.count))
        if name == "year":
            counts = tally.values("year")
            chosen, lo, hi = set(query.years), query.year_from, query.year_to
            items = [
                FacetCount(str(v) if v else "", c, year_selected(v, chosen, lo, hi))
                for v, c in zip(
                    np.flatnonzero(counts).tolist(), counts[counts > 0].tolist(), strict=True
                )
            ]
            return tuple(sorted(items, key=lambda f: f.value or "0000", reverse=True))
        selected = {
            "district": query.districts,
            "type": query.types,
            "level": tuple(map(resolve_level, query.levels)),
        }[name]
        values = self.vocab[name]
        counts = tally.values(name, len(values))
        shown = set(np.flatnonzero(counts).tolist())
        if selected:
            shown.update(i for i, v in enumerate(values) if v in selected)
        items = [
            FacetCount(values[i], int(counts[i]), values[i] in selected) for i in sorted(shown)
        ]
        return tuple(sorted(items, key=lambda f: (-f.count, f.value)))

    def timeline(self, pids) -> tuple[tuple[int, str, int], ...]:
        """(year, district, paragraphs) for every pair with a match; unknown years left out."""
        tally = pids if isinstance(pids, Tally) else self.tally(pids)
        district = self.vocab["district"]
        nd = len(district)
        keys, counts = tally.year_district()
        return tuple(
            zip(
                (keys // nd).tolist(),
                [district[d] for d in (keys % nd).tolist()],
                counts.tolist(),
                strict=True,
            )
        )


class Tally:
    """Counts over one set of paragraphs: per value of a column, as facets, the place tree
    and the timeline need them. A report-level column is counted through the matches per
    report (one pass over the ids for all of them), a paragraph-level one directly."""

    def __init__(self, columns: Columns, pids: np.ndarray, ascending: bool = False):
        self.columns, self.pids, self.ascending = columns, pids, ascending
        self._by_report = columns.by_report()
        self._per_report: np.ndarray | None = None

    def per_report(self) -> np.ndarray:
        """Matching paragraphs per report."""
        if self._per_report is None:
            bounds = self._by_report.get("bounds") if self._by_report else None
            if bounds is not None and self.ascending:
                self._per_report = np.diff(np.searchsorted(self.pids, bounds))
            else:
                reports = len(self.columns.col["report_rank"])
                report = self.columns.col["report"][self.pids]
                self._per_report = np.bincount(report, minlength=reports)
        return self._per_report

    def values(self, name: str, minlength: int = 0) -> np.ndarray:
        """Paragraphs per value of column `name` (int64, indexed by value)."""
        by_report = self._by_report is not None
        col = self._by_report if by_report else self.columns.col
        rows = slice(None) if by_report else self.pids  # per report: every report, weighted
        keys = col[name][rows]
        if not keys.size:
            return np.zeros(minlength, np.int64)
        if not by_report:
            return np.bincount(keys, minlength=minlength)
        return np.bincount(keys, weights=self.per_report(), minlength=minlength).astype(np.int64)

    def year_district(self) -> tuple[np.ndarray, np.ndarray]:
        """The (year * len(district vocabulary) + district) keys with a match in a known
        year, ascending, and the paragraphs of each."""
        nd = len(self.columns.vocab["district"])
        if self._by_report is not None:
            per_report = self.per_report()
            rows = np.flatnonzero(per_report)
            year, district = self._by_report["year"][rows], self._by_report["district"][rows]
            weights = per_report[rows]
        else:
            col = self.columns.col
            year, district = col["year"][self.pids], col["district"][self.pids]
            weights = np.ones(len(self.pids), np.int64)
        known = year != 0
        keys = year[known].astype(np.int64) * nd + district[known]
        unique, inverse = np.unique(keys, return_inverse=True)
        counts = np.bincount(inverse, weights=weights[known], minlength=len(unique))
        return unique, counts.astype(np.int64)

    def topics(self) -> list[int]:
        """Paragraphs per topic (a paragraph counts under each of its topics), TOPIC_IDS order."""
        bits = self.columns.col["topics"][self.pids]
        combos = np.bincount(bits) if bits.size else np.zeros(0, np.int64)
        present = np.flatnonzero(combos)
        has = (present[:, None] >> np.arange(len(TOPIC_IDS))) & 1  # combination × topic
        return (combos[present] @ has).tolist()


class Counted(Tally):
    """A tally whose counts are given, not taken from ids: the sums of a sharded index's
    shards, counted by each shard as `Tally` counts (the same arrays, in the whole index's
    codes), for `Columns.facet_counts`, `timeline` and `tree_of`."""

    def __init__(self, counts: dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]]):
        self.counts = counts

    def values(self, name: str, minlength: int = 0) -> np.ndarray:
        counts = self.counts[name]
        if len(counts) < minlength:
            counts = np.concatenate([counts, np.zeros(minlength - len(counts), np.int64)])
        return counts

    def year_district(self) -> tuple[np.ndarray, np.ndarray]:
        return self.counts["timeline"]

    def topics(self) -> list[int]:
        return [int(c) for c in self.counts["topic"]]


YEAR_MIN, YEAR_MAX = 1900, 2100


def parse_year(value: str, name: str = "year") -> int:
    """A four-digit year within YEAR_MIN–YEAR_MAX (full-width digits fold) → int."""
    v = fold(value).strip()
    if not (len(v) == 4 and v.isascii() and v.isdigit() and YEAR_MIN <= int(v) <= YEAR_MAX):
        raise BadQuery(f"参数 {name} 须为 {YEAR_MIN}–{YEAR_MAX} 之间的四位年份，而不是 {value!r}")
    return int(v)


_SELECTION = SELECTION


class _TreeShape:
    """The place tree of every place code, made once per index: provinces (and national or
    unknown places) → cities → issuing places; each code's path through the nodes (the pairs
    code, node, level: 0–2 for province, city, district, -1 for the unknown place's node) and
    the node its own reports count at."""

    def __init__(self, places: list[tuple[str, str, str]]):
        ids: dict[tuple[int, str, str], int] = {}
        self.fields: list[str] = []
        self.names: list[str] = []
        self.kids: list[list[int]] = []
        self.roots: list[int] = []
        pairs: list[tuple[int, int, int]] = []
        own = []

        def node(parent: int, field: str, name: str) -> int:
            key = (parent, field, name)
            if key not in ids:
                ids[key] = len(self.fields)
                self.fields.append(field)
                self.names.append(name)
                self.kids.append([])
                (self.roots if parent < 0 else self.kids[parent]).append(ids[key])
            return ids[key]

        for code, (province, city, district) in enumerate(places):
            at, at_name = -1, ""
            if not (province or city or district):  # unknown: a node of its own, 地区不详
                at = node(-1, "district", "")
                pairs.append((code, at, -1))
            levels = zip(PLACE_FIELDS, (province, city, district), strict=True)
            for level, (field, name) in enumerate(levels):
                if not name or (at_name == name and field == "district"):
                    continue  # no such level, or the place's own report: counted at the node
                at, at_name = node(at, field, name), name
                pairs.append((code, at, level))
            own.append(at)
        table = np.array(pairs, np.int64).reshape(-1, 3)
        self.pair_code, self.pair_node, self.pair_level = table[:, 0], table[:, 1], table[:, 2]
        self.own_node = np.array(own, np.int64)


def _freeze(ids, shape: _TreeShape, count, own, selected, first) -> tuple[PlaceCount, ...]:
    """The nodes `ids` that hold a match, biggest first, each with its children."""
    kept = sorted((i for i in ids if count[i]), key=lambda i: (-count[i], shape.names[i], first[i]))
    return tuple(
        PlaceCount(
            shape.names[i],
            shape.fields[i],
            count[i],
            own[i],
            selected[i],
            _freeze(shape.kids[i], shape, count, own, selected, first),
        )
        for i in kept
    )


def short_name(name: str) -> str:
    """A place's name without its unit: 河北省 → 河北, 拱墅区 → 拱墅 (at least two characters)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def parse_year_range(value: str) -> tuple[int | None, int | None]:
    """ "2016" → (2016, 2016); "2016-2018" → (2016, 2018); "2016-" and "-2018" are open."""
    v = fold(value).strip().replace("–", "-").replace("~", "-").replace("—", "-")
    if "-" in v:
        a, _, b = v.partition("-")
        lo = parse_year(a, "year") if a.strip() else None
        hi = parse_year(b, "year") if b.strip() else None
    else:
        lo = hi = parse_year(v, "year")
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def year_selected(year: int, chosen: set[int], lo: int | None, hi: int | None) -> bool:
    if year in chosen:
        return True
    if lo is None and hi is None:
        return False
    return year != 0 and (lo is None or year >= lo) and (hi is None or year <= hi)


def resolve_level(value: str) -> str:
    """A level given by key (any case) or by its Chinese label (省级, 省, …) → its key."""
    return resolve_all("level", (value,))[0]


def resolve_topics(values) -> tuple[str, ...]:
    """Topics given by id (any case) or by label → ids."""
    return resolve_all("topic", values)
