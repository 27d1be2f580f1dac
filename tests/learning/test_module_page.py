"""The module page: outcomes, each lesson's state, and locks in a module taken in order."""

from __future__ import annotations

from tests.learning.conftest import FIRST, MODULE, SECOND, Programme
from tests.learning.pages import (
    Learner,
    complete,
    lesson_path,
    lesson_states,
    progress_bar,
    signed_in_learner,  # noqa: F401 - the `learner` fixture
    words,
)


def test_the_module_page_lists_outcomes_and_each_lessons_state(learner: Learner) -> None:
    """Outcomes with their criteria, and each lesson as Not started, In progress or Done."""
    learner.client.get(lesson_path(FIRST))
    complete(learner.client, SECOND)

    response = learner.client.get(f"/learn/{MODULE}")

    assert response.status_code == 200
    text = words(response)
    assert "What you will be able to do" in text
    assert "A1-LO1 Do the thing." in text
    assert "Does it well." in text
    assert lesson_states(response) == {
        "First steps": "In progress",
        "On the phone": "Done",
        "Code of conduct": "Not started",
    }
    assert progress_bar(response, "module-progress") == 33
    assert "Continue “First steps”" in text


def test_the_module_page_shows_later_lessons_locked_in_an_ordered_module(
    programme: Programme, learner: Learner
) -> None:
    """In a module taken in order, lessons after the first unfinished one are Locked, unlinked."""
    programme.module().lessons_in_order = True
    programme.publish()
    complete(learner.client, FIRST)

    response = learner.client.get(f"/learn/{MODULE}")

    assert "Lessons in this module are taken in order" in words(response)
    assert lesson_states(response) == {
        "First steps": "Done",
        "On the phone": "Not started",
        "Code of conduct": "Locked (no link)",
    }
