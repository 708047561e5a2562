"""One parser per request parameter: each reads `request.args`, returns a clean value and
raises `BadQuery` with a message fit to show the user."""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from indexer.fold import fold
from indexer.models import LEVEL_LABELS, TOPIC_LABELS
from search import collocations as coll
from search import concordance as kwic
from search import query as ql
from search.errors import BadQuery
from search.filters import parse_year
from search.results import MODES, SORTS, SearchQuery

Args = MultiDict[str, str]

MAX_VALUES = 50  # values per facet parameter
MAX_VALUE_CHARS = 100
MAX_PAGE_HTML = 500
MAX_PAGE_API = 1000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
PER_CHOICES = ("", "10k")


def parse_q(args: Args) -> str:
    q = args.get("q", "")
    if len(q) > ql.MAX_LENGTH:
        raise BadQuery(f"查询过长（最多 {ql.MAX_LENGTH} 个字符）")
    return q.strip()


def _values(args: Args, name: str) -> tuple[str, ...]:
    """The distinct non-empty values of a repeatable parameter, in order."""
    values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
    if len(values) > MAX_VALUES:
        raise BadQuery(f"参数 {name} 的取值过多（最多 {MAX_VALUES} 个）")
    for v in values:
        if len(v) > MAX_VALUE_CHARS:
            raise BadQuery(f"参数 {name} 的取值过长（最多 {MAX_VALUE_CHARS} 个字符）")
    return values


def parse_provinces(args: Args) -> tuple[str, ...]:
    return _values(args, "province")


def parse_cities(args: Args) -> tuple[str, ...]:
    return _values(args, "city")


def parse_districts(args: Args) -> tuple[str, ...]:
    return _values(args, "district")


def parse_types(args: Args) -> tuple[str, ...]:
    return _values(args, "type")


def parse_years(args: Args) -> tuple[int, ...]:
    return tuple(sorted({parse_year(v, "year") for v in _values(args, "year")}))


def parse_year_bound(args: Args, name: str) -> int | None:
    """`year_from` or `year_to`: a year, or None when absent or empty."""
    value = args.get(name, "").strip()
    return parse_year(value, name) if value else None


def _choices(args: Args, name: str, known: dict[str, str]) -> tuple[str, ...]:
    """Values of a fixed vocabulary, given as ids (any case) or labels, returned as ids."""
    by_label = {fold(label): key for key, label in known.items()} | {k: k for k in known}
    out = []
    for v in _values(args, name):
        key = by_label.get(fold(v))
        if key is None:
            raise BadQuery(f"参数 {name} 的取值 {v!r} 未知，可选：{'、'.join(known)}")
        out.append(key)
    return tuple(dict.fromkeys(out))


def parse_levels(args: Args) -> tuple[str, ...]:
    return _choices(args, "level", LEVEL_LABELS)


def parse_topics(args: Args) -> tuple[str, ...]:
    return _choices(args, "topic", TOPIC_LABELS)


def _one_of(args: Args, name: str, choices: tuple[str, ...]) -> str:
    value = args.get(name, "").strip() or choices[0]
    if value not in choices:
        raise BadQuery(f"参数 {name} 须为 {'、'.join(c or '（空）' for c in choices)} 之一")
    return value


def parse_sort(args: Args) -> str:
    return _one_of(args, "sort", SORTS)


def parse_mode(args: Args) -> str:
    return _one_of(args, "mode", MODES)


def parse_per(args: Args) -> str:
    """The timeline's scale: "" (matching paragraphs) or "10k" (per 10,000 characters)."""
    return _one_of(args, "per", PER_CHOICES)


def _positive_int(args: Args, name: str, default: int, maximum: int, hint: str = "") -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadQuery(f"参数 {name} 须为正整数，而不是 {raw[:20]!r}")
    digits = raw.lstrip("0")
    value = int(digits or "0") if len(digits) <= 9 else maximum + 1  # 10**30 is past the last
    if not 1 <= value <= maximum:
        raise BadQuery(f"参数 {name} 须在 1 到 {maximum} 之间{hint}")
    return value


def parse_page(args: Args, maximum: int = MAX_PAGE_HTML) -> int:
    return _positive_int(args, "page", 1, maximum, "；如需全部结果，请下载 CSV")


def parse_per_page(args: Args) -> int:
    return _positive_int(args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)


@dataclass(frozen=True)
class SearchState:
    """Everything a search page shows, as read from the URL."""

    query: SearchQuery
    per: str = ""


