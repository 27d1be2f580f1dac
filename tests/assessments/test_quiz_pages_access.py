"""Who reaches which quiz page: a learner's own attempts only, and quizzes that are in use."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.assessments.quiz_pages import (
    RIGHT_ANSWERS,
    Learner,
    attempt_path,
    module_path,
    new_learner,
    published_world,  # noqa: F401 - the `world` fixture
    quiz_path,
    ready_learner,  # noqa: F401 - the `learner` fixture
    start,
    start_attempt,
    stored_attempt,
    take,
    token,
    words,
)
from tests.conftest import UserFactory
from tests.quiz_files import QuizWorld


def _visit(client: FlaskClient, method: str, path: str) -> TestResponse:
    """Open `path`; a POST carries a valid CSRF token and a well-formed page."""
    if method == "GET":
        return client.get(path)
    fields = {"csrf_token": token(client), "page": "1", "go": "finish", "q1": "1"}
    return client.post(path, data=fields)


# Every page of an attempt, by method and the action after /attempts/<id>.
ATTEMPT_PAGES = [
    ("GET", ""),
    ("GET", "?page=2"),
    ("POST", ""),
    ("POST", "/autosave"),
    ("GET", "/finish"),
    ("POST", "/submit"),
    ("GET", "/review"),
]


@pytest.mark.parametrize(("method", "action"), ATTEMPT_PAGES, ids=lambda v: v or "page")
@pytest.mark.parametrize("finished", [False, True], ids=["in-progress", "submitted"])
def test_another_learners_attempt_is_not_found(
    app: Flask,
    learner: Learner,
    make_user: UserFactory,
    method: str,
    action: str,
    finished: bool,
) -> None:
    """Every address of someone else's attempt answers 404, and the attempt is left alone."""
    attempt_id = take(learner.client, RIGHT_ANSWERS) if finished else start_attempt(learner.client)
    before = stored_attempt(app, attempt_id)
    other = new_learner(app, make_user)

    response = _visit(other.client, method, f"{attempt_path(attempt_id)}{action}")

    assert response.status_code == 404
    assert stored_attempt(app, attempt_id) == before


@pytest.mark.parametrize(("method", "action"), ATTEMPT_PAGES, ids=lambda v: v or "page")
@pytest.mark.parametrize("attempt_id", ["0", "99999999999", "1" + "0" * 30, "-1", "1e3"])
def test_an_attempt_that_does_not_exist_is_not_found(
    learner: Learner, method: str, action: str, attempt_id: str
) -> None:
    """Unknown, zero, huge, negative or malformed attempt ids answer 404, never 500."""
    start_attempt(learner.client)  # the learner has an attempt: the others are still not theirs

    response = _visit(learner.client, method, f"{attempt_path(attempt_id)}{action}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        quiz_path("no-such-quiz"),
        quiz_path("knowledge-check", module="no-such-module"),
        quiz_path("KNOWLEDGE-CHECK"),
    ],
)
def test_an_unknown_quiz_is_not_found(learner: Learner, path: str) -> None:
    """The quiz page and its "Start" answer 404 for a quiz or module that does not exist."""
    assert learner.client.get(path).status_code == 404
    started = learner.client.post(f"{path}/start", data={"csrf_token": token(learner.client)})
    assert started.status_code == 404


def test_a_retired_quiz_is_not_found(app: Flask, world: QuizWorld, learner: Learner) -> None:
    """A quiz removed from the files is gone from the module page; its page and start are 404."""
    assert "Quiz knowledge-check" in words(learner.client.get(module_path()))
    world.quizzes.clear()
    world.publish()

    assert "Quiz knowledge-check" not in words(learner.client.get(module_path()))
    assert learner.client.get(quiz_path()).status_code == 404
    assert start(learner.client).status_code == 404


def test_a_retired_quiz_keeps_its_reviews(app: Flask, world: QuizWorld, learner: Learner) -> None:
    """A submitted attempt of a quiz retired since can still be reviewed by its learner."""
    attempt_id = take(learner.client, RIGHT_ANSWERS)
    world.quizzes.clear()
    world.publish()

    review = learner.client.get(attempt_path(attempt_id, "review"))

    assert review.status_code == 200
    assert "Passed." in words(review)
