"""Server-side SVG charts: a matrix (heat map or categorical) and grouped horizontal bars.

The charts need no JavaScript. Each SVG is ``role="img"`` with a ``<title>`` and ``<desc>``;
every mark carries its own ``<title>`` (a tooltip) and the pages print the same numbers in a
data table next to the chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from vawmw.rdf import namespaces
from vawmw.web.pages.layout import attr, esc

FONT: Final = 12
CHAR_WIDTH: Final = 6.8  # average advance of a 12 px sans-serif character, generously
INK: Final = "#1a1a1a"
MUTED: Final = "#595959"
GRID: Final = "#c8c8c8"
# Sequential blues (ColorBrewer), light to dark; the ink on each keeps contrast >= 4.5.
BLUES: Final = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
SERIES_COLORS: Final = ("#9ecae1", "#08519c", "#d95f02", "#1b7837")


def text_width(text: str, size: int = FONT) -> float:
    return len(text) * CHAR_WIDTH * size / FONT


def ink_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (#rrggbb)."""
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return INK if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def sequential(value: float, maximum: float) -> str:
    """The fill of ``value`` on the blues scale (0 gets the lightest shade)."""
    if maximum <= 0 or value <= 0:
        return BLUES[0]
    step = 1 + round((len(BLUES) - 2) * min(value / maximum, 1.0))
    return BLUES[step]


@dataclass(frozen=True)
class Cell:
    """One cell of a matrix: its text, fill and tooltip."""

    text: str
    fill: str
    title: str


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: a value (or None) per category."""

    name: str
    values: Sequence[float | None]
    color: str = SERIES_COLORS[1]


@dataclass(frozen=True)
class Chart:
    """What every chart has: an id (for its title/desc ids), a title and a description."""

    chart_id: str
    title: str
    desc: str
    legend: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (fill, text)


def _open(chart: Chart, width: float, height: float, kind: str, points: int) -> str:
    cid = attr(chart.chart_id)
    return (
        f'<svg xmlns="{namespaces.SVG}" class="chart chart-{attr(kind)}" '
        f'id="{cid}-svg" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'data-points="{points}" font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{cid}-title">{esc(chart.title)}</title>'
        f'<desc id="{cid}-desc">{esc(chart.desc)}</desc>'
    )


def _legend(items: Sequence[tuple[str, str]], x: float, y: float) -> tuple[str, float]:
    """A one-line legend; returns the SVG and its width."""
    parts = []
    cursor = x
    for fill, label in items:
        parts.append(
            f'<rect x="{cursor:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{attr(fill)}" '
            f'stroke="{GRID}"/><text x="{cursor + 16:.1f}" y="{y:.1f}" fill="{INK}">'
            f"{esc(label)}</text>"
        )
        cursor += 16 + text_width(label) + 18
    return "".join(parts), cursor - x


def matrix_svg(
    chart: Chart,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[int, int], Cell],
    empty: Cell,
    *,
    cell_width: int = 40,
    cell_height: int = 20,
) -> str:
    """A matrix with a row per ``rows`` item and rotated column labels."""
    angle = math.radians(40)
    left = max((text_width(r) for r in rows), default=0) + 12
    column_label = max((text_width(c) for c in columns), default=0)
    legend_height = 26 if chart.legend else 0
    top = legend_height + column_label * math.sin(angle) + 14
    width = left + cell_width * len(columns) + column_label * math.cos(angle) + 12
    legend, legend_width = _legend(chart.legend, left, 16)
    width = max(width, left + legend_width + 8)
    height = top + cell_height * len(rows) + 8
    out = [_open(chart, width, height, "matrix", len(cells))]
    if chart.legend:
        out.append(f'<g class="legend">{legend}</g>')
    out.append('<g class="column-labels">')
    for j, name in enumerate(columns):
        x = left + cell_width * j + cell_width / 2
        y = top - 6
        out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate(-40 {x:.1f} {y:.1f})" '
            f'fill="{INK}">{esc(name)}</text>'
        )
    out.append('</g><g class="row-labels">')
    for i, name in enumerate(rows):
        y = top + cell_height * i + cell_height / 2 + 4
        out.append(
            f'<text x="{left - 8:.1f}" y="{y:.1f}" text-anchor="end" fill="{INK}">'
            f"{esc(name)}</text>"
        )
    out.append('</g><g class="cells">')
    for i in range(len(rows)):
        for j in range(len(columns)):
            cell = cells.get((i, j), empty)
            x = left + cell_width * j
            y = top + cell_height * i
            filled = "cell" if (i, j) in cells else "cell cell-empty"
            out.append(
                f'<g class="{filled}"><title>{esc(cell.title)}</title>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_width}" height="{cell_height}" '
                f'fill="{attr(cell.fill)}" stroke="#ffffff"/>'
            )
            if cell.text:
                out.append(
                    f'<text x="{x + cell_width / 2:.1f}" y="{y + cell_height / 2 + 4:.1f}" '
                    f'text-anchor="middle" fill="{ink_on(cell.fill)}">{esc(cell.text)}</text>'
                )
            out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``maximum``."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(ticks[-1] + step)
    return ticks


def _format(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_svg(
    chart: Chart,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    plot_width: int = 420,
    bar_height: int = 16,
) -> str:
    """Grouped horizontal bars: one group per category, one bar per series."""
    left = max((text_width(c) for c in categories), default=0) + 14
    legend_height = 28 if len(series) > 1 or chart.legend else 0
    top = legend_height + 22
    group = bar_height * len(series) + 10
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=0))
    scale = plot_width / ticks[-1]
    items = list(chart.legend) or [(s.color, s.name) for s in series]
    legend, legend_width = _legend(items, left, 16)
    width = max(left + plot_width + 60, left + legend_width + 8)
    height = top + group * len(categories) + 10
    points = len(values)
    out = [_open(chart, width, height, "bars", points)]
    if legend_height:
        out.append(f'<g class="legend">{legend}</g>')
    out.append('<g class="axis">')
    for tick in ticks:
        x = left + tick * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" y2="{height - 8:.1f}" '
            f'stroke="{GRID}"/><text x="{x:.1f}" y="{top - 8:.1f}" text-anchor="middle" '
            f'fill="{MUTED}">{esc(_format(tick))}</text>'
        )
    out.append("</g>")
    for i, name in enumerate(categories):
        y0 = top + group * i + 4
        out.append(
            f'<text x="{left - 8:.1f}" y="{y0 + group / 2:.1f}" text-anchor="end" '
            f'fill="{INK}">{esc(name)}</text>'
        )
        for k, one in enumerate(series):
            value = one.values[i] if i < len(one.values) else None
            y = y0 + bar_height * k
            if value is None:
                out.append(
                    f'<text x="{left + 4:.1f}" y="{y + bar_height - 4:.1f}" fill="{MUTED}" '
                    f'class="no-value">no figure ({esc(one.name)})</text>'
                )
                continue
            length = max(value * scale, 1.0)
            out.append(
                f'<g class="bar"><title>{esc(name)} — {esc(one.name)}: {esc(_format(value))}'
                f'</title><rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" '
                f'height="{bar_height - 2}" fill="{attr(one.color)}"/>'
                f'<text x="{left + length + 4:.1f}" y="{y + bar_height - 4:.1f}" fill="{INK}">'
                f"{esc(_format(value))}</text></g>"
            )
    out.append("</svg>")
    return "".join(out)
