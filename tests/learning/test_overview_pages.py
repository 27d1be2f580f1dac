"""The catalogue and the learner's dashboard: each module's progress, where to carry on."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.learning.conftest import (
    FIRST,
    MODULE,
    POLICY,
    SECOND,
    Programme,
    backdate_views,
    second_module,
)
from tests.learning.pages import (
    Learner,
    complete,
    lesson_path,
    module_cards,
    progress_bar,
    signed_in_learner,  # noqa: F401 - the `learner` fixture
    words,
)

OVERVIEWS = ["/learn/", "/dashboard/learner"]


def complete_all(client: FlaskClient, module: str = MODULE) -> None:
    for lesson in (FIRST, SECOND, POLICY):
        ticked = {"acknowledge": "y"} if lesson == POLICY else {}
        assert complete(client, lesson, module, **ticked).status_code == 303


def resume_link(response: TestResponse) -> tuple[str, str] | None:
    """The "Continue where you left off" button: its address and its words."""
    page = response.get_data(as_text=True)
    section = re.search(r'<section class="card resume".*?</section>', page, re.S)
    assert section, "no resume card"
    assert "Continue where you left off" in section.group(0)
    link = re.search(r'<a class="button" href="([^"]+)">(.*?)</a>', section.group(0), re.S)
    if link is None:
        return None
    return link.group(1), html.unescape(link.group(2))


@pytest.fixture
def two_modules(programme: Programme) -> Programme:
    programme.modules.append(second_module())
    programme.publish()
    return programme


@pytest.mark.parametrize("path", OVERVIEWS)
def test_each_module_shows_a_progress_bar_and_its_progress_in_words(
    two_modules: Programme, learner: Learner, path: str
) -> None:
    """Every module has a bar at its percentage, lessons done of all, and minutes left."""
    assert complete(learner.client, FIRST).status_code == 303

    response = learner.client.get(path)

    assert response.status_code == 200
    assert progress_bar(response, f"progress-{MODULE}") == 33
    assert progress_bar(response, "progress-beta") == 0
    cards = module_cards(response)
    assert "1 of 3 lessons done · about 10 min left" in cards[f"/learn/{MODULE}"]
    assert "0 of 3 lessons done · about 15 min left" in cards["/learn/beta"]


@pytest.mark.parametrize("path", OVERVIEWS)
def test_a_finished_module_shows_a_full_bar_and_no_minutes_left(
    learner: Learner, path: str
) -> None:
    """Once every lesson is done the bar is full and no time is left to give."""
    complete_all(learner.client)

    response = learner.client.get(path)

    assert progress_bar(response, f"progress-{MODULE}") == 100
    card = module_cards(response)[f"/learn/{MODULE}"]
    assert "3 of 3 lessons done" in card
    assert "min left" not in card


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_starts_at_the_first_lesson_when_nothing_is_opened(
    two_modules: Programme, learner: Learner, path: str
) -> None:
    """A new learner is offered the first lesson of the first module."""
    response = learner.client.get(path)

    assert resume_link(response) == (lesson_path(FIRST), "Start “First steps”")


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_goes_back_to_the_lesson_last_opened(
    app: Flask, two_modules: Programme, learner: Learner, path: str
) -> None:
    """The unfinished lesson opened last is where the learner carries on, in any module."""
    learner.client.get(lesson_path(POLICY))
    learner.client.get(lesson_path(SECOND, "beta"))
    assert resume_link(learner.client.get(path)) == (
        lesson_path(SECOND, "beta"),
        "Continue “On the phone”",
    )
    # Views less than a minute apart are not recorded again: come back a little later.
    backdate_views(app, learner.user.id, timedelta(minutes=5))

    learner.client.get(lesson_path(POLICY))

    assert resume_link(learner.client.get(path)) == (
        lesson_path(POLICY),
        "Continue “Code of conduct”",
    )


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_moves_on_to_the_next_lesson_after_a_completion(
    learner: Learner, path: str
) -> None:
    """With the lesson just finished, the next one to start is offered."""
    complete(learner.client, FIRST)

    assert resume_link(learner.client.get(path)) == (lesson_path(SECOND), "Start “On the phone”")


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_says_nothing_is_left_when_all_is_done(learner: Learner, path: str) -> None:
    """With every lesson done there is no link, only a word of congratulation."""
    complete_all(learner.client)

    response = learner.client.get(path)

    assert resume_link(response) is None
    assert "There is nothing left to read: every lesson is done." in words(response)
