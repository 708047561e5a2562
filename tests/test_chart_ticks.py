"""Value axes label their ticks with the values drawn there: every tick at a nice value (1, 2
or 5 × 10^k steps), over many maxima, for the search timeline and the line charts; and on the
real search page."""

from __future__ import annotations

import re

import pytest

from search.results import SearchQuery, SearchResults
from search_app import timeline
from search_app.charts import line_chart

MAXIMA = [*range(1, 400), 999, 1000, 1001, 1234, 4999, 5001, 12_345, 99_999, 100_001]
FRACTIONS = [0.013, 0.05, 0.1, 0.15, 0.33, 0.5, 0.77, 1.0, 1.5, 2.5, 3.3, 7.9, 12.5, 47.2]


def nice(step: float) -> bool:
    mantissa = f"{step:.6e}".split("e")[0].rstrip("0").rstrip(".")
    return mantissa in ("1", "2", "5")


def check(ticks, base_y: float, top_y: float, peak: float) -> None:
    """Labels are numbers at equal nice steps from 0, each drawn where its value lies, the last
    at or above the peak."""
    values = [float(label.replace(",", "").rstrip("%")) for _, label in ticks]
    ys = [y for y, _ in ticks]
    assert values[0] == 0 and ys[0] == base_y and 2 <= len(values) <= 6, ticks
    top = values[-1]
    assert top >= peak - 1e-9, ticks
    steps = {round(b - a, 9) for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1 and nice(steps.pop()), ticks
    for y, v in zip(ys, values, strict=True):
        assert y == pytest.approx(base_y - v / top * (base_y - top_y), abs=0.01), ticks


@pytest.mark.parametrize("per", ["", "10k"])
def test_timeline_ticks_are_at_nice_values_drawn_where_they_are(app, per) -> None:
    peaks = MAXIMA if per == "" else FRACTIONS
    with app.test_request_context("/search?q=x"):
        for peak in peaks:
            if per == "10k":  # one year's rate: n paragraphs per 10,000 characters
                n, chars = 100, round(100 / peak * 10_000)
            else:
                n, chars = peak, 10_000
            results = SearchResults(
                query=SearchQuery(q="x"), total=n, reports=1, occurrences=n, hits=(),
                timeline=((2000, "甲", n), (2001, "乙", 1)),
            )  # fmt: skip
            t = timeline.build(results, {(2000, "甲"): chars, (2001, "乙"): 10**9}, per)
            value = max(bar.value for bar in t.bars)
            check(t.ticks, t.base_y, timeline.TOP, value)


def test_line_chart_ticks_are_at_nice_values_drawn_where_they_are() -> None:
    for peak in MAXIMA:
        chart = line_chart([("a", {2000: float(peak), 2001: 0.0})], [2000, 2001], True)
        check(chart.ticks, chart.base_y, 12, peak)
    for peak in FRACTIONS:
        chart = line_chart([("a", {2000: peak})], [2000], False, lambda v: f"{v:.3g}")
        check(chart.ticks, chart.base_y, 12, peak)
    share = line_chart([("a", {2000: 37.0})], [2000], False, lambda v: f"{v:.0f}%", top=100.0)
    check(share.ticks, share.base_y, 12, 37.0)


def test_the_search_page_labels_its_ticks_with_the_values_drawn(client) -> None:
    for q in ("最多跑一次", "改革", "人民"):
        page = client.get(f"/search?q={q}").get_data(as_text=True)
        ticks = re.findall(r'<text class="tick" x="[\d.]+" y="([\d.]+)"[^>]*>([^<]+)</text>', page)
        assert ticks, q
        drawn = [(float(y) - 4, label) for y, label in ticks]  # labels sit 4 px under the line
        check(drawn, drawn[0][0], timeline.TOP, 0)
