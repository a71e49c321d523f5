"""Charts of an answer's figures that read right: units on the axis, year and kind in every label,
every value printed, a note when the compared documents are not alike.

A comparison of bodies or items is a horizontal bar chart; the same item of one body over several
years is a line chart. Charts are inline SVG: they live inside the chat message next to the
evidence, need no script, and their text stays text (searchable, copyable, in the page's own CJK
font). Values that differ by orders of magnitude keep their printed labels, so a bar too short to
see still says what it is, and a note says the scale hides it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

WIDE_RATIO = 20  # max/min beyond which short bars are called out
MONEY = {"万元": 1.0, "元": 0.0001}


@dataclass
class Point:
    label: str  # what the value is (body, item), shown beside the bar
    detail: str  # year and kind of its document, shown under the label
    value: float


@dataclass
class Chart:
    kind: str  # bar / line
    unit: str
    points: list[Point]
    notes: list[str] = field(default_factory=list)


@dataclass
class Measured:
    """One figure as a chart sees it: its document's identity and the item it measures."""
    value: float
    unit: str
    body: str
    year: int | None
    kind: str  # 预算 / 决算
    scope: str  # 部门 / 单位
    item: str


def chart_for(figures: list[Measured]) -> Chart | None:
    """The chart these figures call for, or None (fewer than two comparable amounts)."""
    figures = _same_unit(figures)
    if figures is None or len(figures) < 2:
        return None
    unit = figures[0].unit
    bodies = {f.body for f in figures}
    items = {f.item for f in figures}
    years = {f.year for f in figures}
    notes = []
    kinds = sorted({f.kind for f in figures if f.kind})
    scopes = sorted({f.scope for f in figures if f.scope})
    if len(kinds) > 1:
        notes.append(f"注意：比较的文件类型不同（{'、'.join(kinds)}）：预算是计划数，决算是实际执行数。")
    if len(scopes) > 1:
        notes.append(f"注意：比较的文件范围不同（{'、'.join(s + '预算' for s in scopes)}）：部门预算含所属单位，单位预算只含本单位。")
    if len(bodies) == 1 and len(items) == 1 and len(years) == len(figures) and None not in years:
        points = [Point(f"{f.year}年", _kind(f), f.value) for f in sorted(figures, key=lambda f: f.year)]
        return Chart("line", unit, points, notes)
    if len(years) > 1 and None not in years:
        notes.insert(0, f"注意：比较的文件年度不同（{'、'.join(f'{y}年' for y in sorted(years))}）。")
    points = []
    for f in figures:
        when = f"{f.year}年{_kind(f)}" if f.year else _kind(f)
        if len(bodies) > 1:
            label, detail = f.body, " · ".join(x for x in (f.item if len(items) > 1 else "", when) if x)
        else:
            label, detail = (f.item if len(items) > 1 else f.body) or f.body, when
        points.append(Point(label, detail, f.value))
    positive = [abs(p.value) for p in points if p.value]
    if len(positive) > 1 and max(positive) / min(positive) > WIDE_RATIO:
        notes.append(f"数值相差悬殊（最大约为最小的 {max(positive) / min(positive):,.0f} 倍）：条形按同一比例绘制，"
                     "较短的条形以所标数值为准。")
    return Chart("bar", unit, points, notes)


def _kind(f: Measured) -> str:
    return f"{f.scope or ''}{f.kind or ''}"


def _same_unit(figures: list[Measured]) -> list[Measured] | None:
    """All in one unit (元 converted to 万元 when both occur), duplicates dropped; None if units differ."""
    units = {f.unit for f in figures}
    if len(units) > 1:
        if not units <= set(MONEY):
            return None
        figures = [Measured(f.value * MONEY[f.unit], "万元", f.body, f.year, f.kind, f.scope, f.item) for f in figures]
    seen, out = set(), []
    for f in figures:
        key = (f.body, f.year, f.kind, f.scope, f.item, round(f.value, 6))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# ---- drawing -----------------------------------------------------------------------------------

FONT = 'font-family="sans-serif"'
BAR_COLOUR = "#3b6fb6"


