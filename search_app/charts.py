"""Geometry of the line charts of the trends and adoption pages (SVG drawn by the templates):
one line per series over consecutive years, broken where a year has no value (a gap, not a
zero), and the small inline bars of mentions per year."""

from __future__ import annotations

from dataclasses import dataclass

from search_app.timeline import _axis, tick_values

WIDTH, HEIGHT = 760, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 28, 12, 26


@dataclass(frozen=True)
class Line:
    series: int  # drawing class s<series>
    name: str
    runs: tuple[str, ...]  # SVG polyline points, one string per run of years with values
    dots: tuple[tuple[float, float, str], ...]  # (x, y, title) of every value


@dataclass(frozen=True)
class LineChart:
    lines: tuple[Line, ...]
    ticks: tuple[tuple[float, str], ...]  # (y, label)
    years: tuple[tuple[float, int], ...]  # (x, year) of the labelled years
    gaps: tuple[tuple[float, float], ...]  # (x, width) of the years without a value in any line
    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    base_y: float = HEIGHT - BOTTOM


def line_chart(
    series: list[tuple[str, dict[int, float]]],
    years: list[int],
    integers: bool,
    fmt=lambda v: f"{v:,.0f}",
    top: float | None = None,
) -> LineChart | None:
    """Lines over every year from the first to the last of `years`; a year missing from a
    series' values breaks its line. None when there is no year."""
    if not years:
        return None
    span = list(range(min(years), max(years) + 1))
    peak = max((v for _, values in series for v in values.values()), default=0.0)
    if top:
        _, step_v = _axis(top, integers)
    else:
        top, step_v = _axis(peak, integers)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(span) - 1) if len(span) > 1 else 0.0

    def x(year: int) -> float:
        return round(LEFT + (span.index(year) * step if len(span) > 1 else plot_w / 2), 2)

    def y(v: float) -> float:
        return round(HEIGHT - BOTTOM - v / top * plot_h, 2)

    lines = []
    for s, (name, values) in enumerate(series):
        runs, run, dots = [], [], []
        for year in span:
            if year not in values:
                if run:
                    runs.append(" ".join(run))
                run = []
                continue
            px, py = x(year), y(values[year])
            run.append(f"{px},{py}")
            dots.append((px, py, f"{name} · {year}年：{fmt(values[year])}"))
        if run:
            runs.append(" ".join(run))
        lines.append(Line(s, name, tuple(runs), tuple(dots)))
    present = {yr for _, values in series for yr in values}
    half = step / 2 if step else 10.0
    gaps = tuple((round(x(yr) - half, 2), round(2 * half, 2)) for yr in span if yr not in present)
    every = max(1, -(-len(span) // 14))
    labels = tuple((x(yr), yr) for i, yr in enumerate(span) if i % every == 0)
    ticks = tuple((y(v), fmt(v)) for v in tick_values(top, step_v) if v <= top)
    return LineChart(tuple(lines), ticks, labels, gaps)


@dataclass(frozen=True)
class Spark:
    bars: tuple[tuple[float, float, float, str], ...]  # (x, y, height, title)
    covered: tuple[tuple[float, str], ...]  # (x, title) of years with a report but no mention
    width: int
    height: int = 18


def sparkline(mentions: dict[int, int], years: tuple[int, ...], first: int, last: int) -> Spark:
    """Mentions per year as small bars over the years first..last of the whole table; a dot
    under a year with a report of the place but no mention."""
    span = max(1, last - first + 1)
    w = 6
    peak = max(mentions.values(), default=1) or 1
    bars = tuple(
        ((yr - first) * w, round(18 - max(2, n / peak * 16), 2), round(max(2, n / peak * 16), 2),
         f"{yr}年：{n} 次")
        for yr, n in sorted(mentions.items())
    )  # fmt: skip
    covered = tuple(
        ((yr - first) * w, f"{yr}年：有报告，未提及") for yr in years if yr not in mentions
    )
    return Spark(bars, covered, span * w)


COLOURS = (
    "#a4262c", "#2563eb", "#d97706", "#0f766e", "#7c3aed",
    "#db2777", "#4b5563", "#65a30d", "#0891b2", "#b45309",
)  # fmt: skip
# A downloaded chart carries its own style: the page's rules for .chart.lines, inline.
SVG_STYLE = (
    "svg{font-family:sans-serif;background:#fff}.grid{stroke:#e5e7eb;stroke-width:1}"
    ".tick,.year{fill:#6b7280;font-size:11px}.gap{fill:#f3f4f6}"
    ".line{stroke:currentColor;fill:none}polyline{fill:none;stroke-width:2}"
    ".line circle{fill:currentColor;stroke:#fff;stroke-width:1}"
    + "".join(f".line.s{i}{{color:{c}}}" for i, c in enumerate(COLOURS))
)
