"""The people of the marking journey in a browser: the marking world's module A1 (outcomes
A1-LO1 and A1-LO2, a two-essay summative), a learner who has passed A1's knowledge check, two
assessors assigned to A1 and a moderator, each signing in with the tests' password.

Everything is prepared by the services at the real clock's time, since the live server reads
that clock too; what the people then do, they do in the browser. `bring_to` takes the learner's
summative to a stage of the journey by the services, for the pages checked on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from lms.marking import marking_queue, services
from tests.assessments.attempt_steps import right_answers, save, start, submit
from tests.conftest import UserFactory
from tests.marking.marking_steps import (
    NYC,
    C,
    finalise,
    judgements_input,
    marking_world,
    module_a1,
    submit_summative,
)
from tests.marking.steps_marking import confirm_sample, judgement_on
from tests.quiz_files import finish_lessons

# The marking world as people see it: module A1 is "A module" at /learn/alpha.
QUIZ_URL = "/quizzes/alpha/summative"
QUIZ = "Quiz summative"
RECORD_URL = "/my/record/alpha"
MODULE = "A module"
LO1, LO2 = "A1-LO1", "A1-LO2"

FIRST_EXPLAIN = "Calls come in through the IVR, which asks the caller what they need."
BETTER_EXPLAIN = (
    "Calls come in through the IVR, which asks the caller what they need; the ACD then "
    "queues each call and routes it to the agent who has waited longest."
)
CONDUCT = "I refuse politely, explain why, and offer to help once the caller is verified."


class Stage(IntEnum):
    """How far the learner's summative assessment has gone."""

    SUBMITTED = 1  # waiting in the assessors' queue
    TAKEN = 2  # the assessor holds it, nothing judged yet
    FINALISED = 3  # LO1 judged NYC with a comment, LO2 C: both wait for moderation
    CONFIRMED = 4  # the moderator confirmed both: the learner sees them and may resubmit
    ACHIEVED = 5  # resubmitted, LO1 judged C and confirmed: every outcome Competent


@dataclass(frozen=True)
class Progress:
    attempt_id: int
    judgement_id: int = 0  # LO1's judgement, once finalised


@dataclass(frozen=True)
class Cast:
    learner: User
    assessor: User
    colleague: User  # a second assessor of A1
    moderator: User


def pass_knowledge_check_now(app: Flask, learner: User) -> None:
    """`learner` takes A1's knowledge check with every answer right, now."""
    with app.app_context():
        user = db.session.get(User, learner.id)
        assert user is not None
        now = utcnow()
        attempt = start(user, at=now)
        save(attempt, right_answers(attempt), at=now)
        submit(attempt, at=now)
        assert attempt.passed is True
        db.session.remove()


def assign_assessors(app: Flask, admin: User, *assessors: User) -> None:
    """The admin makes `assessors` the assessors of A1, as /admin/assessors does."""
    with app.app_context():
        found = [db.session.get(User, user.id) for user in (admin, *assessors)]
        actor, *chosen = [user for user in found if user is not None]
        assert len(chosen) == len(assessors)
        marking_queue.set_module_assessors(module_a1(), chosen, actor=actor)
        db.session.commit()
        db.session.remove()


def journey_cast(app: Flask, root: Path, make_user: UserFactory) -> Cast:
    """Publish the marking world under `root` and create the people of the journey."""
    marking_world(app, root)
    cast = Cast(
        learner=make_user(Role.LEARNER, full_name="Thandi Mokoena"),
        assessor=make_user(Role.ASSESSOR, full_name="Priya Naidoo"),
        colleague=make_user(Role.ASSESSOR, full_name="Lindiwe Khumalo"),
        moderator=make_user(Role.MODERATOR, full_name="Johan van Wyk"),
    )
    finish_lessons(app, cast.learner)
    pass_knowledge_check_now(app, cast.learner)
    admin = make_user(Role.ADMIN, full_name="Nomsa Dube")
    assign_assessors(app, admin, cast.assessor, cast.colleague)
    return cast


def bring_to(app: Flask, cast: Cast, stage: Stage) -> Progress:
    """Take the learner's summative to `stage` by the services, now; the first attempt's ids."""
    with app.test_request_context():  # telling the learner builds links to their record
        learner, assessor, moderator = (
            db.session.get(User, user.id) for user in (cast.learner, cast.assessor, cast.moderator)
        )
        assert learner is not None and assessor is not None and moderator is not None
        now = utcnow()
        attempt = submit_summative(learner, {"q1": FIRST_EXPLAIN, "q2": CONDUCT}, at=now)
        progress = Progress(attempt.id)
        if stage >= Stage.TAKEN:
            marking = services.open_marking(assessor, attempt, now=now)
            db.session.commit()
        if stage >= Stage.FINALISED:
            given = judgements_input(marking, {LO1: NYC, LO2: C})
            services.finalise(marking, assessor, given, now=now)
            db.session.commit()
            progress = Progress(attempt.id, judgement_on(attempt, LO1).id)
        if stage >= Stage.CONFIRMED:
            confirm_sample(moderator, attempt, at=now)
        if stage >= Stage.ACHIEVED:
            again = submit_summative(learner, {"q1": BETTER_EXPLAIN, "q2": CONDUCT}, at=now)
            finalise(assessor, again, {LO1: C}, at=now)
            confirm_sample(moderator, again, at=now)
        db.session.remove()
    return progress
