"""The one URL builder: search pages, facet toggles, paging, exports and permalinks all come
from here, so the whole search state lives in the URL and a copied URL reproduces the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import quote_plus

from flask import g, url_for

from search.facet_table import SELECTION
from search.results import MODES, SORTS, SearchQuery
from search_app.params import DEFAULT_PER_PAGE

FACET_FIELDS = SELECTION  # URL parameter → SearchQuery field, from the facet table


def query_args(query: SearchQuery, per: str = "", *, paged: bool = True) -> list[tuple[str, str]]:
    """The URL parameters of a search, in a fixed order, defaults left out."""
    args: list[tuple[str, str]] = []
    if query.q:
        args.append(("q", query.q))
    for name, field in FACET_FIELDS.items():
        args.extend((name, str(v)) for v in getattr(query, field))
    if query.year_from is not None:
        args.append(("year_from", str(query.year_from)))
    if query.year_to is not None:
        args.append(("year_to", str(query.year_to)))
    if query.sort != SORTS[0]:
        args.append(("sort", query.sort))
    if query.mode != MODES[0]:
        args.append(("mode", query.mode))
    if per:
        args.append(("per", per))
    if paged and query.page > 1:
        args.append(("page", str(query.page)))
    if paged and query.per_page not in (None, DEFAULT_PER_PAGE):
        args.append(("per_page", str(query.per_page)))
    return args


def url(endpoint: str, args: list[tuple[str, str]] = (), **values) -> str:
    """The URL of `endpoint` (its path `values`) with the query string `args`: every link of
    the site and the API is made here."""
    path = url_for(endpoint, **values) if values else _endpoint_path(endpoint)
    return _with_args(path, list(args))


_PLAIN_ID = re.compile(r"[a-z0-9-]+")  # a report id that no URL quoting changes


def _report_path(report_id: str, external: bool = False) -> str:
    """`url_for("views.report", report_id=...)`: the route's prefix built once per request
    (a results page links each of its hits), the id appended when quoting leaves it as it is."""
    if not _PLAIN_ID.fullmatch(report_id):
        return url_for("views.report", report_id=report_id, _external=external)
    key = f"_report_prefix_{external}"
    prefix = g.get(key)
    if prefix is None:
        prefix = url_for("views.report", report_id="x", _external=external)[:-1]
        setattr(g, key, prefix)
    return prefix + report_id


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    return quote_plus(value, "")  # as urlencode quotes each name and value


def _with_args(path: str, args: list[tuple[str, str]]) -> str:
    """`path?` and `urlencode(args)` (a page links the same names and values many times)."""
    if not args:
        return path
    return path + "?" + "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in args)


def _endpoint_path(endpoint: str) -> str:
    """`url_for(endpoint)`, built once per request."""
    paths = g.get("_endpoint_paths")
    if paths is None:
        paths = g._endpoint_paths = {}
    if endpoint not in paths:
        paths[endpoint] = url_for(endpoint)
    return paths[endpoint]


@dataclass(frozen=True)
class Target:
    """Where facet toggles, paging and forms lead: the search page, or a page that shows the
    same sidebar for the same search with its own parameters (the concordance)."""

    endpoint: str = "views.search"
    own: tuple[tuple[str, str], ...] = ()


SEARCH = Target()


def search_url(query: SearchQuery, per: str = "", target: Target = SEARCH, **changes) -> str:
    """The search page (or `target`) for `query` with `changes` applied; any change but paging
    resets page."""
    if changes and "page" not in changes:
        changes["page"] = 1
    query = replace(query, **changes)
    target = target or SEARCH
    return _with_args(_endpoint_path(target.endpoint), query_args(query, per) + list(target.own))


def results_url(query: SearchQuery, per: str = "") -> str:
    """The search results page itself (whatever page is showing), page 1."""
    return _with_args(url_for("views.search"), query_args(replace(query, page=1), per))


def concordance_url(query: SearchQuery, per: str = "", own=(), **changes) -> str:
    """The concordance of `query` (its own parameters `own`); any change but paging resets
    page."""
    if "page" not in changes:
        changes["page"] = 1
    query = replace(query, **changes)
    return _with_args(url_for("concordance.page"), query_args(query, per) + list(own))


def form_action(target: Target = SEARCH) -> str:
    return url_for((target or SEARCH).endpoint)


def page_url(query: SearchQuery, page: int, per: str = "", target: Target = SEARCH) -> str:
    return search_url(query, per, target, page=page)


def toggle_url(
    query: SearchQuery, facet: str, value: str, per: str = "", target: Target = SEARCH
) -> str:
    """The search with `value` added to or removed from `facet` (OR within a facet)."""
    if facet == "year":
        return search_url(query, per, target, **_toggle_year(query, int(value)))
    field = FACET_FIELDS[facet]
    current = getattr(query, field)
    new = tuple(v for v in current if v != value) if value in current else (*current, value)
    return search_url(query, per, target, **{field: new})


def _toggle_year(query: SearchQuery, year: int) -> dict:
    """A year inside an active range narrows to that year; otherwise the year is toggled."""
    if query.year_from is not None or query.year_to is not None:
        return {"years": (year,), "year_from": None, "year_to": None}
    years = query.years
    new = tuple(y for y in years if y != year) if year in years else tuple(sorted((*years, year)))
    return {"years": new}


def year_url(query: SearchQuery, year: int, per: str = "", target: Target = SEARCH) -> str:
    """The search narrowed to one year (a timeline bar)."""
    return search_url(query, per, target, years=(year,), year_from=None, year_to=None)


def clear_facet_url(query: SearchQuery, facet: str, per: str = "", target: Target = SEARCH) -> str:
    """The search without facet `facet`'s selection (the place facet: all three levels)."""
    names = ("province", "city", "district") if facet == "place" else (facet,)
    changes: dict = {FACET_FIELDS[name]: () for name in names}
    if facet == "year":
        changes.update(year_from=None, year_to=None)
    return search_url(query, per, target, **changes)


def export_url(query: SearchQuery, endpoint: str, **values) -> str:
    """The CSV (`views.search_csv`), citations or JSON (`api.search`) of the same search."""
    paged = endpoint == "api.search"
    return _with_args(url_for(endpoint, **values), query_args(query, paged=paged))


def report_url(
    report_id: str,
    q: str = "",
    paragraph: int | None = None,
    mode: str = MODES[0],
    external: bool = False,
) -> str:
    """The permalink of a report, or of one paragraph (`#p<n>`), with the query marked."""
    args = [("q", q)] if q else []
    if q and mode != MODES[0]:
        args.append(("mode", mode))
    url = _with_args(_report_path(report_id, external), args)
    return f"{url}#p{paragraph}" if paragraph is not None else url


def reader_url(
    report_id: str, query: SearchQuery, paragraph: int | None = None, per: str = ""
) -> str:
    """A report opened from a results page: its marks, and the whole search state, so the
    reader's way back restores the page (filters, sort, page) the reader came from."""
    url = _with_args(_report_path(report_id), query_args(query, per))
    return f"{url}#p{paragraph}" if paragraph is not None else url


def hidden_args(
    query: SearchQuery, per: str = "", drop: tuple[str, ...] = (), target: Target = SEARCH
) -> list:
    """The state a form must carry along (as hidden inputs), minus the names it sets itself."""
    args = query_args(query, per, paged=False) + list((target or SEARCH).own)
    return [(k, v) for k, v in args if k not in drop]
