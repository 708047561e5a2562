"""/passage: the reports holding a passage verbatim, earliest first (its source, then its later
copies), as a page and as /api/passage; every /search filter applies."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from search.lineage import Lineage, lineage
from search_app import get_engine as engine
from search_app import study_answers as answers
from search_app.fields import from_args
from search_app.models import Passage
from search_app.serialize import respond
from search_app.urls import hidden_args, report_url

bp = Blueprint("lineage", __name__)


def _state():
    passage = from_args(Passage, request.args)
    return passage.text, passage.query(per_page=None)


@bp.get("/passage", endpoint="page")
def page():
    text, query = _state()
    result = lineage(engine(), text, query) if text.strip() else None
    return render_template(
        "passage.html",
        text=text,
        result=result,
        hidden=hidden_args(query, drop=("q", "text")),
        link=lambda h: report_url(h.report_id, result.text, h.paragraph),
    )


def lineage_answer(result: Lineage) -> answers.Lineage:
    return answers.Lineage(
        text=result.text,
        reports=len(result.holders),
        holders=[
            answers.Holder(
                report_id=h.report_id,
                place=h.place,
                year=h.year,
                date=h.date,
                title=h.title,
                paragraph=h.paragraph,
                occurrences=h.occurrences,
                url=report_url(h.report_id, result.text, h.paragraph, external=True),
            )
            for h in result.holders
        ],
    )


@bp.get("/api/passage", endpoint="api")
def api():
    text, query = _state()
    return respond(lineage_answer(lineage(engine(), text, query)))
