"""A cohort world for the progress tests: the marking world's module A1 (knowledge check,
two-essay summative, moderation, certificates) beside a second module, B2, with lessons only;
a trainer, an assessor, a moderator and HR; learners brought to any stage of A1 through the
real services; cohorts with due dates counted from their start.

Steps run in the test's session (the `app_context` fixture) and commit as a request would. A
test module using `people` imports the marking world's `assessor` and `moderator` fixtures too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates import revocation
from lms.cohorts import services
from lms.cohorts.models import Cohort
from lms.cohorts.standing import Stage
from lms.content.models import Module
from lms.extensions import db
from tests.certificates.certificate_steps import certified, confirm_sample
from tests.conftest import UserFactory
from tests.content_files import sample_module
from tests.marking.marking_steps import (
    NOW,
    NYC,
    C,
    finalise,
    marking_world,
    new_learner,
    submit_summative,
)
from tests.quiz_files import QuizWorld, finish_lessons

__all__ = [
    "DAY",
    "LO1",
    "LO2",
    "NOW",
    "START",
    "TODAY",
    "People",
    "every_stage",
    "people",
    "two_module_world",
]

# NOW is Tuesday 1 December 2026, 11:00 in Johannesburg; the cohort started the Monday before.
START = date(2026, 11, 23)
TODAY = date(2026, 12, 1)
DAY = timedelta(days=1)
LO1, LO2 = "A1-LO1", "A1-LO2"


@pytest.fixture(name="world")
def two_module_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """The marking world's A1 and a second module, B2, with lessons but no assessment."""
    world = marking_world(app, tmp_path / "programme")
    world.modules.append(sample_module("02-beta", "B2", order=2))
    world.publish()
    return world


@dataclass
class People:
    """Everyone a cohort needs, in the test's session."""

    world: QuizWorld
    make_user: UserFactory
    trainer: User
    assessor: User
    moderator: User
    hr: User

    def user(self, role: Role, name: str) -> User:
        user = db.session.get(User, self.make_user(role, full_name=name).id)
        assert user is not None
        return user

    def learner_at(self, stage: Stage, name: str, *, at: datetime = NOW) -> User:
        """A learner brought to `stage` in A1 by the services, decisions taken `at`."""
        if stage is Stage.NOT_STARTED:
            return self.user(Role.LEARNER, name)
        if stage is Stage.IN_PROGRESS:
            learner = self.user(Role.LEARNER, name)
            finish_lessons(self.world.app, learner, now=NOW - 2 * DAY)
            return learner
        learner = new_learner(self.world, self.make_user, full_name=name)
        if stage is Stage.AWAITING_MARKING:
            submit_summative(learner, at=at)
        elif stage is Stage.NOT_YET_COMPETENT:
            finalise(self.assessor, submit_summative(learner, at=at), {LO1: C, LO2: NYC}, at=at)
            confirm_sample(learner, self.moderator, at=at)
        elif stage in (Stage.COMPETENT, Stage.CERTIFIED):
            certificate = certified(learner, self.assessor, self.moderator, at=at)
            if stage is Stage.COMPETENT:  # Competent still, without a valid certificate
                revocation.revoke(certificate, self.hr, "Issued in error.", now=at)
                db.session.commit()
        return learner

    def cohort(
        self,
        name: str,
        codes: tuple[str, ...] = ("A1", "B2"),
        *,
        due_days: tuple[int | None, ...] = (5, None),
        start: date = START,
        trainer: User | None = None,
        assessors: tuple[User, ...] = (),
    ) -> Cohort:
        plans = tuple(
            services.ModulePlan(module_id(code), due_day=day)
            for code, day in zip(codes, due_days, strict=False)
        )
        details = services.CohortDetails(
            name=name,
            start_date=start,
            modules=plans,
            assessor_ids=tuple(user.id for user in assessors),
        )
        made = services.create_cohort(details, actor=trainer or self.trainer)
        db.session.commit()
        return made

    def enrol(self, cohort: Cohort, *learners: User) -> None:
        for learner in learners:
            services.enrol(cohort, learner, actor=self.trainer, now=NOW - 7 * DAY)
        db.session.commit()


@pytest.fixture
def people(
    app_context: None,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    moderator: User,
) -> Iterator[People]:
    def user(role: Role, name: str) -> User:
        found = db.session.get(User, make_user(role, full_name=name).id)
        assert found is not None
        return found

    yield People(
        world,
        make_user,
        user(Role.TRAINER, "Sipho Ndlovu"),
        assessor,
        moderator,
        user(Role.HR, "Lerato Molefe"),
    )
    db.session.rollback()


def module_id(code: str) -> int:
    return db.session.query(Module.id).filter_by(code=code).scalar()


def every_stage(people: People) -> dict[Stage, User]:
    """One learner at each stage of A1, named so the matrix lists them in stage order."""
    return {
        stage: people.learner_at(stage, f"{index} {stage.label}")
        for index, stage in enumerate(Stage, start=1)
    }
