"""The JSON of the research pages: /api/trends, /api/adoption and /api/reports/<id>/reuse
(the same answers as the pages and their CSV, as instances of `search_app.study_answers`)."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, request

from search.errors import ReportNotFound
from search.reuse import Passage, paragraph_reuse, report_reuse
from search.trends import trends
from search_app import get_engine as engine
from search_app import study_answers as answers
from search_app.adoption import adoption_table
from search_app.serialize import respond
from search_app.studies_state import (
    filter_args,
    parse_adoption,
    parse_reuse,
    parse_trends,
)
from search_app.trends import place_result as place_trends_of
from search_app.urls import report_url

bp = Blueprint("studies_api", __name__, url_prefix="/api")


def _years(years) -> list[answers.YearCount]:
    return [answers.YearCount.model_validate(y, from_attributes=True) for y in years]


@bp.get("/trends", endpoint="trends")
def trends_json():
    state = parse_trends(request.args)
    result = trends(engine(), state.terms, state.filters)
    by_place = places_of(state) if state.by_place and state.terms else {}
    return respond(
        answers.Trends(
            **by_place,
            filters=dict_of(filter_args(state.filters)),
            years=[
                answers.YearChars(year=y, chars=c)
                for y, c in zip(result.years, result.chars, strict=True)
            ],
            terms=[answers.TermYears(q=t.q, years=_years(t.years)) for t in result.terms],
        )
    )


def places_of(state) -> dict:
    """One term in each place named (place=) or each place of a level (each=), beside its
    counts over every place of the filters: the place fields of a trends answer."""
    result = place_trends_of(state)
    return {
        "q": result.q,
        "each": state.each or None,
        "unknown": result.unknown,
        "left_out": result.left_out,
        "places": [answers.PlaceYears(place=p.place, years=_years(p.years)) for p in result.places],
    }


def dict_of(args: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in args:
        out.setdefault(k, []).append(v)
    return out


@bp.get("/adoption", endpoint="adoption")
def adoption_json():
    state = parse_adoption(request.args)
    table = adoption_table(engine(), state.query, state.rollup)
    query = replace(state.query, levels=(table.level,))
    places = [
        answers.Adopter(
            place=a.place,
            first_year=a.first_year,
            first_report_id=a.first_report_id,
            first_place=a.first_place,
            first_paragraph=a.first_paragraph,
            first_url=report_url(
                a.first_report_id, query.q, a.first_paragraph, query.mode, external=True
            ),
            last_year=a.last_year,
            mentions={str(y): n for y, n in sorted(a.mentions.items())},
            years=a.years,
        )
        for a in table.places
    ]
    return respond(
        answers.Adoption(
            q=table.q,
            level=table.level,
            rollup=state.rollup,
            mentions_count=table.mentions_count,
            filters=dict_of(filter_args(query)),
            places=places,
            not_yet=[answers.NotYet(place=p.place, years=p.years) for p in table.not_yet],
            curve=[
                answers.CurvePoint(year=c.year, adopted=c.adopted, places=c.places, share=c.share)
                for c in table.curve
            ],
            panel=[
                answers.PanelRow(
                    place=r.place,
                    year=r.year,
                    report_ids=r.report_ids,
                    chars=r.chars,
                    mentions=r.mentions,
                    adopted=r.adopted,
                    first_year=r.first_year,
                )
                for r in table.panel
            ],
        )
    )


def passage_answer(p: Passage) -> answers.SharedPassage:
    return answers.SharedPassage(
        paragraph=p.paragraph,
        start=p.start,
        end=p.end,
        chars=p.chars,
        text=p.text,
        reports=p.reports,
        elsewhere=[
            answers.Elsewhere(
                report_id=o.report_id,
                paragraph=o.paragraph,
                place=o.place,
                year=o.year,
                url=report_url(o.report_id, paragraph=o.paragraph, external=True),
            )
            for o in p.elsewhere
        ],
    )


@bp.get("/reports/<report_id>/reuse")
def reuse(report_id: str):
    min_chars, n = parse_reuse(report_id, request.args)
    eng = engine()
    meta = eng.table.record(report_id)  # 404 before any work
    head = {"report_id": report_id, "min": min_chars, "paragraph": n}
    if n is not None:
        if not 1 <= n <= meta["paragraph_count"]:
            raise ReportNotFound(f"报告 {report_id} 没有第 {n} 段")
        passages = paragraph_reuse(eng, report_id, n, min_chars)
        return respond(answers.Reuse(**head, passages=[passage_answer(p) for p in passages]))
    result = report_reuse(eng, report_id, min_chars)
    shared = [
        answers.SharedReport(
            report_id=s.report_id,
            place=s.place,
            year=s.year,
            chars=s.chars,
            passages=len(s.passages),
            url=report_url(s.report_id, external=True),
        )
        for s in result.shared
    ]
    passages = [passage_answer(p) for p in result.passages]
    return respond(answers.Reuse(**head, passages=passages, shared=shared))
