"""The pages for policy diffusion research: /trends (terms compared over time), /adoption (who
said it first, the adoption curve, the event-history panel) and /reports/<id>/reuse (the same
words in other reports), with their CSV exports. The answers come from search/ (trends,
adoption, reuse); this module turns them into page contexts and CSV rows."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, render_template, request

from search.adoption import LEVELS, Adoption, adoption
from search.errors import BadQuery, ReportNotFound
from search.facet_table import FACETS as FACET_TABLE
from search.placecodes import place_code
from search.results import SearchQuery
from search.reuse import paragraph_reuse, report_reuse
from search.trends import MAX_TERMS, PlaceTrends, Trends, place_trends, trends
from search_app import get_engine as engine
from search_app.charts import SVG_STYLE, line_chart, sparkline
from search_app.csvexport import neutralise
from search_app.facets import place_key
from search_app.markup import marked
from search_app.models import SHOWS, TrendsChart
from search_app.studies_state import (
    LEVEL_NAMES,
    AdoptionState,
    TrendsState,
    adoption_url,
    api_reuse_url,
    filter_args,
    parse_adoption,
    parse_reuse,
    parse_trends,
    read_trends,
    reuse_url,
    trends_url,
)
from search_app.urls import report_url, search_url, url

bp = Blueprint("studies", __name__)


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


def _csv(rows: list[list], name: str) -> Response:
    import csv
    import io

    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buf.getvalue(), mimetype="text/csv", headers=headers)


# -- the filters in force, shown and editable -------------------------------------------

FILTER_LABELS = {f.name: f.short for f in FACET_TABLE} | {
    "year_from": "起始年",
    "year_to": "截止年",
}
FORM_FIELDS = ("province", "city", "district", "year_from", "year_to", "type")


def filter_controls(endpoint: str, own: list, filters: list) -> dict:
    """Chips of the filters in force (each a link without it), a link without any, and the
    fields of a form that changes them; `own` (the page's own parameters) stays in every URL."""
    chips = [
        {
            "label": f"{FILTER_LABELS.get(k, k)}：{v}",
            "url": url(endpoint, own + filters[:i] + filters[i + 1 :]),
        }
        for i, (k, v) in enumerate(filters)
    ]
    fields = []
    for name in FORM_FIELDS:
        values = [v for k, v in filters if k == name] or [""]
        fields += [{"name": name, "label": FILTER_LABELS[name], "value": v} for v in values]
    return {
        "action": url(endpoint),
        "chips": chips,
        "clear_url": url(endpoint, own),
        "fields": fields,
        "hidden": own + [(k, v) for k, v in filters if k not in FORM_FIELDS],
    }


# -- trends -------------------------------------------------------------------------------


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


def _place_label(p) -> str:
    return p.place if not p.city or p.city == p.place else f"{p.place}（{p.city}）"


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
    cities = (p.city,) if p.city and p.city != p.place else state.filters.cities
    return replace(state.filters, districts=(p.place,), cities=cities)


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
    return _svg(chart, f"{label}：逐年{SHOWS[state.show]}", "baogao-trends.svg")


EMPTY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="40" viewBox="0 0 760 40">'
    '<text x="8" y="24" font-family="sans-serif" font-size="13" fill="#6b7280">'
    "筛选范围内没有注明年份的报告</text></svg>\n"
)


def _svg(chart, label: str, name: str) -> Response:
    """A chart of the page as a file: its SVG with its own style (nothing: a note saying so)."""
    body = (
        render_template(
            "_linechart.html", chart=chart, label=label, standalone=True, svg_style=SVG_STYLE
        )
        if chart is not None
        else EMPTY_SVG
    )
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="image/svg+xml", headers=headers
    )