def parse_search(args: Args, max_page: int = MAX_PAGE_HTML, paged: bool = True) -> SearchState:
    """The whole search state of a request, each parameter through its own parser; an export
    (`paged=False`) takes every hit and ignores page and per_page."""
    year_from = parse_year_bound(args, "year_from")
    year_to = parse_year_bound(args, "year_to")
    if year_from is not None and year_to is not None and year_from > year_to:
        year_from, year_to = year_to, year_from
    query = SearchQuery(
        q=parse_q(args),
        provinces=parse_provinces(args),
        cities=parse_cities(args),
        districts=parse_districts(args),
        years=parse_years(args),
        year_from=year_from,
        year_to=year_to,
        types=parse_types(args),
        levels=parse_levels(args),
        topics=parse_topics(args),
        sort=parse_sort(args),
        mode=parse_mode(args),
        page=parse_page(args, max_page) if paged else 1,
        per_page=parse_per_page(args) if paged else None,
    )
    return SearchState(query=query, per=parse_per(args))


ORDER_LABELS = {
    "text": "原文顺序",
    "left": "按左侧",
    "right": "按右侧",
    "year": "按年份",
    "place": "按地区",
}


@dataclass(frozen=True)
class ConcordanceState:
    """A concordance page: the search's whole state plus its own (defaults left out of URLs)."""

    query: SearchQuery
    per: str = ""
    order: str = kwic.ORDERS[0]
    context: int = kwic.DEFAULT_CONTEXT
    span: int = coll.DEFAULT_SPAN
    collocations: bool = False
    steering: coll.Steering = coll.Steering()  # min_freq, stop, stop_default, pos

    def own_args(self, **changes) -> list[tuple[str, str]]:
        """The concordance's parameters beyond the search's, after `changes`."""
        values = {"order": self.order, "context": self.context, "span": self.span}
        values["coll"] = self.collocations
        values["steering"] = self.steering
        values.update(changes)
        args = []
        if values["order"] != kwic.ORDERS[0]:
            args.append(("order", values["order"]))
        if values["context"] != kwic.DEFAULT_CONTEXT:
            args.append(("context", str(values["context"])))
        if values["span"] != coll.DEFAULT_SPAN:
            args.append(("span", str(values["span"])))
        if values["coll"]:
            args.append(("coll", "1"))
        return args + steering_args(values["steering"])


def steering_args(steering: coll.Steering) -> list[tuple[str, str]]:
    """The collocations' own parameters, defaults left out."""
    args = []
    if steering.min_freq != coll.MIN_NEAR:
        args.append(("min_freq", str(steering.min_freq)))
    if steering.stop:
        args.append(("stop", " ".join(sorted(steering.stop))))
    if not steering.stop_default:
        args.append(("stop_default", "0"))
    args.extend(("pos", tag) for tag in steering.pos)
    return args


STOP_SEPARATORS = re.compile(r"[\s,，、;；]+")


def parse_steering(args: Args) -> coll.Steering:
    """min_freq, stop (words apart by spaces, commas or 、; repeatable), stop_default (0: the
    built-in function words are kept), pos (repeatable; jieba's tags)."""
    stop = frozenset(fold(w) for v in _values(args, "stop") for w in STOP_SEPARATORS.split(v) if w)
    default = args.get("stop_default", "").strip()
    if default not in ("", "0", "1"):
        raise BadQuery("参数 stop_default 须为 0 或 1")
    pos = _values(args, "pos")
    for tag in pos:
        if tag not in coll.POS_TAGS:
            raise BadQuery(f"参数 pos 须为 jieba 词性标记之一（如 n、v、a），不是 {tag[:20]!r}")
    return coll.Steering(
        min_freq=_bounded_int(args, "min_freq", coll.MIN_NEAR, 1, coll.MAX_MIN_FREQ),
        stop=stop,
        stop_default=default != "0",
        pos=pos,
    )


def parse_order(args: Args) -> str:
    return _one_of(args, "order", kwic.ORDERS)


def _bounded_int(args: Args, name: str, default: int, lo: int, hi: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or not lo <= int(raw) <= hi:
        raise BadQuery(f"参数 {name} 须为 {lo} 到 {hi} 之间的整数")
    return int(raw)


def parse_context(args: Args) -> int:
    return _bounded_int(args, "context", kwic.DEFAULT_CONTEXT, 0, kwic.MAX_CONTEXT)


def parse_span(args: Args) -> int:
    return _bounded_int(args, "span", coll.DEFAULT_SPAN, 1, coll.MAX_SPAN)


def parse_concordance(args: Args, max_page: int = MAX_PAGE_HTML) -> ConcordanceState:
    """The search state of the request plus the concordance's order, context and span."""
    state = parse_search(args, max_page)
    return ConcordanceState(
        query=state.query,
        per=state.per,
        order=parse_order(args),
        context=parse_context(args),
        span=parse_span(args),
        collocations=args.get("coll", "") not in ("", "0"),
        steering=parse_steering(args),
    )
