"""The staffing figures printed in the service-level lessons are the ones the platform's own
Erlang C function gives, so a lesson and the calculator never disagree."""

from __future__ import annotations

import re

from lms.calculators.erlang import agents_needed, staffing
from lms.content.rendering import render_markdown
from tests.programme.shipped import module

# The Vela Mobile half hour of the staffing lesson: 240 calls, 300 s handle time, 80 % in 20 s.
CALLS, HANDLE, INTERVAL, TARGET_SECONDS = 240, 300, 1800, 20
ROW = re.compile(r"^\| \**(\d+)\** \| \**([\d.]+) %\** \| \**([\d.]+) s\** \| \**([\d.]+) %\** \|$")


def staffing_lesson() -> str:
    return next(
        lesson.body for lesson in module("M3").lessons if lesson.slug == "from-calls-to-agents"
    )


def test_the_staffing_table_matches_erlang_c_to_the_printed_digit() -> None:
    """Every row: service level, speed of answer and occupancy, rounded as printed."""
    rows = [ROW.match(line) for line in staffing_lesson().splitlines()]
    table = [row.groups() for row in rows if row]
    assert len(table) >= 5
    for agents, level, speed, occupancy in table:
        predicted = staffing(int(agents), CALLS, HANDLE, INTERVAL, TARGET_SECONDS)
        assert level == f"{predicted.service_level * 100:.1f}", agents
        assert speed == f"{predicted.average_speed_of_answer:.1f}", agents
        assert occupancy == f"{predicted.occupancy * 100:.1f}", agents


def test_the_lesson_names_the_head_count_erlang_c_gives() -> None:
    """The bold row and the text agree with the fewest agents that meet 80/20."""
    needed = agents_needed(CALLS, HANDLE, INTERVAL, TARGET_SECONDS, 0.8)
    assert needed.agents == 46
    assert f"| **{needed.agents}** |" in staffing_lesson()
    assert f"{needed.traffic:.0f} erlangs" in staffing_lesson()


def test_the_service_level_lessons_link_to_the_calculator() -> None:
    """Learners can try their own figures from the lessons that teach them."""
    linking = [
        lesson.slug for lesson in module("M3").lessons if "](/tools/service-level)" in lesson.body
    ]
    assert "from-calls-to-agents" in linking
    assert 'href="/tools/service-level"' in render_markdown(staffing_lesson()).html