@bp.get("/trends.csv")
def trends_csv():
    state = parse_trends(request.args)
    if state.by_place:
        result = place_result(state)
        head = ["term", "place", "code", "level", "province", "city", "year", "occurrences"]
        rows = [
            [result.q, p.place, place_code(p.place, p.level, p.province, p.city, y.year),
             p.level, p.province, p.city, y.year, y.occurrences, y.paragraphs, y.reports,
             y.chars, f"{y.per10k:.6f}"]
            for p in result.places
            for y in p.years
        ]  # fmt: skip
        head += ["paragraphs", "reports", "chars", "per10k"]
        return _csv([head, *rows], "baogao-trends.csv")
    result = trends(engine(), state.terms, state.filters)
    head = ["term", "year", "occurrences", "paragraphs", "reports", "chars", "per10k"]
    rows = [
        [t.q, y.year, y.occurrences, y.paragraphs, y.reports, y.chars, f"{y.per10k:.6f}"]
        for t in result.terms
        for y in t.years
    ]
    return _csv([head, *rows], "baogao-trends.csv")


# -- adoption -----------------------------------------------------------------------------


def adoption_table(eng, query: SearchQuery, rollup: bool = False) -> Adoption:
    """The adoption table at the query's level (with `rollup`, a place adopting through its
    own or any lower place's report); with no level asked for, at the level where the most
    places mention the query (the coarser on a tie), so that a first visit shows adopters.
    Places in GB/T 2260 order within a first year."""
    if query.levels:
        table = adoption(eng, query, rollup)
    else:
        tables = [adoption(eng, replace(query, levels=(lv,)), rollup) for lv in LEVELS]
        table = max(tables, key=lambda t: len(t.places))  # the first of equals: the coarser

    def key(p):
        return place_key(p.place, p.province, p.city)

    return replace(
        table,
        places=tuple(sorted(table.places, key=lambda a: (a.first_year, key(a)))),
        not_yet=tuple(sorted(table.not_yet, key=key)),
    )


def adoption_context(table: Adoption, state: AdoptionState) -> dict:
    query, rollup = replace(state.query, levels=(table.level,)), state.rollup
    first = table.curve[0].year if table.curve else 0
    last = table.curve[-1].year if table.curve else 0
    places = [
        {
            "a": a,
            "first_url": report_url(a.first_report_id, query.q, a.first_paragraph, query.mode),
            "spark": sparkline(a.mentions, a.years, first, last),
            "total": sum(a.mentions.values()),
        }
        for a in table.places
    ]
    share = {p.year: p.share * 100 for p in table.curve}
    chart = line_chart([("已提及的比例", share)], list(share), False, _pct, top=100.0)
    return {
        "state": state,
        "query": query,
        "q": query.q,
        "table": table,
        "places": places,
        "chart": chart,
        "levels": [
            (
                lv,
                LEVEL_NAMES[lv],
                adoption_url(query, rollup=rollup, levels=(lv,)),
                lv == table.level,
            )
            for lv in LEVELS
        ],
        "rollup": rollup,
        "rollup_url": adoption_url(query, rollup=not rollup),
        "codebook_url": adoption_url(query, "panel.codebook", rollup),
        "panel_zip_url": adoption_url(query, "panel.panel_zip", rollup),
        "level_name": LEVEL_NAMES[table.level],
        "hidden": [*filter_args(query), *([("rollup", "1")] if rollup else [])],
        "csv_url": adoption_url(query, "studies.adoption_csv", rollup),
        "svg_url": adoption_url(query, "studies.adoption_svg", rollup),
        "filters": filter_controls(
            "studies.adoption",
            [("q", query.q)] * bool(query.q)
            + [("level", table.level)]
            + [("rollup", "1")] * rollup,
            [(k, v) for k, v in filter_args(query) if k != "level"],
        ),
        "panel_url": adoption_url(query, "panel.panel_csv", rollup),
        "json_url": adoption_url(query, "studies_api.adoption", rollup),
        "search_link": search_url(replace(query, per_page=20)),
    }


def _pct(v: float) -> str:
    return f"{v:.0f}%"


