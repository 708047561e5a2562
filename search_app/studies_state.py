"""The state of the trends, adoption and reuse pages as read from the URL, and the URLs that
carry it: the shared filters come from `params.parse_search` and `urls.query_args`, the
pages' own parameters (several `q`, `show`, one `level`, `min`, `p`) are parsed here."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import url_for

from search import query as ql
from search.adoption import LEVELS
from search.errors import BadQuery, ReportNotFound
from search.results import SearchQuery
from search.reuse import MIN_CHARS
from search.trends import MAX_PLACES, MAX_TERMS
from search_app import params
from search_app.urls import query_args
from search_app.views import REPORT_ID

SHOWS = {
    "occurrences": "出现次数",
    "paragraphs": "段落数",
    "reports": "报告数",
    "per10k": "每万字次数",
}
LEVEL_NAMES = {"province": "省", "city": "市", "district": "区县"}
MIN_MIN, MAX_MIN = 6, 1000
MAX_PARAGRAPH = 1_000_000


PLACE_SEP = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class TrendsState:
    terms: tuple[str, ...]
    filters: SearchQuery  # q empty
    show: str = "occurrences"
    places: tuple[str, ...] = ()  # one term in each of these places (place=)
    each: str = ""  # one term in every place of this level, as small multiples (each=)

    @property
    def by_place(self) -> bool:
        return bool(self.places or self.each)


@dataclass(frozen=True)
class AdoptionState:
    query: SearchQuery  # q and every filter; levels holds the one level of place, if given
    rollup: bool = False  # a place's reports include those of the places under it


def _filters(args) -> SearchQuery:
    """The shared filters of a request (its `q` and paging are not filters)."""
    query = params.parse_search(args).query
    return replace(query, q="", page=1, per_page=None, sort="relevance")


def parse_terms(args) -> tuple[str, ...]:
    terms = tuple(dict.fromkeys(t.strip() for t in args.getlist("q") if t.strip()))
    if len(terms) > MAX_TERMS:
        raise BadQuery(f"最多比较 {MAX_TERMS} 个检索词")
    for t in terms:
        if len(t) > ql.MAX_LENGTH:
            raise BadQuery(f"查询过长（最多 {ql.MAX_LENGTH} 个字符）")
    return terms


def parse_show(args) -> str:
    show = args.get("show", "").strip() or "occurrences"
    if show not in SHOWS:
        raise BadQuery(f"参数 show 须为 {'、'.join(SHOWS)} 之一")
    return show


def parse_trends(args) -> TrendsState:
    terms = parse_terms(args)
    places = tuple(
        dict.fromkeys(p for v in params._values(args, "place") for p in PLACE_SEP.split(v) if p)
    )
    each = args.get("each", "").strip()
    if each and each not in LEVELS:
        raise BadQuery("参数 each 须为 province、city、district 之一（省、市、区县）")
    if len(places) > MAX_PLACES:
        raise BadQuery(f"最多比较 {MAX_PLACES} 个地区")
    if places and each:
        raise BadQuery("参数 place 与 each 只能给一个")
    if (places or each) and len(terms) > 1:
        raise BadQuery("按地区比较时只能有一个检索词")
    return TrendsState(terms, _filters(args), parse_show(args), places, each)


def parse_adoption(args) -> AdoptionState:
    query = replace(_filters(args), q=params.parse_q(args))
    if query.levels and (len(query.levels) != 1 or query.levels[0] not in LEVELS):
        raise BadQuery("参数 level 须为 province、city、district 之一（省、市、区县）")
    # no level: the one with the most adopters (studies.adoption_table)
    return AdoptionState(query, parse_rollup(args))


def parse_rollup(args) -> bool:
    value = args.get("rollup", "").strip()
    if value not in ("", "0", "1"):
        raise BadQuery("参数 rollup 须为 0 或 1")
    return value == "1"


def parse_min(args) -> int:
    raw = args.get("min", "").strip()
    if not raw:
        return MIN_CHARS
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or not MIN_MIN <= int(raw) <= MAX_MIN:
        raise BadQuery(f"参数 min 须为 {MIN_MIN} 到 {MAX_MIN} 之间的整数（字数）")
    return int(raw)


def parse_reuse(report_id: str, args) -> tuple[int, int | None]:
    """The shared-passages request: the report id checked, then `min` and `p`."""
    if not REPORT_ID.fullmatch(report_id):
        raise ReportNotFound(f"没有编号为 {report_id!r} 的报告")
    return parse_min(args), parse_paragraph(args)


def parse_paragraph(args) -> int | None:
    raw = args.get("p", "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise BadQuery("参数 p 须为段落编号（正整数）")
    if len(raw) > 9 or not 1 <= int(raw) <= MAX_PARAGRAPH:
        raise BadQuery(f"参数 p 须为 1 到 {MAX_PARAGRAPH} 之间的段落编号")
    return int(raw)


# -- URLs ---------------------------------------------------------------------------------


def _url(endpoint: str, args: list[tuple[str, str]], **values) -> str:
    path = url_for(endpoint, **values)
    return f"{path}?{urlencode(args)}" if args else path


def filter_args(filters: SearchQuery) -> list[tuple[str, str]]:
    return query_args(replace(filters, q="", sort="relevance"), paged=False)


def trends_url(state: TrendsState, endpoint: str = "studies.trends", **changes) -> str:
    state = replace(state, **changes)
    args = [("q", t) for t in state.terms] + filter_args(state.filters)
    args += [("place", p) for p in state.places] + ([("each", state.each)] if state.each else [])
    if state.show != "occurrences" and endpoint in ("studies.trends", "studies.trends_svg"):
        args.append(("show", state.show))
    return _url(endpoint, args)


def adoption_url(
    query: SearchQuery, endpoint: str = "studies.adoption", rollup: bool = False, **changes
) -> str:
    query = replace(query, **changes)
    args = [("q", query.q)] if query.q else []
    return _url(endpoint, args + filter_args(query) + ([("rollup", "1")] if rollup else []))


def reuse_url(report_id: str, paragraph: int | None = None, min_chars: int = MIN_CHARS) -> str:
    args = [("p", str(paragraph))] if paragraph else []
    if min_chars != MIN_CHARS:
        args.append(("min", str(min_chars)))
    return _url("studies.reuse", args, report_id=report_id)


def api_reuse_url(report_id: str, paragraph: int | None = None, min_chars: int = MIN_CHARS):
    args = [("p", str(paragraph))] if paragraph else []
    if min_chars != MIN_CHARS:
        args.append(("min", str(min_chars)))
    return _url("studies_api.reuse", args, report_id=report_id)
