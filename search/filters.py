"""Filters and facets over per-paragraph columns: a selection becomes a boolean mask, and a
facet is a count per value over the matching paragraphs (numpy throughout)."""

from __future__ import annotations

import numpy as np

from indexer.fold import fold
from indexer.models import LEVEL_LABELS, TOPIC_IDS, TOPIC_LABELS
from search.errors import BadQuery
from search.results import FACETS, FacetCount, SearchQuery


class Columns:
    """The index's per-paragraph columns (`columns.npz`) and the vocabularies of coded ones."""

    def __init__(self, col: dict[str, np.ndarray], vocab: dict[str, list[str]], n: int):
        self.col, self.vocab, self.n = col, vocab, n

    # -- masks ------------------------------------------------------------------------------

    def values_mask(self, column: str, selected: tuple[str, ...]) -> np.ndarray:
        index = {v: i for i, v in enumerate(self.vocab[column])}
        codes = [index[v] for v in selected if v in index]
        return np.isin(self.col[column], codes)

    def year_mask(self, years: tuple[int, ...], lo: int | None, hi: int | None) -> np.ndarray:
        year = self.col["year"]
        mask = np.isin(year, years) if years else np.ones(self.n, bool)
        if lo is not None:
            mask &= year >= lo
        if hi is not None:
            mask &= year <= hi
        return mask

    def topic_mask(self, topics: tuple[str, ...]) -> np.ndarray:
        bits = sum(1 << TOPIC_IDS.index(t) for t in topics if t in TOPIC_IDS)
        return (self.col["topics"] & np.uint32(bits)) != 0

    def field_mask(self, name: str, value: str) -> np.ndarray:
        """A `field:value` filter typed in the query."""
        value = value.strip()
        if name == "year":
            lo, hi = parse_year_range(value)
            return self.year_mask((), lo, hi)
        if name == "topic":
            return self.topic_mask(resolve_topics([value]))
        if name not in ("district", "type", "level"):
            raise BadQuery(f"unknown field {name}: use {', '.join(FACETS[:-1])} or {FACETS[-1]}")
        values = self.vocab[name]
        if name == "level":
            value = resolve_level(value)
        folded = fold(value)
        codes = [i for i, v in enumerate(values) if v and fold(v) == folded]
        if not codes:  # a prefix such as district:拱墅 or type:党代会
            codes = [i for i, v in enumerate(values) if v and folded and folded in fold(v)]
        return np.isin(self.col[name], codes)

    def selection_masks(self, query: SearchQuery) -> dict[str, np.ndarray]:
        """One mask per facet with a selection; facets without one are absent."""
        masks = {}
        if query.districts:
            masks["district"] = self.values_mask("district", query.districts)
        if query.years or query.year_from is not None or query.year_to is not None:
            masks["year"] = self.year_mask(query.years, query.year_from, query.year_to)
        if query.types:
            masks["type"] = self.values_mask("type", query.types)
        if query.levels:
            masks["level"] = self.values_mask("level", tuple(map(resolve_level, query.levels)))
        if query.topics:
            masks["topic"] = self.topic_mask(resolve_topics(query.topics))
        return masks

    # -- facets -------------------------------------------------------------------------------

    def facets(
        self,
        query: SearchQuery,
        base: np.ndarray,
        matches: np.ndarray,
        masks: dict[str, np.ndarray],
    ) -> dict[str, tuple[FacetCount, ...]]:
        """Counts per value over all matches; a facet ignores its own selection (so other
        values can be added to it) and honours the others. `matches` are the ids of `base`
        under every selection, the common case's answer for every facet."""
        out = {}
        for name in FACETS:
            others = [m for other, m in masks.items() if other != name]
            if len(others) == len(masks):
                pids = matches
            else:
                mask = base.copy()
                for m in others:
                    mask &= m
                pids = np.flatnonzero(mask)
            out[name] = self.facet_counts(name, pids, query)
        return out

    def facet_counts(self, name: str, pids: np.ndarray, query: SearchQuery):
        if name == "topic":
            selected = set(resolve_topics(query.topics))
            bits = self.col["topics"][pids]
            counts = [
                (t, int(np.count_nonzero(bits & np.uint32(1 << i))))
                for i, t in enumerate(TOPIC_IDS)
            ]
            items = [FacetCount(t, c, t in selected) for t, c in counts if c or t in selected]
            return tuple(sorted(items, key=lambda f: -f.count))
        if name == "year":
            values, counts = np.unique(self.col["year"][pids], return_counts=True)
            chosen, lo, hi = set(query.years), query.year_from, query.year_to
            items = [
                FacetCount(str(int(v)) if v else "", int(c), year_selected(int(v), chosen, lo, hi))
                for v, c in zip(values, counts, strict=True)
            ]
            return tuple(sorted(items, key=lambda f: f.value or "0000", reverse=True))
        selected = {
            "district": query.districts,
            "type": query.types,
            "level": tuple(map(resolve_level, query.levels)),
        }[name]
        counts = np.bincount(self.col[name][pids], minlength=len(self.vocab[name]))
        items = [
            FacetCount(v, int(c), v in selected)
            for v, c in zip(self.vocab[name], counts, strict=True)
            if c or v in selected
        ]
        return tuple(sorted(items, key=lambda f: (-f.count, f.value)))

    def timeline(self, pids: np.ndarray) -> tuple[tuple[int, str, int], ...]:
        """(year, district, paragraphs) for every pair with a match; unknown years left out."""
        nd = len(self.vocab["district"])
        keys = self.col["year"][pids].astype(np.int64) * nd + self.col["district"][pids]
        counts = np.bincount(keys) if keys.size else np.zeros(0, np.int64)
        return tuple(
            (int(k // nd), self.vocab["district"][int(k % nd)], int(counts[k]))
            for k in np.flatnonzero(counts)
            if k // nd
        )


YEAR_MIN, YEAR_MAX = 1900, 2100


def parse_year(value: str, name: str = "year") -> int:
    """A four-digit year within YEAR_MIN–YEAR_MAX (full-width digits fold) → int."""
    v = fold(value).strip()
    if not (len(v) == 4 and v.isascii() and v.isdigit() and YEAR_MIN <= int(v) <= YEAR_MAX):
        raise BadQuery(f"参数 {name} 须为 {YEAR_MIN}–{YEAR_MAX} 之间的四位年份，而不是 {value!r}")
    return int(v)


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
    """A level given by key or by its Chinese label (省级, 省, …) → its key."""
    by_label = {label: key for key, label in LEVEL_LABELS.items()}
    by_label.update({"国家": "national", "省": "province", "市": "city", "区": "district"})
    return by_label.get(value, value)


def resolve_topics(values) -> tuple[str, ...]:
    """Topics given by id or by label → ids."""
    by_label = {label: key for key, label in TOPIC_LABELS.items()}
    return tuple(by_label.get(v, v) for v in values)
