"""The JSON API: /api/search (the object of `baogao search --json` plus paging, timing,
excerpts and permalinks), /api/reports and /api/reports/<id>."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify, request

from search.errors import ReportNotFound
from search.results import SearchResults
from search_app import get_engine as engine
from search_app import params
from search_app.markup import excerpt
from search_app.serialize import results_json
from search_app.urls import report_url
from search_app.views import REPORT_ID

bp = Blueprint("api", __name__, url_prefix="/api")


def search_json(results: SearchResults, took_ms: float) -> dict:
    query = results.query
    out = results_json(results)
    out["page"] = query.page
    out["per_page"] = query.per_page
    out["took_ms"] = round(took_ms, 2)
    for obj, hit in zip(out["hits"], results.hits, strict=True):
        obj["snippet"] = str(excerpt(hit.text, hit.matches))
        obj["url"] = report_url(hit.report_id, query.q, hit.paragraph, query.mode, external=True)
    return out


@bp.get("/search")
def search():
    query = params.parse_search(request.args, max_page=params.MAX_PAGE_API).query
    started = time.perf_counter()
    results = engine().search(query)
    return jsonify(search_json(results, (time.perf_counter() - started) * 1000))


@bp.get("/reports")
def reports():
    items = engine().reports()
    for r in items:
        r["url"] = report_url(r["id"], external=True)
    return jsonify({"reports": items, "total": len(items)})


@bp.get("/reports/<report_id>")
def report(report_id: str):
    if not REPORT_ID.fullmatch(report_id):
        raise ReportNotFound(f"没有编号为 {report_id!r} 的报告")
    eng = engine()
    doc = eng.get_report(report_id)
    out = eng.report_meta_by_id(doc.id)
    out["url"] = report_url(doc.id, external=True)
    out["paragraph_count"] = out["paragraphs"]
    out["paragraphs"] = [
        {
            "n": p.n,
            "section": p.section,
            "heading": p.heading,
            "topics": list(p.topics),
            "text": p.text,
            "url": report_url(doc.id, paragraph=p.n, external=True),
        }
        for p in doc.paragraphs
    ]
    return jsonify(out)
