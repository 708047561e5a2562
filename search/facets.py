"""Facets over the matching paragraphs: a count per value of each facet (a facet ignoring its
own selection), the place tree and the timeline, for `search.filters.Columns`."""

from __future__ import annotations

import numpy as np

from indexer.models import TOPIC_IDS
from search.facet_table import SELECTION
from search.place_tree import PlaceTree
from search.results import FACETS, PLACE_FIELDS, FacetCount, PlaceCount, SearchQuery
from search.selection import resolve_level, resolve_topics, year_selected
from search.tally import Tally

_FACET_MASK = {"district": "place"}  # the district facet is the place tree's last level
# Columns that hold one value per report: a facet over them is a count per report, weighted
_REPORT_LEVEL = ("district", "place", "type", "level", "year")


class FacetCounts:
    """The counting half of `Columns` (its columns `col`, vocabularies `vocab` and `places`,
    and `place_codes`): facets, the place tree and the timeline of a set of matches."""

    _by_report: dict[str, np.ndarray] | None
    _place_tree: PlaceTree | None

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
        if self._place_tree is None:
            self._place_tree = PlaceTree(self.places)
        chosen = {f: set(self.place_codes(f, getattr(query, SELECTION[f]))) for f in PLACE_FIELDS}
        return self._place_tree.tree(counts, chosen)

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
