"""The pages for policy diffusion research, one module each: /trends (`trends.py`: terms
compared over time), /adoption (`adoption.py`: who said it first, the adoption curve; the
event-history panel in `panel.py`) and /reports/<id>/reuse (`reuse.py`: the same words in
other reports), with their CSV exports, on one blueprint (`studies_common.bp`). This module
registers them and gives the templates their links to these pages."""

from __future__ import annotations

from dataclasses import replace

from search.adoption import LEVELS
from search_app import adoption as _adoption  # noqa: F401  (registers its routes)
from search_app import reuse as _reuse  # noqa: F401
from search_app import trends as _trends  # noqa: F401
from search_app.studies_common import bp
from search_app.studies_state import (
    TrendsState,
    adoption_url,
    reuse_url,
    trends_url,
)

__all__ = ["adoption_link", "bp", "template_globals", "trends_link"]


def template_globals() -> dict:
    return {"reuse_url": reuse_url, "trends_link": trends_link, "adoption_link": adoption_link}


def trends_link(query) -> str:
    """The trends of a search's query string under its filters."""
    return trends_url(TrendsState((query.q,) if query.q else (), replace(query, q="")))


def adoption_link(query) -> str:
    """Who first mentioned a search's query string, under its filters (one level of place:
    the search's own when it selects one, else provinces)."""
    levels = query.levels if len(query.levels) == 1 and query.levels[0] in LEVELS else ()
    return adoption_url(replace(query, levels=levels or ("province",)))
