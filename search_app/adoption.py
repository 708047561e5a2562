"""/adoption: who said it first. For a query and one level of place, each place's first year,
first report and mentions by year, the places not yet mentioning it and the cumulative
adoption curve; the page, the curve as SVG and the table as CSV (the event-history panel is
`panel.py`). The table comes from `search.adoption`, ordered here by first year then GB/T 2260
code."""

from __future__ import annotations

from dataclasses import replace

from flask import render_template, request

from search.adoption import LEVELS, Adoption, adoption
from search.results import SearchQuery
from search_app import get_engine as engine
from search_app.charts import line_chart, sparkline
from search_app.facets import place_key
from search_app.serialize import Table
from search_app.studies_common import bp, csv_file, filter_controls, svg_file
from search_app.studies_state import (
    LEVEL_NAMES,
    AdoptionState,
    adoption_url,
    filter_args,
    parse_adoption,
)
from search_app.study_answers import AdoptionRow
from search_app.urls import report_url, search_url


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
        return place_key(p.place.name, p.place.province, p.place.city)

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
    return svg_file(chart, label, "baogao-adoption.svg")


ROWS = Table(AdoptionRow)


@bp.get("/adoption.csv")
def adoption_csv():
    state = parse_adoption(request.args)
    table = adoption_table(engine(), state.query, state.rollup)
    query = replace(state.query, levels=(table.level,))
    rows = [
        AdoptionRow(
            place=a.place, status="adopted", first_year=a.first_year,
            first_report_id=a.first_report_id, first_place=a.first_place,
            first_paragraph=a.first_paragraph,
            first_url=report_url(
                a.first_report_id, query.q, a.first_paragraph, query.mode, external=True
            ),
            last_year=a.last_year, mentions=sum(a.mentions.values()),
            mentions_by_year=dict(sorted(a.mentions.items())), years=a.years,
        )
        for a in table.places
    ]  # fmt: skip
    rows += [AdoptionRow(place=p.place, status="not_yet", years=p.years) for p in table.not_yet]
    return csv_file(ROWS, rows, "baogao-adoption.csv")
