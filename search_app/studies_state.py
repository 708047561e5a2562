"""The state of the trends, adoption and reuse pages as read from the URL, and the URLs that
carry it: the shared filters come from `params.parse_search` and `urls.query_args`, the
pages' own parameters (several `q`, `show`, one `level`, `min`, `p`) by their models."""

from __future__ import annotations

from dataclasses import dataclass, replace

from search.errors import no_report
from search.facet_table import LEVEL_NAMES as LEVEL_NAMES  # a level of places: 省, 市, 区县
from search.results import SearchQuery
from search.reuse import MIN_CHARS
from search_app import models
from search_app.fields import from_args
from search_app.urls import query_args
from search_app.urls import url as _url
from search_app.views import REPORT_ID


@dataclass(frozen=True)
class TrendsState:
    terms: tuple[str, ...]
    filters: SearchQuery  # q empty; its mode is every term's
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


def read_trends(args, model: type[models.Trends] = models.Trends):
    """The trends request (`models.TrendsChart` for the chart file) and its state."""
    request = from_args(model, args)
    filters = request.query(mode=request.mode, per_page=None)  # each term matched as searched
    return request, TrendsState(request.q, filters, request.show, request.places, request.each)


def parse_trends(args) -> TrendsState:
    return read_trends(args)[1]


def read_adoption(args, model: type[models.Adoption] = models.Adoption):
    request = from_args(model, args)
    query = request.query(q=request.q, mode=request.mode, per_page=None)
    # no level: the one with the most adopters (adoption.adoption_table)
    return request, AdoptionState(query, request.rollup == "1")


def parse_adoption(args) -> AdoptionState:
    return read_adoption(args)[1]


def parse_reuse(report_id: str, args) -> tuple[int, int | None]:
    """The shared-passages request: the report id checked, then `min` and `p`."""
    if not REPORT_ID.fullmatch(report_id):
        raise no_report(report_id)
    request = from_args(models.Reuse, args)
    return request.min, request.p


# -- URLs ---------------------------------------------------------------------------------


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
