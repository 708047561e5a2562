"""The place tree of a search: provinces (and national or unknown places) → cities → issuing
places, each node with the matching paragraphs at and under it.

The tree's shape is the index's place table's, worked out once (`PlaceTree`): each place code
adds its paragraphs to the nodes on its path and to its own node, so a search's tree is a few
sums over its counts per place code, and only the nodes with a match are made.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.place import Place
from search.results import PLACE_FIELDS, PlaceCount

# The columns of a place's path: its province, city and issuing place, then the node of the
# places with none of them (地区不详), which no selection picks.
COLUMNS = (*PLACE_FIELDS, "")


class PlaceTree:
    """The nodes of every place of the place table `places` ((province, city, district) by
    code): node 0 is the root; a node is a province, a city or an issuing place under its
    parents, or the unknown place. A place counts at each node on its path and, as `own`,
    at the last of them (a district named as its city or province is its own report's place:
    counted at that node)."""

    def __init__(self, places: Sequence[tuple[str, str, str]]):
        ids: dict[tuple[int, str, str], int] = {}
        self.field: list[str] = [""]
        self.places: list[Place] = [Place()]
        self.children: list[list[int]] = [[]]
        self.paths = np.full((len(places), len(COLUMNS)), -1, np.int64)
        self.own = np.zeros(len(places), np.int64)

        def node(parent: int, field: str, name: str, province: str, city: str) -> int:
            key = (parent, field, name)
            if key not in ids:
                ids[key] = len(self.field)
                self.children[parent].append(ids[key])
                self.children.append([])
                self.field.append(field)
                self.places.append(Place.of_tree(province, city, name))
            return ids[key]

        for code, (province, city, district) in enumerate(places):
            at, name_at = 0, ""
            if not (province or city or district):
                at = self.paths[code, -1] = node(0, "district", "", "", "")
            for k, (field, name) in enumerate(
                zip(PLACE_FIELDS, (province, city, district), strict=True)
            ):
                if not name or (name_at == name and field == "district"):
                    continue  # no such level, or the place's own report: counted at the node
                at = self.paths[code, k] = node(at, field, name, province, city if k else "")
                name_at = name
            self.own[code] = at
        self.size = len(self.field)

    def tree(self, counts: np.ndarray, chosen: dict[str, set[int]]) -> tuple[PlaceCount, ...]:
        """The tree of the paragraph counts per place code `counts`, a node selected where a
        place with a match is chosen (`chosen`: the codes selected at each level)."""
        counts = np.asarray(counts, np.int64)[: len(self.own)]
        codes = np.arange(len(counts))
        found = counts > 0
        total = np.zeros(self.size, np.int64)
        selected = np.zeros(self.size, bool)
        # the first place with a match under each node: among equals (count and name), nodes
        # come in the order their first match is met, as a walk of the places in code order
        first = np.full(self.size, len(counts), np.int64)
        for k, field in enumerate(COLUMNS):
            at = self.paths[: len(counts), k]
            on = at >= 0
            total += np.bincount(at[on], weights=counts[on], minlength=self.size).astype(np.int64)
            np.minimum.at(first, at[on & found], codes[on & found])
            if chosen.get(field):
                picked = on & found & np.isin(codes, list(chosen[field]))
                selected[at[picked]] = True
        own = np.bincount(self.own[: len(counts)], weights=counts, minlength=self.size)
        shown = (total.tolist(), own.astype(np.int64).tolist(), selected.tolist(), first.tolist())
        return self._frozen(0, *shown)

    def _frozen(
        self, at: int, total: list, own: list, selected: list, first: list
    ) -> tuple[PlaceCount, ...]:
        kids = [c for c in self.children[at] if total[c] > 0]
        kids.sort(key=lambda c: (-total[c], self.places[c].name, first[c]))
        return tuple(
            PlaceCount(
                self.places[c],
                self.field[c],
                total[c],
                own[c],
                selected[c],
                self._frozen(c, total, own, selected, first),
            )
            for c in kids
        )
