"""/dispersion: where in each report a query's occurrences stand (a strip per report, a profile
over every report), with /dispersion.csv and /api/dispersion; every /search filter applies."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, render_template, request

from search.dispersion import Dispersion, dispersion
from search_app import get_engine as engine
from search_app import params
from search_app import study_answers as answers
from search_app.csvexport import stream
from search_app.serialize import Table, respond
from search_app.urls import hidden_args, query_args, report_url, url

bp = Blueprint("dispersion", __name__)
ROWS = Table(answers.DispersionRow)
SHOWN = 300  # reports drawn on the page; the CSV and the API give every one


def _query():
    return replace(params.parse_search(request.args, paged=False).query, sort="relevance")


def _url(endpoint: str, query) -> str:
    return url(endpoint, query_args(query, paged=False))


@bp.get("/dispersion", endpoint="page")
def page():
    query = _query()
    result = dispersion(engine(), query) if query.q else None
    peak = max(result.profile) if result and result.occurrences else 1
    return render_template(
        "dispersion.html",
        q=query.q,
        query=query,
        result=result,
        shown=result.reports[:SHOWN] if result else (),
        peak=peak,
        hidden=hidden_args(query, drop=("q",)),
        csv_url=_url("dispersion.csv", query),
        json_url=_url("dispersion.api", query),
        report_link=lambda r: report_url(r.report_id, query.q, mode=query.mode),
    )


def _answer(result: Dispersion) -> answers.Dispersion:
    return answers.Dispersion(
        q=result.query.q,
        occurrences=result.occurrences,
        profile=result.profile,
        reports=[
            answers.DispersionReport(
                report_id=r.report_id,
                place=r.place,
                year=r.year,
                chars=r.chars,
                positions=r.positions,
            )
            for r in result.reports
        ],
    )


@bp.get("/api/dispersion", endpoint="api")
def api():
    query = _query()
    return respond(_answer(dispersion(engine(), query)))


@bp.get("/dispersion.csv", endpoint="csv")
def csv():
    result = dispersion(engine(), _query())
    rows = (
        answers.DispersionRow(
            report_id=r.report_id, place=r.place, year=r.year, chars=r.chars,
            occurrence=i, position=p,
        )
        for r in result.reports
        for i, p in enumerate(r.positions, 1)
    )  # fmt: skip
    headers = {"Content-Disposition": 'attachment; filename="baogao-dispersion.csv"'}
    return Response(stream(ROWS.columns, rows, ROWS.cells), mimetype="text/csv", headers=headers)
