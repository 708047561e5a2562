"""The event-history panel of an adoption table and its codebook: /adoption/panel.csv,
/adoption/panel.zip (the CSV with its codebook beside it), /adoption/codebook (a page) and
/adoption/codebook.md. Every parameter of /adoption applies, `rollup=1` included."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from flask import Blueprint, Response, render_template, request

from search.adoption import Adoption
from search.panel import CODEBOOK, codebook_markdown, event_panel
from search_app import get_engine as engine
from search_app.adoption import adoption_table
from search_app.csvexport import stream
from search_app.models import Panel
from search_app.serialize import Table
from search_app.studies_state import (
    AdoptionState,
    adoption_url,
    filter_args,
    parse_adoption,
    read_adoption,
)
from search_app.study_answers import EventRow

bp = Blueprint("panel", __name__)
ROWS = Table(EventRow)  # its fields: the codebook's columns (tests/test_answers.py)


def _adoption() -> tuple[AdoptionState, Adoption, bool]:
    """The request's state and table, the state's level the table's (with no level asked
    for, the one with the most adopters, as /adoption chooses it), and `all=1`."""
    panel, state = read_adoption(request.args, Panel)
    state, table = _with_table(state)
    return state, table, panel.all == "1"


def _with_table(state: AdoptionState) -> tuple[AdoptionState, Adoption]:
    table = adoption_table(engine(), state.query, state.rollup)
    return replace(state, query=replace(state.query, levels=(table.level,))), table


def _panel_csv(table: Adoption, every_year: bool) -> str:
    rows = (EventRow.model_validate(row) for row in event_panel(table, every_year))
    return "".join(stream(ROWS.columns, rows, ROWS.cells))


def _codebook(state: AdoptionState) -> str:
    filters = "&".join(f"{k}={v}" for k, v in filter_args(state.query) if k != "level")
    url = request.host_url.rstrip("/") + adoption_url(state.query, "panel.panel_csv", state.rollup)
    return codebook_markdown(state.query.q, state.query.levels[0], state.rollup, filters, url)


@bp.get("/adoption/panel.csv", endpoint="panel_csv")
def panel_csv():
    _, table, every_year = _adoption()
    headers = {"Content-Disposition": 'attachment; filename="baogao-adoption-panel.csv"'}
    return Response(_panel_csv(table, every_year), mimetype="text/csv", headers=headers)


@bp.get("/adoption/panel.zip", endpoint="panel_zip")
def panel_zip():
    """The panel and its codebook in one file, so that neither travels without the other."""
    state, table, every_year = _adoption()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("panel.csv", _panel_csv(table, every_year).encode("utf-8"))
        z.writestr("codebook.md", _codebook(state).encode("utf-8"))
    headers = {"Content-Disposition": 'attachment; filename="baogao-adoption-panel.zip"'}
    return Response(buf.getvalue(), mimetype="application/zip", headers=headers)


@bp.get("/adoption/codebook", endpoint="codebook")
def codebook():
    state = _level(parse_adoption(request.args))
    return render_template(
        "codebook.html",
        codebook=CODEBOOK,
        state=state,
        q=state.query.q,
        csv_url=adoption_url(state.query, "panel.panel_csv", state.rollup),
        zip_url=adoption_url(state.query, "panel.panel_zip", state.rollup),
        md_url=adoption_url(state.query, "panel.codebook_md", state.rollup),
        adoption_url=adoption_url(state.query, rollup=state.rollup),
    )


@bp.get("/adoption/codebook.md", endpoint="codebook_md")
def codebook_md():
    return Response(_codebook(_level(parse_adoption(request.args))), mimetype="text/markdown")


def _level(state: AdoptionState) -> AdoptionState:
    """The state with its level: the one asked for, else the one /adoption would choose."""
    return state if state.query.levels else _with_table(state)[0]
