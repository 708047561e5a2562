"""The JSON API: /api/search (the object of `baogao search --json` plus paging, timing,
excerpts and permalinks), /api/reports and /api/reports/<id>; every list is paged alike
(`page`, `per_page`, `total`, absolute `next` and `prev` URLs), and /api/openapi.json
describes it all."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify, render_template, request

from search.errors import no_report
from search_app import answers, openapi, params
from search_app import get_engine as engine
from search_app.answering import paging, report_answer, search_answer
from search_app.fields import from_args
from search_app.hints import search_hints
from search_app.models import Paging
from search_app.serialize import respond
from search_app.urls import report_url, url
from search_app.views import REPORT_ID

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    query = params.parse_search(request.args, max_page=params.MAX_PAGE_API).query
    eng = engine()
    started = time.perf_counter()
    results = eng.search(query)
    took_ms = (time.perf_counter() - started) * 1000
    return respond(search_answer(results, search_hints(eng, query), took_ms))


@bp.get("/reports")
def reports():
    """The reports, or those holding a paragraph that the search's `q` and filters match."""
    query = params.parse_search(request.args, max_page=params.MAX_PAGE_API).query
    items = engine().reports(query)
    first = (query.page - 1) * query.per_page
    return respond(
        answers.ReportList(
            reports=[report_answer(r) for r in items[first : first + query.per_page]],
            total=len(items),
            **paging(len(items), query.page, query.per_page),
        )
    )


@bp.get("/reports/<report_id>")
def report(report_id: str):
    """One report's record and its paragraphs, a page of them at a time."""
    if not REPORT_ID.fullmatch(report_id):
        raise no_report(report_id)
    paged = from_args(Paging, request.args)
    page, per_page = paged.page, paged.per_page
    eng = engine()
    doc = eng.get_report(report_id)
    first = (page - 1) * per_page
    paragraphs = [
        answers.Paragraph(
            paragraph=p.n,
            section=p.section,
            heading=p.heading,
            topics=p.topics,
            text=p.text,
            url=report_url(doc.id, paragraph=p.n, external=True),
        )
        for p in doc.paragraphs[first : first + per_page]
    ]
    return respond(
        report_answer(
            eng.table.record(doc.id),
            answers.ReportDetail,
            paragraphs=paragraphs,
            **paging(len(doc.paragraphs), page, per_page),
        )
    )


def _spec() -> dict:
    return openapi.describe(request.host_url.rstrip("/"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(_spec())  # the description itself, not an answer model


@bp.get("/docs")
def docs():
    """The description for people: every endpoint, its parameters and what it returns."""
    examples = {
        "/api/search": url("api.search", [("q", "最多跑一次"), ("per_page", "5")]),
        "/api/reports": url("api.reports", [("level", "province")]),
    }
    return render_template("api.html", spec=_spec(), examples=examples)
