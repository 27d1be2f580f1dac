"""The lesson page: its place, neighbours and contents, its start, and "Mark as complete"."""

from __future__ import annotations

import re

from flask import Flask

from tests.learning.conftest import (
    FIRST,
    MODULE,
    POLICY,
    SECOND,
    Programme,
    progress_row,
    revision_id,
)
from tests.learning.pages import (
    Learner,
    complete,
    lesson_path,
    lesson_states,
    location,
    signed_in_learner,  # noqa: F401 - the `learner` fixture
    words,
)

# Reading


def test_the_lesson_page_shows_its_place_neighbours_and_reading_time(
    programme: Programme, learner: Learner
) -> None:
    """Its place ("Lesson 2 of 3"), reading time, and links to the previous and next lessons."""
    programme.lesson(SECOND).minutes = 7
    programme.publish()

    response = learner.client.get(lesson_path(SECOND))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = words(response)
    assert "Lesson 2 of 3 · about 7 min read" in text
    assert re.search(rf'href="{lesson_path(FIRST)}" rel="prev"', page)
    assert re.search(rf'href="{lesson_path(POLICY)}" rel="next"', page)
    assert "Previous lesson First steps" in text
    assert "Next lesson Code of conduct" in text


def test_the_first_and_last_lessons_have_no_previous_or_next(learner: Learner) -> None:
    """The first lesson has no previous link; the last one leads back to the module."""
    first = learner.client.get(lesson_path(FIRST))
    last = learner.client.get(lesson_path(POLICY))

    assert 'rel="prev"' not in first.get_data(as_text=True)
    assert "Lesson 1 of 3" in words(first)
    assert 'rel="next"' not in last.get_data(as_text=True)
    assert "Lesson 3 of 3" in words(last)
    assert f'href="/learn/{MODULE}"><span class="pager-label">End of module</span>' in (
        last.get_data(as_text=True)
    )


def test_a_table_of_contents_appears_only_for_three_headings_or_more(
    programme: Programme, learner: Learner
) -> None:
    """Three headings get an "On this page" list linking each; one or two get none."""
    programme.lesson(FIRST).body = (
        "## Before the call\nPrepare.\n\n## During the call\nListen.\n\n"
        "### Difficult callers\nStay calm.\n"
    )
    programme.lesson(POLICY).body = "## Dress\nSmart.\n\n## Breaks\nOn time.\n"
    programme.publish()

    with_toc = learner.client.get(lesson_path(FIRST))
    one_heading = learner.client.get(lesson_path(SECOND))
    two_headings = learner.client.get(lesson_path(POLICY))

    toc = re.search(r'<nav class="toc card".*?</nav>', with_toc.get_data(as_text=True), re.S)
    assert toc
    assert re.findall(r'<a href="#[^"]+">([^<]+)</a>', toc.group(0)) == [
        "Before the call",
        "During the call",
        "Difficult callers",
    ]
    for page in (one_heading, two_headings):
        assert "On this page" not in words(page)
        assert 'class="toc' not in page.get_data(as_text=True)


def test_opening_a_lesson_marks_it_started(app: Flask, learner: Learner) -> None:
    """Reading a lesson records its start on the current revision; the module says In progress."""
    response = learner.client.get(lesson_path(FIRST))

    assert response.status_code == 200
    assert "In progress" in words(response)
    with app.app_context():
        row = progress_row(learner.user.id, FIRST)
        assert row is not None
        assert row.started_revision_id == revision_id(FIRST)
        assert row.completed_at is None
    states = lesson_states(learner.client.get(f"/learn/{MODULE}"))
    assert states["First steps"] == "In progress"


# "Mark as complete"


def test_mark_as_complete_completes_and_goes_on_to_the_next_lesson(
    app: Flask, learner: Learner
) -> None:
    """The completion is stored and the learner is sent (303) to the next lesson."""
    response = complete(learner.client, FIRST)

    assert response.status_code == 303
    assert location(response) == lesson_path(SECOND)
    with app.app_context():
        row = progress_row(learner.user.id, FIRST)
        assert row is not None
        assert row.completed_at is not None
        assert row.completed_revision_id == revision_id(FIRST)
    following = learner.client.get(location(response))
    assert "“First steps” is complete." in words(following)
    again = words(learner.client.get(lesson_path(FIRST)))
    assert "You completed this lesson on" in again
    assert "Mark as complete" not in again


def test_completing_the_last_lesson_left_goes_back_to_the_module(learner: Learner) -> None:
    """When nothing is left the learner lands on the module page, congratulated."""
    complete(learner.client, POLICY, acknowledge="y")
    complete(learner.client, FIRST)

    response = complete(learner.client, SECOND)

    assert response.status_code == 303
    assert location(response) == f"/learn/{MODULE}"
    text = words(learner.client.get(location(response)))
    assert "Well done: you have completed every lesson of Alpha module." in text
    assert "You have completed every lesson of this module." in text
