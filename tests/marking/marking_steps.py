"""A marking world: module A1 with two outcomes, its knowledge check and a two-essay summative
(one essay per outcome), an assessor assigned to A1, a moderator, and steps that take a
learner's summative through marking, moderation and appeal by the services.

Steps run in the test's session (the `app_context` fixture) and commit as a request would;
time is passed in (`NOW` and offsets from it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.extensions import db
from lms.marking import services
from lms.marking.models import Marking, OutcomeJudgement, Verdict
from lms.marking.services import MarkingInput, OutcomeInput
from tests.assessments.attempt_steps import NOW, pass_knowledge_check, save, start, submit
from tests.conftest import UserFactory, sign_in
from tests.content_files import sample_module
from tests.quiz_files import QuizFile, QuizWorld, finish_lessons, quiz_world

__all__ = ["NOW", "NYC", "C"]

C, NYC = Verdict.COMPETENT, Verdict.NOT_YET_COMPETENT
ESSAYS = {"q1": "Calls come in through the IVR and the ACD.", "q2": "I refuse politely."}


def marking_quiz(**settings: object) -> QuizFile:
    """Two essays: `explain` serves A1-LO1, `conduct` serves A1-LO2."""
    gift = (
        "::explain::Explain how a call reaches you. {}\n\n"
        "::conduct::Explain what you do when a caller is not verified. {}\n"
    )
    values = {
        "kind": "summative",
        "pass_mark": 100,
        "layout": "all-on-one-page",
        "outcomes": {"questions": {"explain": ["A1-LO1"], "conduct": ["A1-LO2"]}},
        "marking_guides": {"explain": "Names the IVR and the ACD.", "conduct": "Refuses."},
        **settings,
    }
    return QuizFile("summative", "A1", gift, values)


def module_a1() -> Module:
    module = db.session.scalar(select(Module).where(Module.code == "A1"))
    assert module is not None
    return module


def new_learner(world: QuizWorld, make_user: UserFactory, **kwargs: object) -> User:
    """A learner who finished A1's lessons and passed its knowledge check."""
    user = db.session.get(User, make_user(Role.LEARNER, **kwargs).id)
    assert user is not None
    finish_lessons(world.app, user, now=NOW - timedelta(days=2))
    pass_knowledge_check(user)
    return user


def marking_world(app: Flask, root: Path) -> QuizWorld:
    world = quiz_world(app, root)
    world.modules = [sample_module(outcomes=("LO1", "LO2"))]
    world.quizzes.append(marking_quiz())
    world.publish()
    return world


def submit_summative(
    learner: User, answers: Mapping[str, str] | None = None, *, at: object = NOW
) -> Attempt:
    """Start (pre-filled on a resubmission), answer and submit the summative assessment."""
    attempt = start(learner, "summative", at=at)  # type: ignore[arg-type]
    if answers is not None or attempt.responses[0].answer is None:
        save(attempt, answers or ESSAYS, at=at)  # type: ignore[arg-type]
    submit(attempt, at=at)  # type: ignore[arg-type]
    return attempt


def judgements_input(marking: Marking, verdicts: Mapping[str, Verdict | None]) -> MarkingInput:
    """A form's worth of judgements by outcome code; NYC gets a comment saying what to do."""
    outcomes = {
        code: OutcomeInput(
            verdict, "Name the ACD and say what it does." if verdict is NYC else "", ""
        )
        for code, verdict in verdicts.items()
    }
    return MarkingInput(version=marking.version, outcomes=outcomes)


def finalise(
    assessor: User, attempt: Attempt, verdicts: Mapping[str, Verdict | None], *, at: object = NOW
) -> Marking:
    """Open the attempt's marking as `assessor` and finalise these verdicts; commit."""
    marking = services.open_marking(assessor, attempt, now=at)  # type: ignore[arg-type]
    services.finalise(marking, assessor, judgements_input(marking, verdicts), now=at)  # type: ignore[arg-type]
    db.session.commit()
    return marking


def judgements_of(attempt: Attempt) -> list[OutcomeJudgement]:
    db.session.expire_all()
    query = (
        select(OutcomeJudgement)
        .where(OutcomeJudgement.attempt_id == attempt.id)
        .order_by(OutcomeJudgement.id)
    )
    return list(db.session.scalars(query))


def as_user(app: Flask, user: User) -> FlaskClient:
    """A client signed in as `user`. Requests share the test's app context, where Flask-Login
    keeps the last request's user in `g` (and Flask-WTF its token): forget both, so this
    client's session decides."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    return sign_in(app.test_client(), user)
