"""Starting a quiz from its page: one attempt at a time, the attempts allowed, and the gates."""

from __future__ import annotations

from flask import Flask

from tests.assessments.quiz_pages import (
    KNOWLEDGE_CHECK,
    RIGHT_ANSWERS,
    SUMMATIVE,
    WRONG_ANSWERS,
    Learner,
    attempt_path,
    flashes,
    location,
    module_path,
    new_learner,
    published_world,  # noqa: F401 - the `world` fixture
    quiz_path,
    ready_learner,  # noqa: F401 - the `learner` fixture
    republish,
    start,
    start_attempt,
    stored_attempts,
    take,
    words,
)
from tests.conftest import UserFactory
from tests.quiz_files import QuizWorld, summative_quiz

LESSONS_FIRST = "Finish the module's lessons first."
KNOWLEDGE_CHECK_FIRST = "Pass the module's knowledge check first."


def test_starting_twice_opens_the_same_attempt(app: Flask, learner: Learner) -> None:
    """A second "Start" (another tab, a double click) resumes the attempt in progress."""
    first = start(learner.client)
    second = start(learner.client)

    assert first.status_code == second.status_code == 303
    assert location(first) == location(second)
    assert [a.number for a in stored_attempts(app, learner.user)] == [1]


def test_a_learner_who_did_not_pass_starts_a_second_attempt(app: Flask, learner: Learner) -> None:
    """After a failed attempt the review and quiz page invite another; it is attempt 2."""
    first_id = take(learner.client, WRONG_ANSWERS)

    review = words(learner.client.get(attempt_path(first_id, "review")))
    assert "Not passed yet. You can try again." in review
    assert "Start a new attempt" in words(learner.client.get(quiz_path()))
    second_id = start_attempt(learner.client)

    assert second_id != first_id
    stored = stored_attempts(app, learner.user)
    assert [(a.number, a.state) for a in stored] == [(1, "marked"), (2, "in_progress")]
    assert "Attempt 2 · page 1 of 6" in words(learner.client.get(attempt_path(second_id)))


def test_no_attempt_starts_once_every_allowed_attempt_is_used(
    app: Flask, world: QuizWorld, learner: Learner
) -> None:
    """With its one attempt used, "Start" is refused with the reason and no attempt is made."""
    republish(world, attempts=1)
    take(learner.client, WRONG_ANSWERS)

    quiz = learner.client.get(quiz_path())
    response = start(learner.client)

    assert "You have used every attempt." in words(quiz)
    assert "Start" not in words(quiz)
    assert (response.status_code, location(response)) == (303, quiz_path())
    assert flashes(learner.client.get(location(response))) == [
        "You have used every attempt this quiz allows; your trainer can help."
    ]
    assert len(stored_attempts(app, learner.user)) == 1


def test_a_passed_quiz_is_not_started_again(app: Flask, learner: Learner) -> None:
    """Once passed, "Start" says so and makes no attempt."""
    take(learner.client, RIGHT_ANSWERS)

    response = start(learner.client)

    assert location(response) == quiz_path()
    assert flashes(learner.client.get(location(response))) == ["You have passed this quiz."]
    assert len(stored_attempts(app, learner.user)) == 1


def test_the_knowledge_check_waits_for_the_modules_lessons(
    app: Flask, world: QuizWorld, make_user: UserFactory
) -> None:
    """Before every lesson is done the quiz page says why it is locked, and "Start" is refused."""
    learner = new_learner(app, make_user, lessons_done=False)

    quiz = learner.client.get(quiz_path())
    response = start(learner.client)

    assert quiz.status_code == 200
    assert LESSONS_FIRST in words(quiz)
    assert "Start" not in words(quiz)
    assert (response.status_code, location(response)) == (303, quiz_path())
    assert flashes(learner.client.get(location(response))) == [LESSONS_FIRST]
    assert "Locked" in words(learner.client.get(module_path()))
    assert stored_attempts(app, learner.user) == []


def test_the_summative_assessment_waits_for_the_knowledge_check(
    app: Flask, world: QuizWorld, learner: Learner
) -> None:
    """The summative is locked, and "Start" refused, until the knowledge check is passed."""
    world.quizzes.append(summative_quiz())
    world.publish()

    locked = learner.client.get(quiz_path(SUMMATIVE))
    refused = start(learner.client, SUMMATIVE)

    assert KNOWLEDGE_CHECK_FIRST in words(locked)
    assert "Start" not in words(locked)
    assert flashes(learner.client.get(location(refused))) == [KNOWLEDGE_CHECK_FIRST]
    assert stored_attempts(app, learner.user) == []

    take(learner.client, RIGHT_ANSWERS, KNOWLEDGE_CHECK)
    assert KNOWLEDGE_CHECK_FIRST not in words(learner.client.get(quiz_path(SUMMATIVE)))
    summative_id = start_attempt(learner.client, SUMMATIVE)
    assert [a.id for a in stored_attempts(app, learner.user)][-1] == summative_id
