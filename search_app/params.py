"""Reading a request: each family's model (`search_app.models`) reads the query string once,
and these turn it into the states the pages and the engine take. A bad value raises `BadQuery`
with a message fit to show the user."""

from __future__ import annotations

from dataclasses import dataclass

from search import collocations as coll
from search import concordance as kwic
from search.results import SearchQuery
from search_app import models
from search_app.fields import MAX_VALUE_CHARS, MAX_VALUES, from_args
from search_app.models import (
    DEFAULT_PER_PAGE,
    MAX_PAGE_API,
    MAX_PAGE_HTML,
    MAX_PER_PAGE,
    PER_CHOICES,
)

__all__ = [
    "DEFAULT_PER_PAGE", "MAX_PAGE_API", "MAX_PAGE_HTML", "MAX_PER_PAGE", "MAX_VALUES",
    "MAX_VALUE_CHARS", "PER_CHOICES",
]  # fmt: skip

PAGED = ("page", "per_page")


def read(model: type[models.Search], args, max_page: int = MAX_PAGE_HTML, paged: bool = True):
    """The request's model; an export (`paged=False`) ignores page and per_page, a page of
    the site ends at `max_page`."""
    return from_args(models.paged_to(model, max_page), args, drop=() if paged else PAGED)


@dataclass(frozen=True)
class SearchState:
    """Everything a search page shows, as read from the URL."""

    query: SearchQuery
    per: str = ""


def parse_search(args, max_page: int = MAX_PAGE_HTML, paged: bool = True) -> SearchState:
    """The whole search state of a request, each parameter through its own parser; an export
    (`paged=False`) takes every hit and ignores page and per_page."""
    state = read(models.Search, args, max_page, paged)
    return SearchState(query=state.search(paged), per=state.per)


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


def parse_concordance(args, max_page: int = MAX_PAGE_HTML, paged: bool = True) -> ConcordanceState:
    """The search state of the request plus the concordance's order, context and span; what
    does not page (an export, the collocations: `paged=False`) ignores page and per_page."""
    state = read(models.Concordance, args, max_page, paged)
    return ConcordanceState(
        query=state.search(paged),
        per=state.per,
        order=state.order,
        context=state.context,
        span=state.span,
        collocations=state.collocations,
        steering=state.steering(),
    )
