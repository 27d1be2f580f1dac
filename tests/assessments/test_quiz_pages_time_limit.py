"""A timed quiz's pages: the time left, and what happens to an attempt whose time ran out.

Attempts are started in the past (`now=`) and the grace period is set in the app's config, so
the real clock the routes read finds them as overdue as each test needs; nothing sleeps.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from lms.database import utcnow
from tests.assessments.quiz_pages import (
    Learner,
    attempt_path,
    attempt_rows,
    flashes,
    location,
    module_path,
    post_page,
    published_world,  # noqa: F401 - the `world` fixture
    quiz_path,
    ready_learner,  # noqa: F401 - the `learner` fixture
    republish,
    start_in_the_past,
    stored_attempt,
    submit,
    text_of,
    token,
    words,
)
from tests.quiz_files import QuizWorld

TIME_LIMIT = 10  # minutes
TIME_RAN_OUT = (
    "Time ran out: your attempt was submitted with the answers saved before the deadline."
)
ALREADY_SUBMITTED = "This attempt was already submitted; your answers saved before then count."


@pytest.fixture
def timed(world: QuizWorld) -> QuizWorld:
    """The knowledge check with a ten-minute time limit."""
    republish(world, time_limit=TIME_LIMIT)
    return world


def test_the_pages_show_the_time_left(app: Flask, timed: QuizWorld, learner: Learner) -> None:
    """Four minutes in, the attempt page, summary and autosave all count down from about six."""
    attempt_id = start_in_the_past(app, learner.user, utcnow() - timedelta(minutes=4))

    page = learner.client.get(attempt_path(attempt_id))
    summary = learner.client.get(attempt_path(attempt_id, "finish"))
    autosave = post_page(learner.client, attempt_id, page=1, go="stay", action="autosave")

    shown = re.search(r'data-remaining="(\d+)"', text_of(page))
    assert shown and 350 <= int(shown.group(1)) <= 360
    assert re.search(r"Time left: [56] min \d\d s", words(page))
    assert re.search(r"Time left: [56] min \d\d s\.", words(summary))
    assert 350 <= autosave.get_json()["remaining_seconds"] <= 360
    assert "10 minutes from when you start" in words(learner.client.get(quiz_path()))


def _open(learner: Learner, method: str, path: str) -> TestResponse:
    if method == "GET":
        return learner.client.get(path)
    fields = {"csrf_token": token(learner.client), "page": "1", "go": "next", "q1": "1"}
    return learner.client.post(path, data=fields)


@pytest.mark.parametrize(
    ("method", "action", "status", "message"),
    [
        ("GET", "", 303, TIME_RAN_OUT),
        ("GET", "finish", 303, TIME_RAN_OUT),
        ("GET", "review", 200, TIME_RAN_OUT),
        ("POST", "", 303, ALREADY_SUBMITTED),
        ("POST", "submit", 303, None),
        ("POST", "autosave", 409, None),
    ],
    ids=["page", "summary", "review", "save", "submit", "autosave"],
)
def test_an_attempt_past_its_time_is_submitted_wherever_the_learner_turns_up(
    app: Flask,
    timed: QuizWorld,
    learner: Learner,
    method: str,
    action: str,
    status: int,
    message: str | None,
) -> None:
    """Past the deadline and its grace, any of the attempt's addresses submits it as it was."""
    started = utcnow() - timedelta(minutes=TIME_LIMIT, seconds=31)
    attempt_id = start_in_the_past(app, learner.user, started)

    response = _open(learner, method, attempt_path(attempt_id, action))

    assert response.status_code == status
    stored = stored_attempt(app, attempt_id)
    assert (stored.state, stored.auto_submitted, stored.percent) == ("marked", True, 0.0)
    assert stored.answers[1] is None  # the answer posted late is not saved
    if status == 303:
        assert location(response) == attempt_path(attempt_id, "review")
    review = response if status == 200 else learner.client.get(attempt_path(attempt_id, "review"))
    if message is not None:
        assert flashes(review) == [message]
    assert "when the time ran out" in words(review)


def test_the_module_page_submits_an_attempt_whose_time_ran_out_and_says_so(
    app: Flask, timed: QuizWorld, learner: Learner
) -> None:
    """A learner who closed the tab and comes back to the module sees the result, not
    "In progress"; the attempt is submitted as it was, once, by the time it ran out."""
    started = utcnow() - timedelta(minutes=TIME_LIMIT, seconds=31)
    attempt_id = start_in_the_past(app, learner.user, started)

    page = words(learner.client.get(module_path()))

    stored = stored_attempt(app, attempt_id)
    assert (stored.state, stored.auto_submitted, stored.percent) == ("marked", True, 0.0)
    assert "In progress" not in page
    assert "Not passed yet · best 0%" in page
    assert words(learner.client.get(module_path())) == page  # a second visit changes nothing


def test_the_module_page_leaves_an_attempt_with_time_left_in_progress(
    app: Flask, timed: QuizWorld, learner: Learner
) -> None:
    """Within the time limit and its grace, the attempt carries on."""
    attempt_id = start_in_the_past(app, learner.user, utcnow() - timedelta(minutes=TIME_LIMIT))

    page = words(learner.client.get(module_path()))

    assert stored_attempt(app, attempt_id).state == "in_progress"
    assert "In progress" in page


def test_a_save_after_the_grace_period_submits_what_was_saved_before(
    app: Flask, timed: QuizWorld, learner: Learner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save within the grace period is kept; one after it submits the attempt without it."""
    started = utcnow() - timedelta(minutes=TIME_LIMIT, seconds=10)
    attempt_id = start_in_the_past(app, learner.user, started)

    in_grace = post_page(learner.client, attempt_id, page=1, go="next", answers={"q1": "1"})
    assert location(in_grace) == f"{attempt_path(attempt_id)}?page=2"
    monkeypatch.setitem(app.config, "ATTEMPT_GRACE_SECONDS", 0)
    late = post_page(learner.client, attempt_id, page=2, go="next", answers={"q2": ["1", "2"]})

    assert (late.status_code, location(late)) == (303, attempt_path(attempt_id, "review"))
    stored = stored_attempt(app, attempt_id)
    assert stored.auto_submitted is True
    assert stored.answers[1] == {"choice": 0}
    assert stored.answers[2] is None
    assert stored.percent == round(100 / 6, 2)
    review = learner.client.get(location(late))
    assert flashes(review) == [ALREADY_SUBMITTED]
    assert "1 of 6 points" in words(review)
    [row] = attempt_rows(learner.client.get(quiz_path()))
    assert "(time ran out)" in row


def test_submitting_within_the_grace_period_is_not_automatic(
    app: Flask, timed: QuizWorld, learner: Learner
) -> None:
    """ "Submit" pressed just after the deadline, within its grace, is the learner's own."""
    started = utcnow() - timedelta(minutes=TIME_LIMIT, seconds=5)
    attempt_id = start_in_the_past(app, learner.user, started)

    response = submit(learner.client, attempt_id)

    assert location(response) == attempt_path(attempt_id, "review")
    stored = stored_attempt(app, attempt_id)
    assert (stored.state, stored.auto_submitted) == ("marked", False)
