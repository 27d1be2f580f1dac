"""A learner's steps through an attempt, taken straight through the attempt services.

The steps run in the test's own session (the `app_context` fixture) and commit as a request
would; time is always passed in (`NOW` and offsets from it), never read from the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from lms.assessments import attempts, services
from lms.assessments.models import Attempt, Response
from lms.assessments.question_types import FormValues
from lms.assessments.services import QuizStatus
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.extensions import db
from lms.learning import services as learning
from tests.conftest import UserFactory
from tests.quiz_files import (
    RIGHT_ANSWERS_UNSHUFFLED,
    QuizWorld,
    finish_lessons,
    quiz_world,
    summative_quiz,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KNOWLEDGE_CHECK, SUMMATIVE = "knowledge-check", "summative"
MODULE_SLUG = "alpha"  # sample_module()'s folder is 01-alpha

# A form's values: one string, or a list of strings for a field sent several times.
Answers = Mapping[str, str | Sequence[str]]


@pytest.fixture(name="world")
def published_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Module A1 with its knowledge check (six questions, choices unshuffled), published."""
    world = quiz_world(app, tmp_path / "programme")
    world.publish()
    return world


LearnerFactory = Callable[..., User]


@pytest.fixture(name="make_learner")
def learner_factory(app_context: None, world: QuizWorld, make_user: UserFactory) -> LearnerFactory:
    """Create learners in the test's session; by default they have done every lesson of A1."""

    def make(*, lessons_done: bool = True) -> User:
        user = db.session.get(User, make_user(Role.LEARNER).id)
        assert user is not None
        if lessons_done:
            finish_lessons(world.app, user, now=NOW - timedelta(days=1))
        return user

    return make


@pytest.fixture(name="learner")
def learner_with_lessons_done(make_learner: LearnerFactory) -> Iterator[User]:
    """A learner who has done every lesson of A1, loaded into the test's session."""
    yield make_learner()
    db.session.rollback()


def add_summative(world: QuizWorld, **settings: Any) -> None:
    """Publish the module's summative assessment (two essays) beside its knowledge check."""
    db.session.commit()
    world.quizzes.append(summative_quiz(**settings))
    world.publish()
    db.session.expire_all()


def republish(world: QuizWorld, slug: str = KNOWLEDGE_CHECK, **settings: object) -> None:
    """Change the quiz's settings and publish them, outside the test's transaction."""
    db.session.commit()
    world.quiz(slug).settings.update(settings)
    world.publish()
    db.session.expire_all()


def app_grace() -> timedelta:
    """How long after the deadline answers still save, as the app is configured."""
    return timedelta(seconds=int(current_app.config["ATTEMPT_GRACE_SECONDS"]))


def status_of(user: User, slug: str = KNOWLEDGE_CHECK) -> QuizStatus:
    """Where `user` stands in the quiz, with the lessons gate worked out as the quiz page does."""
    db.session.expire_all()  # read what other sessions (a sync, another thread) committed
    entry = learning.find_enrolled_module(user, MODULE_SLUG)
    assert entry is not None
    lessons_done = learning.progress_in(user, [entry])[0].complete
    module_id = db.session.scalar(select(Module.id).where(Module.code == "A1"))
    assert module_id is not None
    quizzes = services.quizzes_of_module(module_id)
    statuses = services.statuses_for(user, quizzes, lessons_done=lessons_done)
    return next(status for status in statuses if status.quiz.slug == slug)


def start(
    user: User, slug: str = KNOWLEDGE_CHECK, *, at: datetime = NOW, seed: int | None = 7
) -> Attempt:
    """Start (or resume) an attempt as "Start" does, and commit."""
    attempt = attempts.start_attempt(user, status_of(user, slug), now=at, seed=seed)
    db.session.commit()
    return attempt


def form(answers: Answers) -> FormValues:
    """What a posted form gives `save_answers`: every value sent under a field name."""

    def values(name: str) -> list[str]:
        given = answers.get(name, [])
        return [given] if isinstance(given, str) else list(given)

    return values


def matching_answers(attempt: Attempt, position: int = 6) -> dict[str, str]:
    """The right answer to the matching question, in the shown order stored for the attempt."""
    response = response_at(attempt, position)
    pairs = response.question.data["pairs"]
    options = list(dict.fromkeys(pair["answer"] for pair in pairs))
    shown = {index: str(place) for place, index in enumerate(response.choice_order, start=1)}
    return {
        f"q{position}-{index}": shown[options.index(pair["answer"])]
        for index, pair in enumerate(pairs)
        if pair["question"]
    }


def right_answers(attempt: Attempt) -> dict[str, str | Sequence[str]]:
    """Every answer right, for an unshuffled knowledge check in written order."""
    return {**RIGHT_ANSWERS_UNSHUFFLED, **matching_answers(attempt)}


def save(
    attempt: Attempt,
    answers: Answers,
    *,
    at: datetime = NOW,
    responses: Sequence[Response] | None = None,
    page: int | None = None,
) -> int:
    """Save answers to the attempt's questions (all of them unless `responses`), and commit."""
    chosen = list(attempt.responses) if responses is None else responses
    changed = attempts.save_answers(
        attempt, chosen, form(answers), now=at, grace=app_grace(), page=page
    )
    db.session.commit()
    return changed


def submit(attempt: Attempt, *, at: datetime = NOW) -> bool:
    """Submit the attempt as the summary page's button does, and commit."""
    submitted = attempts.submit_attempt(attempt, now=at)
    db.session.commit()
    return submitted


def take(user: User, answers: Answers, *, at: datetime = NOW) -> Attempt:
    """Start an attempt, answer it with `answers`, and submit it."""
    attempt = start(user, at=at)
    save(attempt, answers, at=at)
    submit(attempt, at=at)
    return attempt


def pass_knowledge_check(user: User) -> Attempt:
    """Take the knowledge check with every answer right (it passes)."""
    attempt = start(user)
    save(attempt, right_answers(attempt))
    submit(attempt)
    assert attempt.passed is True
    return attempt


def response_at(attempt: Attempt, position: int) -> Response:
    return next(r for r in attempt.responses if r.position == position)


def saved_answers(attempt_id: int) -> dict[int, object]:
    """Each position's stored answer, read afresh from the database."""
    db.session.expire_all()
    query = select(Response).where(Response.attempt_id == attempt_id)
    return {r.position: r.answer for r in db.session.scalars(query)}


def attempt_count(user: User) -> int:
    query = select(func.count()).select_from(Attempt).where(Attempt.user_id == user.id)
    return db.session.scalar(query) or 0


def audit_count(action: str, attempt_id: int) -> int:
    """How many audit events of this action name the attempt."""
    query = select(func.count()).where(
        AuditEvent.action == action,
        AuditEvent.object_type == "attempts",
        AuditEvent.object_id == str(attempt_id),
    )
    return db.session.scalar(query) or 0
