"""The HTML pages: home, search results, the report reader, and the CSV export."""

from __future__ import annotations

import re
import time
from datetime import date

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context

from search.errors import ReportNotFound, no_report, quoted
from search.results import SearchQuery
from search_app import citations, csvexport, facets, pages, params, reader
from search_app import get_engine as engine
from search_app.urls import (
    FACET_FIELDS,
    concordance_url,
    form_action,
    hidden_args,
    report_url,
    search_url,
    url,
)

bp = Blueprint("views", __name__)
REPORT_ID = re.compile(r"[a-z0-9-]{1,200}")


def template_globals() -> dict:
    return {
        "facet_label": facets.label,
        "search_url": search_url,
        "report_url": report_url,
        "hidden_args": hidden_args,
        "search_query": place_query,
        "display_title": citations.title,
        "form_action": form_action,
        "concordance_url": concordance_url,
        "site_url": url,  # every other link of a page (static files, form actions)
    }


def place_query(field: str, name: str) -> SearchQuery:
    """A search for every paragraph of one place (province, city or issuing place)."""
    return SearchQuery(**{FACET_FIELDS[field]: (name,)})


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
    lifted = eng.lift_filters(state.query)
    if lifted != state.query:  # a filter typed in the query: the URL that shows it as one
        return redirect(search_url(lifted, state.per), code=302)
    results = eng.search(state.query)
    took_ms = (time.perf_counter() - started) * 1000
    return render_template("search.html", **pages.search_context(eng, results, state.per, took_ms))


@bp.get("/search.csv")
def search_csv():
    query = params.parse_search(request.args, paged=False).query
    rows = csvexport.rows(engine(), query)  # evaluates the query now: errors come before 200
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": csvexport.disposition(query.q)},
    )


def _back_url(state: params.SearchState) -> str:
    """The results page a report was opened from, whole (its state rides along in the URL)."""
    if state.query == SearchQuery(q=state.query.q, mode=state.query.mode) and not state.query.q:
        return ""
    return search_url(state.query, state.per)


CITATION_FORMATS = {
    "bib": ("application/x-bibtex", "\n\n"),
    "ris": ("application/x-research-info-systems", ""),
}


@bp.get("/search.<fmt>")
def search_citations(fmt: str):
    """Citations of every matching paragraph, BibTeX or RIS, in result order."""
    if fmt not in CITATION_FORMATS:
        raise ReportNotFound(f"没有{quoted(fmt)}格式的导出")
    query = params.parse_search(request.args, paged=False).query
    eng = engine()
    hits = csvexport.primed(eng.iter_hits(query))  # evaluated now: a bad query is a 400
    mimetype, sep = CITATION_FORMATS[fmt]
    today = date.today()

    def entries():
        for hit in hits:
            url = report_url(hit.report_id, paragraph=hit.paragraph, external=True)
            source_url = eng.table.meta(hit.report_id).get("source_url", "")
            cited = citations.describe(hit, url, today, hit.paragraph, source_url)
            if fmt == "bib":
                yield citations.bibtex(cited, citations.key(hit.report_id, hit.paragraph)) + sep
            else:
                yield citations.ris(cited)

    name = f"baogao.{fmt}"
    return Response(
        stream_with_context(entries()),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/reports/<report_id>")
def report(report_id: str):
    if not REPORT_ID.fullmatch(report_id):
        raise no_report(report_id)
    state = params.parse_search(request.args)
    q, mode = state.query.q, state.query.mode
    eng = engine()
    doc = eng.get_report(report_id)
    spans = reader.matched_spans(eng, doc, q, mode)
    today = date.today()
    paras = reader.paragraphs(
        doc, spans, lambda n: report_url(doc.id, paragraph=n, external=True), today
    )
    return render_template(
        "report.html",
        report=doc,
        meta=eng.table.record(doc.id),
        paragraphs=paras,
        matches=sorted(spans),
        occurrences=sum(len(s) for s in spans.values()),
        profile=reader.topic_profile(doc),
        q=q,
        mode=mode,
        back_url=_back_url(state),
        toc=[p for p in paras if p.heading],
        citation=reader.cite(doc, report_url(doc.id, external=True), today),
        neighbours=eng.table.neighbours(doc.id),
    )
