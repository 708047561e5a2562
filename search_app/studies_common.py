"""What the research pages share: their blueprint (`studies`: /trends, /adoption and
/reports/<id>/reuse, each in its own module), a CSV or SVG download from rows or a chart, and
the chips and form of the filters in force."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Response, render_template
from pydantic import BaseModel

from search.facet_table import BY_NAME
from search.facet_table import FACETS as FACET_TABLE
from search_app.charts import SVG_STYLE
from search_app.csvexport import stream
from search_app.facets import label
from search_app.pages import MODE_LABELS
from search_app.serialize import Table
from search_app.urls import url

bp = Blueprint("studies", __name__)


def csv_file(table: Table, rows: Iterable[BaseModel], name: str) -> Response:
    """Rows of `table`'s model as a CSV download (UTF-8 with a BOM, formula-like cells
    neutralised)."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(
        "".join(stream(table.columns, rows, table.cells)), mimetype="text/csv", headers=headers
    )


EMPTY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="40" viewBox="0 0 760 40">'
    '<text x="8" y="24" font-family="sans-serif" font-size="13" fill="#6b7280">'
    "筛选范围内没有注明年份的报告</text></svg>\n"
)


def svg_file(chart, label: str, name: str) -> Response:
    """A chart of the page as a file: its SVG with its own style (nothing: a note saying so)."""
    body = (
        render_template(
            "_linechart.html", chart=chart, label=label, standalone=True, svg_style=SVG_STYLE
        )
        if chart is not None
        else EMPTY_SVG
    )
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="image/svg+xml", headers=headers
    )


# -- the filters in force, shown and editable -------------------------------------------

FILTER_LABELS = {f.name: f.short for f in FACET_TABLE} | {
    "year_from": "起始年",
    "year_to": "截止年",
    "mode": "匹配",
}
FORM_FIELDS = ("province", "city", "district", "year_from", "year_to", "type")


def _shown(name: str, value: str) -> str:
    """A filter's value as the sidebar names it (级别：区县, not level：district)."""
    if name == "mode":
        return MODE_LABELS.get(value, value)
    return label(name, value) if name in BY_NAME else value


def filter_controls(endpoint: str, own: list, filters: list) -> dict:
    """Chips of the filters in force (each a link without it), a link without any, and the
    fields of a form that changes them; `own` (the page's own parameters) stays in every URL."""
    chips = [
        {
            "label": f"{FILTER_LABELS.get(k, k)}：{_shown(k, v)}",
            "url": url(endpoint, own + filters[:i] + filters[i + 1 :]),
        }
        for i, (k, v) in enumerate(filters)
    ]
    fields = []
    for name in FORM_FIELDS:
        values = [v for k, v in filters if k == name] or [""]
        fields += [{"name": name, "label": FILTER_LABELS[name], "value": v} for v in values]
    return {
        "action": url(endpoint),
        "chips": chips,
        "clear_url": url(endpoint, own),
        "fields": fields,
        "hidden": own + [(k, v) for k, v in filters if k not in FORM_FIELDS],
    }
