"""The place tree of a search while it is counted: provinces (and national or unknown places)
→ cities → issuing places, each node with the matching paragraphs at and under it."""

from __future__ import annotations

from indexer.place import Place
from search.results import PlaceCount


class Node:
    """A place tree node while counting."""

    def __init__(self, field: str, name: str):
        self.field, self.name = field, name
        self.count = self.own = 0
        self.selected = False
        self.kids: dict[tuple[str, str], Node] = {}

    def child(self, field: str, name: str) -> Node:
        key = (field, name)
        if key not in self.kids:
            self.kids[key] = Node(field, name)
        return self.kids[key]

    def freeze(self, province: str = "", city: str = "") -> PlaceCount:
        province = self.name if self.field == "province" else province
        city = self.name if self.field == "city" else city
        kids = sorted(self.kids.values(), key=lambda k: (-k.count, k.name))
        return PlaceCount(
            Place.of_tree(province, city, self.name),
            self.field,
            self.count,
            self.own,
            self.selected,
            tuple(k.freeze(province, city) for k in kids),
        )
