"""The timeline above the results: matching paragraphs per year, stacked by district when
several match (the top few named, the rest as 其他), or per 10,000 characters of that year's
reports in the search's filters. Geometry is computed here; templates/_timeline.html draws it
as SVG and a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from search.results import SearchResults
from search_app.urls import SEARCH, search_url, year_url

TOP_DISTRICTS = 6
OTHER = "其他"
WIDTH, HEIGHT = 760, 190
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 24
MAX_BAR = 36


@dataclass(frozen=True)
class Segment:
    series: int  # index into Timeline.series; drawing class s<series>
    name: str
    count: int
    value: float
    y: float
    h: float


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    value: float
    url: str
    x: float
    w: float
    slot_x: float  # the clickable slot around the bar
    slot_w: float
    segments: tuple[Segment, ...]
    title: str
    chars: int = 0  # characters of the year's reports in the search's filters: the divisor


@dataclass(frozen=True)
class Timeline:
    bars: tuple[Bar, ...]
    series: tuple[str, ...]  # legend, in stacking order (bottom first)
    per: str
    ticks: tuple[tuple[float, str], ...]  # (y, label)
    unit: str
    per_urls: dict[str, str]
    width: int = WIDTH
    height: int = HEIGHT
    base_y: float = HEIGHT - BOTTOM
    left: float = LEFT
    focus: tuple[float, float] | None = None  # x range of the bars with hits: opened on a phone

    @property
    def label_every(self) -> int:
        """Label every n-th year so the axis labels never overlap."""
        return max(1, math.ceil(len(self.bars) / 16))


def build(
    results: SearchResults, chars: dict[tuple[int, str], int], per: str = "", target=SEARCH
) -> Timeline | None:
    """The timeline of `results`, or None when nothing matched in a dated report."""
    rows = results.timeline
    if not rows:
        return None
    query = results.query
    ranked = _rank_districts(rows)
    named = ranked[:TOP_DISTRICTS] if len(ranked) > TOP_DISTRICTS + 1 else ranked
    series = tuple(d or "地区不详" for d in named) + ((OTHER,) if len(named) < len(ranked) else ())
    index = {d: i for i, d in enumerate(named)}
    years = sorted({y for y, _ in chars} | {y for y, _, _ in rows})
    years = list(range(years[0], years[-1] + 1))
    counts: dict[int, list[int]] = {y: [0] * len(series) for y in years}
    for year, district, n in rows:
        counts[year][index.get(district, len(series) - 1)] += n
    year_chars = {y: 0 for y in years}
    for (y, _), c in chars.items():  # already only the reports in the search's filters
        year_chars[y] += c

    def scale(n: int, year: int) -> float:
        if per != "10k":
            return float(n)
        return n / year_chars[year] * 10_000 if year_chars[year] else 0.0

    top, step_v = _axis(max(sum(scale(n, y) for n in counts[y]) for y in years), per != "10k")
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / len(years)
    bars = []
    for i, year in enumerate(years):
        y0, segs = float(HEIGHT - BOTTOM), []
        for s, n in enumerate(counts[year]):
            if n:
                v = scale(n, year)
                h = v / top * plot_h
                y0 -= h
                segs.append(Segment(s, series[s], n, v, round(y0, 2), round(h, 2)))
        total = sum(counts[year])
        value = sum(seg.value for seg in segs)
        w = min(step * 0.7, MAX_BAR)
        bars.append(
            Bar(
                year=year,
                count=total,
                value=value,
                url=year_url(query, year, per, target),
                x=round(LEFT + i * step + (step - w) / 2, 2),
                w=round(w, 2),
                slot_x=round(LEFT + i * step, 2),
                slot_w=round(step, 2),
                segments=tuple(segs),
                title=_title(year, total, value, segs, per, len(series) > 1),
                chars=year_chars[year],
            )
        )
    ticks = tuple(
        (round(HEIGHT - BOTTOM - v / top * plot_h, 2), _fmt(v, per))
        for v in tick_values(top, step_v)
    )
    hit = [b for b in bars if b.count]
    return Timeline(
        focus=(hit[0].slot_x, hit[-1].slot_x + hit[-1].slot_w) if hit else None,
        bars=tuple(bars),
        series=series,
        per=per,
        ticks=ticks,
        unit="每万字段数（匹配段落数 ÷ 筛选范围内报告字数 × 10,000）"
        if per == "10k"
        else "匹配段落数",
        per_urls={"": search_url(query, "", target), "10k": search_url(query, "10k", target)},
    )


def _rank_districts(rows) -> list[str]:
    totals: dict[str, int] = {}
    for _, district, n in rows:
        totals[district] = totals.get(district, 0) + n
    return sorted(totals, key=lambda d: (-totals[d], d))


def _axis(v: float, integers: bool) -> tuple[float, float]:
    """(top, step) of a value axis over 0..v: a step of 1, 2 or 5 × 10^k giving at most four
    intervals (whole numbers when counting), and the top a multiple of it."""
    if v <= 0:
        return 1.0, 1.0
    raw = v / 4
    exp = 10 ** math.floor(math.log10(raw))
    step = next(m * exp for m in (1, 2, 5, 10) if m * exp >= raw)
    if integers:
        step = max(1, round(step))
    return math.ceil(v / step - 1e-9) * step, step


def tick_values(top: float, step: float) -> tuple[float, ...]:
    """0, step, 2·step … top: every tick at a value the axis can label exactly."""
    n = round(top / step)
    return tuple(round(i * step, 12) for i in range(n + 1))


def _fmt(v: float, per: str) -> str:
    if per != "10k":
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _title(year: int, total: int, value: float, segs, per: str, split: bool) -> str:
    head = f"{year}年：{total} 段"
    if per == "10k":
        head += f"，每万字 {_fmt(value, per)} 段（筛选范围内报告）"
    if split and segs:
        head += "（" + "，".join(f"{s.name} {s.count}" for s in reversed(segs)) + "）"
    return head
