"""/trends: several terms compared year by year (occurrences, paragraphs, reports or per 10,000
characters), or one term in each place named (`place=`) or each place of a level (`each=`) as
small multiples; the page, its charts as SVG files and its CSV. The counts come from
`search.trends`; this module turns them into page contexts and CSV rows
(`study_answers.TrendsRow`, and `PlaceTrendsRow` with a place coded in each row's year)."""

from __future__ import annotations

from dataclasses import replace

from flask import render_template, request

from indexer.place import Place
from search.adoption import LEVELS
from search.errors import BadQuery
from search.matching import has_marks
from search.trends import MAX_TERMS, PlaceTrends, Trends, place_trends, trends
from search_app import get_engine as engine
from search_app.charts import line_chart
from search_app.models import SHOWS, TrendsChart
from search_app.serialize import Table
from search_app.studies_common import bp, csv_file, filter_controls, svg_file
from search_app.studies_state import (
    LEVEL_NAMES,
    TrendsState,
    filter_args,
    parse_trends,
    read_trends,
    trends_url,
)
from search_app.study_answers import PlaceTrendsRow, TrendsRow, YearCount
from search_app.urls import search_url


def _value(y, show: str) -> float:
    return y.per10k if show == "per10k" else getattr(y, show)


def trends_context(result: Trends, state: TrendsState) -> dict:
    show = state.show
    series = [(t.q, {y.year: _value(y, show) for y in t.years}) for t in result.terms]
    fmt = (lambda v: f"{v:.3g}") if show == "per10k" else (lambda v: f"{v:,.0f}")
    rows = [
        {
            "year": year,
            "chars": chars,
            "cells": [t.years[i] for t in result.terms],
            "url": search_url(replace(result.filters, years=(year,), year_from=None, year_to=None)),
        }
        for i, (year, chars) in enumerate(zip(result.years, result.chars, strict=True))
    ]
    return {
        **_trends_common(state),
        "result": result,
        "chart": line_chart(series, list(result.years), show != "per10k", fmt),
        "rows": rows,
        "term_urls": [search_url(replace(state.filters, q=t, per_page=20)) for t in state.terms],
    }


def _trends_own(state: TrendsState) -> list[tuple[str, str]]:
    """The trends page's parameters beyond the filters."""
    own = [("q", t) for t in state.terms] + [("place", p) for p in state.places]
    own += [("each", state.each)] if state.each else []
    return own + ([("show", state.show)] if state.show != "occurrences" else [])


def _trends_common(state: TrendsState) -> dict:
    filters = filter_args(state.filters)
    return {
        "state": state,
        "uncounted": [t for t in state.terms if not has_marks(t)],  # no occurrence: -改革
        "shows": [(k, label, trends_url(state, show=k)) for k, label in SHOWS.items()],
        "slots": list(state.terms) + [""] * (MAX_TERMS - len(state.terms)),
        "hidden": filters,
        "filters": filter_controls("studies.trends", _trends_own(state), filters),
        "csv_url": trends_url(state, "studies.trends_csv"),
        "svg_url": trends_url(state, "studies.trends_svg"),
        "json_url": trends_url(state, "studies_api.trends"),
        "modes": [
            ("", "比较检索词", trends_url(state, places=(), each="")),
            *[
                (
                    lv,
                    f"各{LEVEL_NAMES[lv]}",
                    trends_url(state, places=(), each=lv, terms=state.terms[:1]),
                )
                for lv in LEVELS
            ],
        ],
    }


def _in_year(place: Place, year: int) -> Place:
    """The place coded as in `year` (a trends CSV row is one place in one year)."""
    return Place.of(place.name, place.level, place.province, place.city, year)


def _place_label(p) -> str:
    name, city = p.place.name, p.place.city
    return name if not city or city == name else f"{name}（{city}）"


