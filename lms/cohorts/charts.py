"""Charts drawn on the server as SVG: no script, no library, nothing fetched from elsewhere.

Each function takes plain values and returns markup ready to place in a page. Every chart is
an image with a title and a description for screen readers; the page beside it carries the
same numbers as a table. Colours never carry meaning alone: stacked bars name each stage's key
inside any segment wide enough, and every segment has a tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from math import ceil

from markupsafe import Markup, escape

from lms.cohorts.standing import Stage

INK, MUTED, LINE, BRAND = "#1b1f24", "#4a5260", "#c9d0da", "#0b5cad"

# (fill, text colour) per stage, also used for the matrix cells in static/css/site.css: every
# pair passes WCAG AA (4.5:1) for the key written on the fill.
STAGE_COLOURS: dict[Stage, tuple[str, str]] = {
    Stage.NOT_STARTED: ("#e9ecf0", INK),
    Stage.IN_PROGRESS: ("#ffd966", INK),
    Stage.KNOWLEDGE_CHECK_PASSED: ("#9cc3ef", INK),
    Stage.AWAITING_MARKING: ("#c7b3e5", INK),
    Stage.NOT_YET_COMPETENT: ("#f4a29a", INK),
    Stage.COMPETENT: ("#8fd19e", INK),
    Stage.CERTIFIED: ("#1d6b35", "#ffffff"),
}

WIDTH = 640
FONT = 'font-size="13"'


@dataclass(frozen=True)
class Point:
    day: date
    percent: float  # 0 to 100
    label: str  # what the tooltip says, e.g. "12 of 40 complete"


def completion_chart(points: Sequence[Point], *, chart_id: str, title: str, desc: str) -> Markup:
    """A line of the share complete per day, 0 to 100 %, with dated ticks; nothing for no days."""
    if not points:
        return Markup("")
    height, left, right, top, bottom = 260, 48, 56, 16, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    def y(percent: float) -> float:
        return top + plot_h * (1 - percent / 100)

    parts = [_open(chart_id, height, title, desc)]
    for percent in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(percent):.1f}" y2="{y(percent):.1f}"'
            f' stroke="{LINE}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(percent) + 4:.1f}" text-anchor="end" fill="{MUTED}"'
            f" {FONT}>{percent}%</text>"
        )
    for point in _ticks(points):
        parts.append(
            f'<line x1="{x(point.day):.1f}" x2="{x(point.day):.1f}" y1="{top + plot_h}"'
            f' y2="{top + plot_h + 5}" stroke="{MUTED}"/>'
            f'<text x="{x(point.day):.1f}" y="{top + plot_h + 20}" text-anchor="middle"'
            f' fill="{MUTED}" {FONT}>{_day(point.day)}</text>'
        )
    coordinates = " ".join(f"{x(p.day):.1f},{y(p.percent):.1f}" for p in points)
    base = f"{x(last):.1f},{y(0):.1f} {x(first):.1f},{y(0):.1f}"
    parts.append(f'<polygon class="chart-area" points="{coordinates} {base}" fill="#e1ebf7"/>')
    parts.append(
        f'<polyline class="chart-line" points="{coordinates}" fill="none" stroke="{BRAND}"'
        ' stroke-width="2.5" stroke-linejoin="round"/>'
    )
    if len(points) <= 31:  # a marker per day while they do not crowd each other
        for p in points:
            parts.append(
                f'<circle cx="{x(p.day):.1f}" cy="{y(p.percent):.1f}" r="3.5" fill="{BRAND}">'
                f"<title>{escape(_day(p.day))}: {p.percent:.0f}% ({escape(p.label)})</title>"
                "</circle>"
            )
    end = points[-1]
    parts.append(
        f'<text x="{x(last) + 6:.1f}" y="{y(end.percent) + 4:.1f}" fill="{INK}" {FONT}'
        f' font-weight="700">{end.percent:.0f}%</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it is escaped)


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. the module's code
    name: str  # what the tooltips call it, e.g. the module's title
    counts: Mapping[Stage, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent_complete(self) -> int:
        done = sum(count for stage, count in self.counts.items() if stage.complete)
        return round(100 * done / self.total) if self.total else 0


def stage_bars(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str) -> Markup:
    """One bar per module, split by how many learners stand at each stage, in stage order."""
    row, gap, top, left, right = 28, 12, 8, 64, 112
    height = top + len(bars) * (row + gap)
    bar_w = WIDTH - left - right
    parts = [_open(chart_id, height, title, desc)]
    for index, bar in enumerate(bars):
        y = top + index * (row + gap)
        middle = y + row / 2 + 4.5
        parts.append(
            f'<text x="{left - 8}" y="{middle:.1f}" text-anchor="end" fill="{INK}" {FONT}'
            f' font-weight="700">{escape(bar.label)}</text>'
        )
        parts.append(f'<g class="bar" data-label="{escape(bar.label)}">')
        offset = float(left)
        for stage in Stage:
            count = bar.counts.get(stage, 0)
            if not count:
                continue
            width = bar_w * count / bar.total
            fill, ink = STAGE_COLOURS[stage]
            parts.append(
                f'<rect class="segment" data-stage="{stage.value}" x="{offset:.1f}" y="{y}"'
                f' width="{width:.1f}" height="{row}" fill="{fill}" stroke="#ffffff">'
                f"<title>{escape(bar.name)}: {count} of {bar.total} {escape(stage.label)}</title>"
                "</rect>"
            )
            if width >= 9 * len(stage.short) + 8:
                parts.append(
                    f'<text x="{offset + width / 2:.1f}" y="{middle:.1f}" text-anchor="middle"'
                    f' fill="{ink}" {FONT} aria-hidden="true">{escape(stage.short)}</text>'
                )
            offset += width
        parts.append("</g>")
        parts.append(
            f'<rect x="{left}" y="{y}" width="{bar_w}" height="{row}" fill="none"'
            ' stroke="#6b7380"/>'
            f'<text x="{left + bar_w + 8}" y="{middle:.1f}" fill="{INK}" {FONT}>'
            f"{bar.percent_complete}% complete</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it is escaped)


def _open(chart_id: str, height: int, title: str, desc: str) -> str:
    ids = f"{chart_id}-title {chart_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" id="{escape(chart_id)}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{escape(ids)}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )


def _ticks(points: Sequence[Point], most: int = 6) -> list[Point]:
    """Up to `most` points to label at a steady interval from the first; the last is always
    labelled, in place of a regular tick too close to it."""
    if len(points) <= most:
        return list(points)
    step = ceil((len(points) - 1) / (most - 1))
    chosen = list(points[::step])
    if chosen[-1] is not points[-1]:
        if len(points) - 1 - (len(chosen) - 1) * step <= step / 2:
            chosen.pop()
        chosen.append(points[-1])
    return chosen


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"