@bp.get("/adoption", endpoint="adoption")
def adoption_page():
    state = parse_adoption(request.args)
    table = adoption_table(engine(), state.query, state.rollup)
    return render_template("adoption.html", **adoption_context(table, state))


@bp.get("/adoption.svg", endpoint="adoption_svg")
def adoption_svg():
    """The cumulative adoption curve as a standalone SVG file."""
    state = parse_adoption(request.args)
    table = adoption_table(engine(), state.query, state.rollup)
    chart = adoption_context(table, state)["chart"]
    label = f"“{table.q}”累计采纳比例（{LEVEL_NAMES[table.level]}）" if table.q else "累计采纳比例"
    return _svg(chart, label, "baogao-adoption.svg")


@bp.get("/adoption.csv")
def adoption_csv():
    state = parse_adoption(request.args)
    table = adoption_table(engine(), state.query, state.rollup)
    query = replace(state.query, levels=(table.level,))
    head = ["place", "code", "province", "city", "level", "status", "first_year"]
    head += ["first_report_id", "first_place", "first_paragraph", "first_url", "last_year"]
    rows = [head + ["mentions", "mentions_by_year", "years"]]
    for a in table.places:
        url = report_url(a.first_report_id, query.q, a.first_paragraph, query.mode, external=True)
        by_year = ";".join(f"{y}:{n}" for y, n in sorted(a.mentions.items()))
        code = place_code(a.place, table.level, a.province, a.city, a.first_year)
        rows.append(
            [a.place, code, a.province, a.city, table.level, "adopted", a.first_year,
             a.first_report_id, a.first_place, a.first_paragraph, url, a.last_year,
             sum(a.mentions.values()), by_year, ";".join(map(str, a.years))]
        )  # fmt: skip
    for p in table.not_yet:
        code = place_code(p.place, table.level, p.province, p.city, p.years[-1])
        rows.append(
            [p.place, code, p.province, p.city, table.level, "not_yet", "", "", "", "", "", "",
             0, "", ";".join(map(str, p.years))]
        )  # fmt: skip
    return _csv(rows, "baogao-adoption.csv")


# -- the same words elsewhere -------------------------------------------------------------


def _passage_view(p) -> dict:
    q = f'"{p.folded}"' if '"' not in p.folded and len(p.folded) <= 200 else ""
    return {
        "p": p,
        "shown": p.text,
        "where": [{"o": o, "url": report_url(o.report_id, q, o.paragraph)} for o in p.elsewhere],
    }


@bp.get("/reports/<report_id>/reuse")
def reuse(report_id: str):
    min_chars, n = parse_reuse(report_id, request.args)
    eng = engine()
    doc = eng.get_report(report_id)
    texts = {p.n: p.text for p in doc.paragraphs}
    context = {"report": doc, "meta": eng.table.record(doc.id), "min_chars": min_chars}
    context["min_urls"] = [(m, reuse_url(doc.id, n, m)) for m in (10, 15, 30, 60)]
    context["json_url"] = api_reuse_url(doc.id, n, min_chars)
    if n is not None:
        if n not in texts:
            raise ReportNotFound(f"报告 {doc.id} 没有第 {n} 段")
        passages = paragraph_reuse(eng, doc.id, n, min_chars)
        spans = [(p.start, p.end) for p in passages]
        context.update(
            paragraph=n,
            html=marked(texts[n], spans),
            passages=[_passage_view(p) for p in passages],
            back_url=report_url(doc.id, paragraph=n),
            whole_url=reuse_url(doc.id, None, min_chars),
        )
        return render_template("reuse.html", **context)
    result = report_reuse(eng, doc.id, min_chars)
    context.update(
        paragraph=None,
        result=result,
        shared=[(s, eng.table.record(s.report_id)["title"]) for s in result.shared[:100]],
        passages=[_passage_view(p) for p in result.passages],
        back_url=report_url(doc.id),
        para_url=lambda k: reuse_url(doc.id, k, min_chars),
    )
    return render_template("reuse.html", **context)