def place_charts(result: PlaceTrends, state: TrendsState) -> list:
    """(label, chart) per chart: one of every place named, or one per place of the level
    (small multiples on a shared scale)."""
    show = state.show
    fmt = (lambda v: f"{v:.3g}") if show == "per10k" else (lambda v: f"{v:,.0f}")
    series = [
        (_place_label(p), {y.year: _value(y, show) for y in p.years if y.chars})
        for p in result.places
    ]
    years, integers = list(result.years), show != "per10k"
    if not state.each:
        return [(result.q, line_chart(series, years, integers, fmt))]
    top = max((v for _, values in series for v in values.values()), default=0.0) or None
    return [(name, line_chart([(name, v)], years, integers, fmt, top)) for name, v in series]


def place_trends_context(result: PlaceTrends, state: TrendsState) -> dict:
    charts = place_charts(result, state)
    return {
        **_trends_common(state),
        "places": result,
        "charts": [
            {
                "label": label,
                "chart": chart,
                "place": p,
                "svg_url": trends_url(state, "studies.trends_svg") + f"&chart={i}",
                "url": search_url(replace(_place_filters(state, p), q=result.q, per_page=20)),
            }
            for i, ((label, chart), p) in enumerate(zip(charts, result.places, strict=True))
        ]
        if state.each
        else [],
        "chart": charts[0][1] if charts and not state.each else None,
        "place_urls": [
            search_url(replace(_place_filters(state, p), q=result.q, per_page=20))
            for p in result.places
        ],
        "labels": [_place_label(p) for p in result.places],
    }


def _place_filters(state: TrendsState, p):
    """The filters of one place's own reports (its city too: 鼓楼区 is in 南京 and 福州)."""
    name, city = p.place.name, p.place.city
    cities = (city,) if city and city != name else state.filters.cities
    return replace(state.filters, districts=(name,), cities=cities)


def place_result(state: TrendsState) -> PlaceTrends:
    if len(state.terms) != 1:
        raise BadQuery("按地区比较需要一个检索词")
    return place_trends(engine(), state.terms[0], state.filters, state.places, state.each)


@bp.get("/trends", endpoint="trends")
def trends_page():
    state = parse_trends(request.args)
    if state.by_place and state.terms:
        context = place_trends_context(place_result(state), state)
        return render_template("trends.html", **context)
    result = trends(engine(), state.terms, state.filters)
    return render_template("trends.html", **trends_context(result, state))


@bp.get("/trends.svg", endpoint="trends_svg")
def trends_svg():
    """The page's chart as a standalone SVG file (`chart=i`: the i-th small multiple)."""
    chart_request, state = read_trends(request.args, TrendsChart)
    if state.by_place:
        charts = place_charts(place_result(state), state)
    else:
        result = trends(engine(), state.terms, state.filters)
        charts = [("、".join(state.terms), trends_context(result, state)["chart"])]
    index = chart_request.chart
    if not 0 <= index < max(1, len(charts)):
        raise BadQuery(f"参数 chart 须在 0 到 {max(1, len(charts)) - 1} 之间（图的序号）")
    charts = charts or [("", None)]
    label, chart = charts[index]
    return svg_file(chart, f"{label}：逐年{SHOWS[state.show]}", "baogao-trends.svg")


ROWS = Table(TrendsRow)
PLACE_ROWS = Table(PlaceTrendsRow)


@bp.get("/trends.csv")
def trends_csv():
    state = parse_trends(request.args)
    if state.by_place:
        result = place_result(state)
        rows = [
            PlaceTrendsRow(term=result.q, place=_in_year(p.place, y.year), **_counts(y))
            for p in result.places
            for y in p.years
        ]
        return csv_file(PLACE_ROWS, rows, "baogao-trends.csv")
    result = trends(engine(), state.terms, state.filters)
    rows = [TrendsRow(term=t.q, **_counts(y)) for t in result.terms for y in t.years]
    return csv_file(ROWS, rows, "baogao-trends.csv")


def _counts(y) -> dict:
    """A year's counts (the fields of a `YearCount`), as the fields of a row."""
    return {name: getattr(y, name) for name in YearCount.model_fields}
