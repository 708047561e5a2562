"""The JSON API: /api/search (the object of `baogao search --json` plus paging, timing,
excerpts and permalinks), /api/reports and /api/reports/<id>; every list is paged alike
(`page`, `per_page`, `total`, absolute `next` and `prev` URLs), and /api/openapi.json
describes it all."""

from __future__ import annotations

import math
import time

import orjson
from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from search.errors import ReportNotFound
from search.results import SearchResults
from search_app import get_engine as engine
from search_app import openapi, params
from search_app.fields import from_args
from search_app.markup import excerpt
from search_app.models import Paging
from search_app.serialize import record_json, results_json
from search_app.urls import report_url, url
from search_app.views import REPORT_ID

bp = Blueprint("api", __name__, url_prefix="/api")


def paging(total: int, page: int, per_page: int, max_page: int = params.MAX_PAGE_API) -> dict:
    """`page`, `per_page`, and the absolute URLs of the next and previous pages (or null)."""
    last = min(max(1, math.ceil(total / per_page)), max_page)
    base = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]

    def link(n: int) -> str:
        values = request.view_args or {}
        return url(request.endpoint, [*base, ("page", str(n))], _external=True, **values)

    return {
        "page": page,
        "per_page": per_page,
        "next": link(page + 1) if page < last else None,
        "prev": link(min(page, last + 1) - 1) if page > 1 else None,
    }


def search_json(results: SearchResults, took_ms: float) -> dict:
    query = results.query
    out = results_json(results)
    out.update(paging(results.total, query.page, query.per_page))
    out["took_ms"] = round(took_ms, 2)
    for obj, hit in zip(out["hits"], results.hits, strict=True):
        obj["snippet"] = str(excerpt(hit.text, hit.matches))
        obj["url"] = report_url(hit.report_id, query.q, hit.paragraph, query.mode, external=True)
    return out


def fast_jsonify(obj: dict):
    """`jsonify(obj)` written by orjson, several times faster on a page of hits: the same
    compact JSON, the same values (a float under 1e-4 may be written without an exponent);
    jsonify itself where orjson refuses (a key that is not a string) or the app pretty-prints."""
    if not current_app.debug:
        try:
            body = orjson.dumps(obj)
        except TypeError:
            pass
        else:
            return current_app.response_class(body + b"\n", mimetype=current_app.json.mimetype)
    return jsonify(obj)


@bp.get("/search")
def search():
    query = params.parse_search(request.args, max_page=params.MAX_PAGE_API).query
    started = time.perf_counter()
    results = engine().search(query)
    return fast_jsonify(search_json(results, (time.perf_counter() - started) * 1000))


@bp.get("/reports")
def reports():
    """The reports, or those holding a paragraph that the search's `q` and filters match."""
    query = params.parse_search(request.args, max_page=params.MAX_PAGE_API).query
    items = engine().reports(query)
    first = (query.page - 1) * query.per_page
    page = [
        {**record_json(r, tuple(r)), "url": report_url(r["id"], external=True)}
        for r in items[first : first + query.per_page]
    ]
    return jsonify(
        {"reports": page, "total": len(items), **paging(len(items), query.page, query.per_page)}
    )


@bp.get("/reports/<report_id>")
def report(report_id: str):
    """One report's record and its paragraphs, a page of them at a time."""
    if not REPORT_ID.fullmatch(report_id):
        raise ReportNotFound(f"没有编号为 {report_id!r} 的报告")
    paged = from_args(Paging, request.args)
    page, per_page = paged.page, paged.per_page
    eng = engine()
    doc = eng.get_report(report_id)
    record = eng.table.record(doc.id)
    out = record_json(record, tuple(record))
    out["url"] = report_url(doc.id, external=True)
    first = (page - 1) * per_page
    out["paragraphs"] = [
        {
            "paragraph": p.n,
            "section": p.section,
            "heading": p.heading,
            "topics": list(p.topics),
            "text": p.text,
            "url": report_url(doc.id, paragraph=p.n, external=True),
        }
        for p in doc.paragraphs[first : first + per_page]
    ]
    out.update(paging(len(doc.paragraphs), page, per_page))
    return jsonify(out)


def _spec() -> dict:
    return openapi.describe(request.host_url.rstrip("/"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(_spec())


@bp.get("/docs")
def docs():
    """The description for people: every endpoint, its parameters and what it returns."""
    examples = {
        "/api/search": url_for("api.search", q="最多跑一次", per_page=5),
        "/api/reports": url_for("api.reports", level="province"),
    }
    return render_template("api.html", spec=_spec(), examples=examples)
