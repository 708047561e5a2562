"""The HTML pages: home, search results, the report reader, and the CSV export."""

from __future__ import annotations

import re
import time

from flask import Blueprint, Response, render_template, request, stream_with_context

from search.errors import ReportNotFound
from search_app import csvexport, facets, pages, params, reader
from search_app import get_engine as engine
from search_app.urls import concordance_url, form_action, hidden_args, report_url, search_url

bp = Blueprint("views", __name__)
REPORT_ID = re.compile(r"[a-z0-9-]{1,200}")


def template_globals() -> dict:
    return {
        "facet_label": facets.label,
        "search_url": search_url,
        "report_url": report_url,
        "hidden_args": hidden_args,
        "form_action": form_action,
        "concordance_url": concordance_url,
    }


@bp.get("/")
def index():
    return render_template(
        "index.html", corpus=pages.corpus_table(engine()), examples=pages.examples()
    )


@bp.get("/search")
def search():
    state = params.parse_search(request.args)
    started = time.perf_counter()
    eng = engine()
    results = eng.search(state.query)
    took_ms = (time.perf_counter() - started) * 1000
    return render_template("search.html", **pages.search_context(eng, results, state.per, took_ms))


@bp.get("/search.csv")
def search_csv():
    query = params.parse_search(request.args).query
    rows = csvexport.rows(engine(), query)  # evaluates the query now: errors come before 200
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": csvexport.disposition(query.q)},
    )


@bp.get("/reports/<report_id>")
def report(report_id: str):
    if not REPORT_ID.fullmatch(report_id):
        raise ReportNotFound(f"没有编号为 {report_id!r} 的报告")
    q, mode = params.parse_q(request.args), params.parse_mode(request.args)
    eng = engine()
    doc = eng.get_report(report_id)
    spans = reader.matched_spans(eng, doc, q, mode)
    paras = reader.paragraphs(doc, spans, lambda n: report_url(doc.id, paragraph=n, external=True))
    return render_template(
        "report.html",
        report=doc,
        meta=eng.report_meta_by_id(doc.id),
        paragraphs=paras,
        matches=sorted(spans),
        occurrences=sum(len(s) for s in spans.values()),
        profile=reader.topic_profile(doc),
        q=q,
        mode=mode,
        back_url=search_url(params.parse_search(request.args).query) if q else "",
    )
