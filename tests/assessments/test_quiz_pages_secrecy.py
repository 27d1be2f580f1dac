"""Nothing a learner is sent before submitting holds an answer key, a weight, feedback or a
marking guide: every page of a quiz with marker strings in all of those is searched for them."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.auth.roles import Role
from tests.assessments.quiz_pages import (
    KNOWLEDGE_CHECK,
    SECRET_ANSWERS,
    SECRET_GUIDES,
    SECRET_KEY_NUMBER,
    SUMMATIVE,
    Answers,
    Learner,
    answers_on,
    attempt_path,
    location,
    module_path,
    page_count,
    post_page,
    publish_secrets,
    published_world,  # noqa: F401 - the `world` fixture
    quiz_path,
    ready_learner,  # noqa: F401 - the `learner` fixture
    start_attempt,
    submit,
    take,
    without_tokens,
)
from tests.conftest import UserFactory, sign_in
from tests.quiz_files import QuizWorld


def assert_no_secrets(response: TestResponse) -> None:
    """No marker, key, weight, general-feedback mark or marking guide in what was sent."""
    sent = without_tokens(response)
    where = f"{response.request.method} {response.request.path}"
    assert "zqx" not in sent.lower(), where  # every feedback, guide and accepted-answer marker
    assert SECRET_KEY_NUMBER not in sent, where
    assert "fraction" not in sent.lower(), where
    for weight in ("%100%", "%50%", "%-100%", "####"):
        assert weight not in sent, where
    assert "marking guide" not in sent.lower(), where
    assert "right answer" not in sent.lower(), where


def _pages_of_an_attempt(
    client: FlaskClient, slug: str, answers: Answers
) -> tuple[int, list[TestResponse]]:
    """Every page a learner meets from the module page up to "Submit all and finish", with
    forged and good answers saved and autosaved on each; and the attempt's id."""
    seen = [client.get(module_path()), client.get(quiz_path(slug))]
    attempt_id = start_attempt(client, slug)
    pages = page_count(client.get(attempt_path(attempt_id)))
    for page in range(1, pages + 1):
        on_page = answers if pages == 1 else answers_on(page, answers)
        forged = dict.fromkeys(on_page, "\x00")
        seen.append(client.get(f"{attempt_path(attempt_id)}?page={page}"))
        for sent in (forged, on_page):
            seen.append(post_page(client, attempt_id, page=page, go="stay", answers=sent))
            seen.append(
                post_page(client, attempt_id, page=page, go="stay", answers=sent, action="autosave")
            )
        saved = post_page(client, attempt_id, page=page, go="stay", answers=on_page)
        seen.append(client.get(location(saved)))  # the page again, its answers filled in
    seen.append(client.get(attempt_path(attempt_id, "finish")))
    seen.append(client.get(attempt_path(attempt_id)))
    seen += [client.get(quiz_path(slug)), client.get(module_path())]
    assert [r.status_code for r in seen if r.status_code not in (200, 303, 422)] == []
    return attempt_id, seen


@pytest.mark.parametrize("layout", ["one-per-page", "all-on-one-page"])
def test_no_page_before_submitting_gives_away_the_knowledge_checks_answers(
    world: QuizWorld, learner: Learner, layout: str
) -> None:
    """Module, quiz, attempt pages (blank, refused, saved), autosave replies and the summary."""
    publish_secrets(world, layout=layout)

    _, seen = _pages_of_an_attempt(learner.client, KNOWLEDGE_CHECK, SECRET_ANSWERS)

    [summary] = [r for r in seen if r.request.path.endswith("/finish")]
    assert "6 of 6 questions answered" in summary.get_data(as_text=True)
    for response in seen:
        assert_no_secrets(response)


def test_no_page_before_submitting_shows_a_summative_marking_guide(
    world: QuizWorld, learner: Learner
) -> None:
    """The essays' marking guides reach none of a summative's pages, nor its review."""
    publish_secrets(world)
    take(learner.client, SECRET_ANSWERS)  # the knowledge check, passed: the summative opens
    essays = {"q1": "The IVR routes it to the ACD.", "q2": "I refuse to go on."}

    attempt_id, seen = _pages_of_an_attempt(learner.client, SUMMATIVE, essays)
    review = learner.client.get(location(submit(learner.client, attempt_id)))

    for response in [*seen, review]:
        assert_no_secrets(response)
    assert "Your answers are with an assessor." in review.get_data(as_text=True)


def test_staff_see_the_secrets_the_learner_pages_hold_back(
    app: Flask, world: QuizWorld, make_user: UserFactory
) -> None:
    """The markers are really in the quizzes: a trainer's preview shows every one of them."""
    publish_secrets(world)
    trainer = sign_in(app.test_client(), make_user(Role.TRAINER))
    bank = trainer.get("/quizzes/").get_data(as_text=True)

    previews = [
        trainer.get(path).get_data(as_text=True)
        for path in re.findall(r'href="(/quizzes/revisions/\d+)"', bank)
    ]

    shown = "\n".join(previews)
    for marker in ("ZQX-ONE-GREEN", "ZQX-MANY-CARROT", "ZQX-TF-IF-FALSE", "ZQX-NUMBER-RIGHT"):
        assert marker in shown
    assert "zqxverify" in shown
    assert SECRET_KEY_NUMBER in shown
    for guide in SECRET_GUIDES.values():
        assert guide in shown
