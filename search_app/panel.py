"""The event-history panel of an adoption table and its codebook: /adoption/panel.csv,
/adoption/panel.zip (the CSV with its codebook beside it), /adoption/codebook (a page) and
/adoption/codebook.md. Every parameter of /adoption applies, `rollup=1` included."""

from __future__ import annotations

import csv
import io
import zipfile

from flask import Blueprint, Response, render_template, request

from search.adoption import adoption
from search.panel import CODEBOOK, COLUMNS, cells, codebook_markdown, event_panel
from search_app import get_engine as engine
from search_app.csvexport import neutralise
from search_app.studies_state import AdoptionState, adoption_url, filter_args, parse_adoption

bp = Blueprint("panel", __name__)


def _panel_csv(state: AdoptionState, every_year: bool) -> str:
    table = adoption(engine(), state.query, state.rollup)
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in event_panel(table, every_year):
        writer.writerow([neutralise(v) for v in cells(row)])
    return buf.getvalue()


def _every_year() -> bool:
    return request.args.get("all", "") == "1"


def _codebook(state: AdoptionState) -> str:
    filters = "&".join(f"{k}={v}" for k, v in filter_args(state.query) if k != "level")
    url = request.host_url.rstrip("/") + adoption_url(state.query, "panel.panel_csv", state.rollup)
    return codebook_markdown(state.query.q, state.query.levels[0], state.rollup, filters, url)


@bp.get("/adoption/panel.csv", endpoint="panel_csv")
def panel_csv():
    state = parse_adoption(request.args)
    headers = {"Content-Disposition": 'attachment; filename="baogao-adoption-panel.csv"'}
    return Response(_panel_csv(state, _every_year()), mimetype="text/csv", headers=headers)


@bp.get("/adoption/panel.zip", endpoint="panel_zip")
def panel_zip():
    """The panel and its codebook in one file, so that neither travels without the other."""
    state = parse_adoption(request.args)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("panel.csv", _panel_csv(state, _every_year()).encode("utf-8"))
        z.writestr("codebook.md", _codebook(state).encode("utf-8"))
    headers = {"Content-Disposition": 'attachment; filename="baogao-adoption-panel.zip"'}
    return Response(buf.getvalue(), mimetype="application/zip", headers=headers)


@bp.get("/adoption/codebook", endpoint="codebook")
def codebook():
    state = parse_adoption(request.args)
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
    return Response(_codebook(parse_adoption(request.args)), mimetype="text/markdown")