def svg(chart: Chart) -> str:
    return _line_svg(chart) if chart.kind == "line" else _bar_svg(chart)


def _fmt(value: float) -> str:
    return f"{value:,.2f}"


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= step * m)
    start = math.floor(low / step) * step
    ticks, t = [], start
    while t <= high + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x, y, content: str, size: int = 13, anchor: str = "start", colour: str = "#222", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" {FONT}'
            f'{extra}>{escape(content)}</text>')


def _bar_svg(chart: Chart) -> str:
    width, label_w, value_w, row_h, top = 760, 270, 120, 46, 12
    plot_w = width - label_w - value_w
    values = [p.value for p in chart.points]
    ticks = _ticks(min(0.0, *values), max(0.0, *values))
    low, high = ticks[0], ticks[-1]
    scale = plot_w / ((high - low) or 1.0)
    zero_x = label_w + (0 - low) * scale
    height = top + row_h * len(chart.points) + 52
    parts = [f'<svg class="bq-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
    axis_y = top + row_h * len(chart.points) + 4
    for t in ticks:
        x = label_w + (t - low) * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="#e3e3e3"/>')
        parts.append(_text(x, axis_y + 16, f"{t:,.0f}" if abs(high - low) >= 10 else f"{t:,.2f}", 11, "middle",
                           "#555"))
    parts.append(_text(label_w + plot_w / 2, axis_y + 36, f"金额（{chart.unit}）", 12, "middle", "#333"))
    for k, p in enumerate(chart.points):
        y = top + k * row_h
        length = abs(p.value) * scale
        x = zero_x if p.value >= 0 else zero_x - length
        shown = max(length, 3.0)  # a value too small for the scale still shows a stub
        parts.append(f'<rect x="{x:.1f}" y="{y + 9}" width="{shown:.1f}" height="{row_h - 18}" fill="{BAR_COLOUR}">'
                     f'<title>{escape(p.label)} {escape(p.detail)}：{_fmt(p.value)} {escape(chart.unit)}</title></rect>')
        parts.append(_text(label_w - 8, y + 20, _cut(p.label, 20), 13, "end"))
        parts.append(_text(label_w - 8, y + 36, _cut(p.detail, 26), 11, "end", "#666"))
        parts.append(_text(max(x + shown, zero_x) + 6, y + row_h / 2 + 5, f"{_fmt(p.value)} {chart.unit}", 13,
                           extra=' font-weight="bold"'))
    parts.append(f'<line x1="{zero_x:.1f}" y1="{top}" x2="{zero_x:.1f}" y2="{axis_y}" stroke="#888"/>')
    parts.append("</svg>")
    return "".join(parts)


def _line_svg(chart: Chart) -> str:
    width, left, right, top, plot_h = 760, 90, 40, 30, 200
    plot_w = width - left - right
    values = [p.value for p in chart.points]
    ticks = _ticks(min(0.0, *values), max(values))
    low, high = ticks[0], ticks[-1]
    scale = plot_h / ((high - low) or 1.0)
    n = len(chart.points)
    xs = [left + (plot_w * (k + 0.5) / n) for k in range(n)]
    ys = [top + plot_h - (v - low) * scale for v in values]
    height = top + plot_h + 58
    parts = [f'<svg class="bq-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for t in ticks:
        y = top + plot_h - (t - low) * scale
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(_text(left - 8, y + 4, f"{t:,.0f}" if abs(high - low) >= 10 else f"{t:,.2f}", 11, "end", "#555"))
    parts.append(_text(left - 8, top - 12, f"金额（{chart.unit}）", 12, "end", "#333"))
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2.5"/>')
    for x, y, p in zip(xs, ys, chart.points):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{BAR_COLOUR}"/>')
        parts.append(_text(x, y - 10, f"{_fmt(p.value)} {chart.unit}", 13, "middle", extra=' font-weight="bold"'))
        parts.append(_text(x, top + plot_h + 20, p.label, 13, "middle"))
        parts.append(_text(x, top + plot_h + 37, p.detail, 11, "middle", "#666"))
    parts.append("</svg>")
    return "".join(parts)
