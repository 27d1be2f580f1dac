"""The cohort charts, drawn on the server as SVG and read back as XML: a point per day, a bar
segment per stage present, a title and a description, text escaped, colours that pass AA; and
on the progress page, the charts move when a learner completes a module."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms import PROJECT_ROOT
from lms.cohorts import charts
from lms.cohorts.charts import STAGE_COLOURS, Bar, Point
from lms.cohorts.standing import Stage
from lms.extensions import db
from tests.certificates.certificate_steps import certified
from tests.cohorts.progress_world import NOW, START, People, people, two_module_world
from tests.marking.conftest import assessor, moderator
from tests.marking.marking_steps import as_user

__all__ = ["assessor", "moderator", "people", "two_module_world"]

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (markup this app drew)


def line_points(svg: ET.Element) -> list[tuple[float, float]]:
    line = svg.find(f"{SVG}polyline[@class='chart-line']")
    assert line is not None
    return [tuple(map(float, pair.split(","))) for pair in line.attrib["points"].split()]  # type: ignore[misc]


def days(count: int, percents: list[float] | None = None) -> list[Point]:
    values = percents or [100 * n / max(count - 1, 1) for n in range(count)]
    return [
        Point(START + timedelta(days=n), value, f"{n} of {count - 1}")
        for n, value in enumerate(values)
    ]


def test_the_completion_chart_draws_a_point_per_day_with_title_and_description() -> None:
    """Nine days give nine points (and nine markers with tooltips), from 0 % at the bottom
    to 100 % at the top, with the latest figure written at the end."""
    svg = parse(charts.completion_chart(days(9), chart_id="c", title="January", desc="Rising"))

    assert svg.tag == f"{SVG}svg" and svg.attrib["role"] == "img"
    assert svg.attrib["aria-labelledby"] == "c-title c-desc"
    assert [(child.tag, child.attrib["id"], child.text) for child in list(svg)[:2]] == [
        (f"{SVG}title", "c-title", "January"),
        (f"{SVG}desc", "c-desc", "Rising"),
    ]
    points = line_points(svg)
    assert len(points) == 9
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    assert points[0][1] > points[-1][1]  # SVG's y grows downwards: 0 % lies below 100 %
    markers = svg.findall(f"{SVG}circle")
    assert len(markers) == 9
    assert markers[4].findtext(f"{SVG}title") == "27 Nov: 50% (4 of 8)"
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts[-1] == "100%"
    assert {"0%", "50%", "100%"} <= set(texts)


def test_a_long_series_keeps_its_points_but_labels_only_a_few_days() -> None:
    """Sixty days: sixty points, no crowd of markers, six dated ticks from first to last."""
    svg = parse(charts.completion_chart(days(60), chart_id="c", title="T", desc="D"))

    assert len(line_points(svg)) == 60
    assert svg.findall(f"{SVG}circle") == []
    dated = [t.text for t in svg.iter(f"{SVG}text") if t.text and not t.text.endswith("%")]
    assert len(dated) == 6 and dated[0] == "23 Nov" and dated[-1] == "21 Jan"


def test_a_single_day_is_drawn_and_no_day_draws_nothing() -> None:
    assert (
        len(line_points(parse(charts.completion_chart(days(1), chart_id="c", title="T", desc="D"))))
        == 1
    )
    assert charts.completion_chart([], chart_id="c", title="T", desc="D") == ""


def test_the_stage_bars_have_a_segment_per_stage_present_in_stage_order() -> None:
    """Segments follow the stages' order, their widths share the bar by count, each has a
    tooltip, and the share complete is written beside the bar."""
    bars = [
        Bar(
            "A1", "Welcome", Counter({Stage.CERTIFIED: 1, Stage.NOT_STARTED: 1, Stage.COMPETENT: 2})
        ),
        Bar("B2", "Calls", Counter({Stage.IN_PROGRESS: 4})),
    ]
    svg = parse(charts.stage_bars(bars, chart_id="s", title="Stages", desc="By module"))

    groups = svg.findall(f"{SVG}g[@class='bar']")
    assert [group.attrib["data-label"] for group in groups] == ["A1", "B2"]
    first = groups[0].findall(f"{SVG}rect[@class='segment']")
    assert [rect.attrib["data-stage"] for rect in first] == [
        "not-started",
        "competent",
        "certified",
    ]
    widths = [float(rect.attrib["width"]) for rect in first]
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.2)
    assert [rect.findtext(f"{SVG}title") for rect in first] == [
        "Welcome: 1 of 4 Not started",
        "Welcome: 2 of 4 Competent",
        "Welcome: 1 of 4 Certified",
    ]
    assert [rect.attrib["fill"] for rect in first] == [
        STAGE_COLOURS[stage][0] for stage in (Stage.NOT_STARTED, Stage.COMPETENT, Stage.CERTIFIED)
    ]
    assert len(groups[1].findall(f"{SVG}rect[@class='segment']")) == 1
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "75% complete" in texts and "0% complete" in texts
    assert {"NS", "C", "Cert", "IP"} <= set(texts)  # keys written on the wide segments
    assert svg.findtext(f"{SVG}title") == "Stages" and svg.findtext(f"{SVG}desc") == "By module"


def test_text_in_a_chart_is_escaped() -> None:
    """A cohort or module name with markup in it stays text."""
    hostile = '<script>alert("x")</script> & Co'
    line = parse(charts.completion_chart(days(3), chart_id="c", title=hostile, desc=hostile))
    bars = parse(
        charts.stage_bars(
            [Bar(hostile, hostile, Counter({Stage.COMPETENT: 1}))],
            chart_id="s",
            title=hostile,
            desc=hostile,
        )
    )
    for svg in (line, bars):
        assert svg.findtext(f"{SVG}title") == hostile
        assert svg.find(f".//{SVG}script") is None and svg.find(".//script") is None


def _contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_colour_passes_aa_and_the_matrix_uses_the_same(stage: Stage) -> None:
    """The key written on each stage's fill has a contrast of at least 4.5:1, and the page's
    stylesheet colours the matrix cells and legend exactly as the charts do."""
    fill, ink = STAGE_COLOURS[stage]
    assert _contrast(fill, ink) >= 4.5
    css = (Path(PROJECT_ROOT) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    rule = re.search(rf"\.stage-{stage.value} \{{([^}}]*)\}}", css)
    assert rule is not None, f"no rule for .stage-{stage.value}"
    declared = dict(
        (name.strip(), value.strip().lower())
        for name, value in (part.split(":") for part in rule.group(1).split(";") if part.strip())
    )
    expected_ink = "#fff" if ink == "#ffffff" else ink
    assert (declared["background"], declared["color"]) == (fill, expected_ink)


# --- On the progress page --------------------------------------------------------------------


def page_svg(app: Flask, people: People, cohort_id: int, chart_id: str) -> ET.Element:
    response = as_user(app, people.trainer).get(f"/cohorts/{cohort_id}/progress")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert found, f"no chart {chart_id}"
    return parse(found.group(0))


def test_the_charts_move_when_a_learner_completes_a_module(
    app: Flask, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two learners in A1: when one is certified, today's point rises from 0 % to 50 % and
    the A1 bar gains a Certified segment."""
    monkeypatch.setattr("lms.cohorts.progress_routes.utcnow", lambda: NOW)
    learners = [people.learner_at(Stage.KNOWLEDGE_CHECK_PASSED, name) for name in ("Ann", "Ben")]
    cohort = people.cohort("January", ("A1",), due_days=(5,))
    people.enrol(cohort, *learners)

    before = page_svg(app, people, cohort.id, "completion-chart")
    bars_before = page_svg(app, people, cohort.id, "stage-chart")
    certified(learners[0], people.assessor, people.moderator, at=NOW - timedelta(days=1))
    db.session.expire_all()
    after = page_svg(app, people, cohort.id, "completion-chart")
    bars_after = page_svg(app, people, cohort.id, "stage-chart")

    assert (
        len(line_points(before)) == len(line_points(after)) == (date(2026, 12, 1) - START).days + 1
    )
    bottom, middle = line_points(before)[-1][1], line_points(after)[-1][1]
    assert bottom > middle  # higher on the page
    assert [p[1] for p in line_points(after)][-2:] == [middle, middle]  # certified yesterday
    assert [t.text for t in before.iter(f"{SVG}text")][-1] == "0%"
    assert [t.text for t in after.iter(f"{SVG}text")][-1] == "50%"

    def stages(svg: ET.Element) -> list[str]:
        return [
            rect.attrib["data-stage"]
            for rect in svg.iter(f"{SVG}rect")
            if "data-stage" in rect.attrib
        ]

    assert stages(bars_before) == ["knowledge-check-passed"]
    assert stages(bars_after) == ["knowledge-check-passed", "certified"]
