"""The place tree of a search: provinces (and national or unknown places) → cities → issuing
places, each node with the matching paragraphs at and under it, counted by numpy over a
shape made once per index."""

from __future__ import annotations

import numpy as np

from search.results import PLACE_FIELDS, PlaceCount


class TreeShape:
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


def freeze(ids, shape: TreeShape, count, own, selected, first) -> tuple[PlaceCount, ...]:
    """The nodes `ids` that hold a match, biggest first, each with its children."""
    kept = sorted((i for i in ids if count[i]), key=lambda i: (-count[i], shape.names[i], first[i]))
    return tuple(
        PlaceCount(
            shape.names[i],
            shape.fields[i],
            count[i],
            own[i],
            selected[i],
            freeze(shape.kids[i], shape, count, own, selected, first),
        )
        for i in kept
    )
