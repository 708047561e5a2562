"""/reports/<id>/reuse: the same words elsewhere. The passages of a report (or of one of its
paragraphs) that stand verbatim in other reports, each with where else it stands, and the
reports it shares most with; found by `search.reuse`."""

from __future__ import annotations

from flask import render_template, request

from search.errors import ReportNotFound
from search.reuse import paragraph_reuse, report_reuse
from search_app import get_engine as engine
from search_app.markup import marked
from search_app.studies_common import bp
from search_app.studies_state import (
    api_reuse_url,
    parse_reuse,
    reuse_url,
)
from search_app.urls import report_url


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
