"""What a selection may say, read into what the columns hold: years and year ranges, levels
and topics by key or label, place names with or without their unit (河北 = 河北省)."""

from __future__ import annotations

from indexer.fold import fold
from search.errors import BadQuery, quoted
from search.facet_table import resolve_all

# Suffixes a place's name may be given without (河北 → 河北省, 拱墅 → 拱墅区), longest first.
_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "自治旗", "林区", "地区", "新区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip

YEAR_MIN, YEAR_MAX = 1900, 2100
YEAR_REFUSED = f"参数 {{name}} 须为 {YEAR_MIN}–{YEAR_MAX} 之间的四位年份，而不是{{value}}"


def parse_year(value: str, name: str = "year") -> int:
    """A four-digit year within YEAR_MIN–YEAR_MAX (full-width digits fold) → int."""
    v = fold(value).strip()
    if not (len(v) == 4 and v.isascii() and v.isdigit() and YEAR_MIN <= int(v) <= YEAR_MAX):
        raise BadQuery(YEAR_REFUSED.format(name=name, value=quoted(value)))
    return int(v)


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
