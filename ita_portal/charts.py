"""Accessible SVG charts drawn on the server: a line chart, a grouped bar chart and stacked (status) bars.

Each function returns a `Chart`: the SVG (with <title>, <desc>, role="img" and aria-labelledby) and the same
figures as table headers and rows, which the template prints beside the chart (ita_portal/_chart.html). Used by the dashboards and the
assessment pages alike, so it lives below both.
No JavaScript, no fonts of its own: text inherits the page font, and the SVG scales to its container and
prints as vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ita_portal.thai import DIGITS_ARABIC, format_decimal, format_integer

# Colours that stay apart in greyscale print too (dark → light), with a text label on every mark.
PALETTE = ("#1f4e79", "#e07b00", "#2e7d32", "#8e2424", "#6a4c93", "#5f6b73")
STATUS_COLOURS = {
    "done": "#2e7d32",
    "in_progress": "#1f63c6",
    "not_started": "#8a939b",
    "cancelled": "#343a40",
}


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # Optional link for each table row (the filtered list behind the figure); same length as rows or empty.
    row_links: list[str | None] = field(default_factory=list)

    @property
    def table_rows(self):
        links = self.row_links or [None] * len(self.rows)
        return list(zip(self.rows, links, strict=False))


def _num(value, places: int = 2) -> str:
    if value is None:
        return "–"
    return format_decimal(value, places, DIGITS_ARABIC)


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'class="ita-chart" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        # Text and lines (classes axis, grid, ref, on-bar) are styled by static/css/portal.css
        # (svg.ita-chart …): the pages' Content Security Policy allows no <style> or style="" here.
    ]


def _y_axis(parts: list[str], left: int, top: int, plot_w: int, plot_h: int, y_max: float, ticks=5) -> None:
    for i in range(ticks + 1):
        value = y_max * i / ticks
        y = top + plot_h - plot_h * i / ticks
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{format_integer(round(value), DIGITS_ARABIC)}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')


def _plot(chart_id, title, description, height, margins, y_max) -> tuple[list[str], tuple[int, int, int, int]]:
    """An SVG 640 wide with a y axis from 0 to y_max inside the margins (left, top, right, bottom).
    Returns the SVG's parts so far and the plot area (left, top, width, height)."""
    width = 640
    left, top, right, bottom = margins
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open_svg(chart_id, title, description, width, height)
    _y_axis(parts, left, top, plot_w, plot_h, y_max)
    return parts, (left, top, plot_w, plot_h)


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, Decimal | None, str]],
    *,
    y_max: float = 100,
    reference: tuple[Decimal, str] | None = None,
    value_header: str = "",
    note_header: str = "",
    label_header: str = "",
) -> Chart:
    """One series over ordered labels (years): points are (label, value or None, note such as the level)."""
    parts, (left, top, plot_w, plot_h) = _plot(chart_id, title, description, 300, (48, 24, 24, 52), y_max)
    count = max(len(points), 1)
    step = plot_w / count

    def y_of(value):
        return top + plot_h - plot_h * min(float(value), y_max) / y_max

    if reference is not None:
        ref_y = y_of(reference[0])
        parts.append(f'<line class="ref" x1="{left}" y1="{ref_y:.1f}" x2="{left + plot_w}" y2="{ref_y:.1f}"/>')
        # Its label is a legend above the plot, where no point's label can fall on it.
        legend_x = left + plot_w
        parts.append(f'<line class="ref" x1="{legend_x - 130}" y1="{top - 12}" x2="{legend_x - 104}" y2="{top - 12}"/>')
        parts.append(f'<text x="{legend_x - 98}" y="{top - 8}" text-anchor="start">{escape(reference[1])}</text>')
    coords = []
    for index, (label, value, note) in enumerate(points):
        x = left + step * (index + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle">{escape(label)}</text>')
        if value is None:
            continue
        coords.append((x, y_of(value), value, note))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="3"/>')
    for x, y, value, note in coords:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" font-weight="bold">{_num(value)}</text>')
        if note:
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 40}" text-anchor="middle">{escape(note)}</text>')
    parts.append("</svg>")
    rows = [[label, _num(value), note or "–"] for label, value, note in points]
    return Chart(chart_id, title, description, mark_safe("".join(parts)), [label_header, value_header, note_header], rows)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    y_max: float = 100,
    category_header: str = "",
    category_names: Sequence[str] | None = None,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series (e.g. last year, this year)."""
    parts, (left, top, plot_w, plot_h) = _plot(chart_id, title, description, 320, (48, 36, 16, 40), y_max)
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for s_index, (name, _) in enumerate(series):  # legend
        lx = left + s_index * 160
        parts.append(f'<rect x="{lx}" y="6" width="14" height="14" fill="{PALETTE[s_index % len(PALETTE)]}"/>')
        parts.append(f'<text x="{lx + 20}" y="18">{escape(name)}</text>')
    for c_index, category in enumerate(categories):
        gx = left + group_w * c_index + group_w * 0.1
        for s_index, (_, values) in enumerate(series):
            value = values[c_index]
            if value is None:
                continue
            bar_h = plot_h * min(float(value), y_max) / y_max
            x = gx + bar_w * s_index
            y = top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}"/>'
            )
            if bar_w >= 22:
                parts.append(
                    f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                    f'font-size="10">{format_integer(round(float(value)), DIGITS_ARABIC)}</text>'
                )
        parts.append(
            f'<text x="{left + group_w * (c_index + 0.5):.1f}" y="{top + plot_h + 20}" text-anchor="middle">'
            f"{escape(category)}</text>"
        )
    parts.append("</svg>")
    names = category_names or categories
    rows = [[names[i]] + [_num(values[i]) for _, values in series] for i in range(len(categories))]
    headers = [category_header] + [name for name, _ in series]
    return Chart(chart_id, title, description, mark_safe("".join(parts)), headers, rows)


def stacked_bars(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    segments: Sequence[tuple[str, str]],
    *,
    row_header: str = "",
    total_header: str = "",
    row_links: Sequence[str | None] = (),
) -> Chart:
    """Horizontal 100 % bars, one per row (a department, a round…), split into segments (statuses).

    `segments` are (key, label); each row gives one count per segment in the same order.
    """
    width = 640
    height = STACK_TOP + STACK_ROW_H * max(len(rows), 1) + 8
    parts = _open_svg(chart_id, title, description, width, height)
    colours = [STATUS_COLOURS.get(key, PALETTE[index % len(PALETTE)]) for index, (key, _label) in enumerate(segments)]
    _stacked_legend(parts, [label for _key, label in segments], colours)
    for index, (label, counts) in enumerate(rows):
        _stacked_row(parts, STACK_TOP + index * STACK_ROW_H, label, counts, colours, width - STACK_BAR_LEFT - 16)
    parts.append("</svg>")
    headers = [row_header] + [label for _, label in segments] + [total_header]
    return Chart(
        chart_id, title, description, mark_safe("".join(parts)), headers, _stacked_table(rows), list(row_links)
    )


STACK_LABEL_W, STACK_BAR_LEFT, STACK_ROW_H, STACK_TOP = 170, 180, 34, 34


def _stacked_legend(parts: list[str], labels: Sequence[str], colours: Sequence[str]) -> None:
    x = 0
    for label, colour in zip(labels, colours, strict=True):
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="18">{escape(label)}</text>')
        x += 24 + 13 * len(label) // 2 + 30


def _stacked_row(parts: list[str], y: int, label: str, counts: Sequence[int], colours, bar_w: int) -> None:
    """One bar: its label on the left, then a segment per non-zero count, each with its figure if it fits."""
    short = label if len(label) <= 22 else label[:21] + "…"
    parts.append(f'<text x="{STACK_LABEL_W}" y="{y + 20}" text-anchor="end">{escape(short)}</text>')
    total = sum(counts)
    if total == 0:
        parts.append(f'<rect x="{STACK_BAR_LEFT}" y="{y + 4}" width="{bar_w}" height="22" fill="none" class="axis"/>')
        return
    x = float(STACK_BAR_LEFT)
    for count, colour in zip(counts, colours, strict=True):
        if not count:
            continue
        seg_w = bar_w * count / total
        parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{seg_w:.1f}" height="22" fill="{colour}"/>')
        if seg_w >= 24:
            parts.append(
                f'<text x="{x + seg_w / 2:.1f}" y="{y + 20}" text-anchor="middle" class="on-bar" '
                f'font-weight="bold">{format_integer(count, DIGITS_ARABIC)}</text>'
            )
        x += seg_w


def _stacked_table(rows: Sequence[tuple[str, Sequence[int]]]) -> list[list[str]]:
    """The figures beside the bars: each count with its share of the row, and the row's total."""
    table_rows = []
    for label, counts in rows:
        total = sum(counts)
        cells = [label]
        for count in counts:
            share = f" ({_num(Decimal(count) * 100 / total, 0)}%)" if total and count else ""
            cells.append(f"{format_integer(count, DIGITS_ARABIC)}{share}")
        cells.append(format_integer(total, DIGITS_ARABIC))
        table_rows.append(cells)
    return table_rows
