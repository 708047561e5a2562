"""GB/T 2260 codes of the places reports name, at a given year: `indexer.places.place_code`
(which `indexer.places.Place` uses), and the province's code a panel row also carries."""

from __future__ import annotations

from indexer.place import place_code

__all__ = ["place_code", "province_code"]


def province_code(province: str, year: int | None) -> str:
    return place_code(province, "province", province, "", year)
