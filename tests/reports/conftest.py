"""The records world: the marking world's A1 (knowledge check, two essays judged by outcome)
and a second module B2, HR, two trainers, and steps to build cohorts and learners.

Steps run in the test's session (the `app_context` fixture) and commit as a request would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services
from lms.cohorts.models import Cohort
from lms.content.models import Module
from lms.database import utcnow
from lms.extensions import db
from tests.assessments.attempt_steps import pass_knowledge_check
from tests.conftest import UserFactory
from tests.content_files import sample_module
from tests.marking.conftest import assessor, moderator
from tests.marking.marking_steps import as_user, marking_world
from tests.quiz_files import QuizWorld, finish_lessons

__all__ = ["assessor", "moderator"]

ZONE = ZoneInfo("Africa/Johannesburg")  # the test app's TIMEZONE (the default)
TODAY = utcnow().astimezone(ZONE).date()


@pytest.fixture(name="world")
def records_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """A1 (from the marking world) and B2, a plain three-lesson module."""
    world = marking_world(app, tmp_path / "programme")
    world.modules.append(sample_module("02-beta", "B2", order=2))
    world.publish()
    return world


def person(make_user: UserFactory, *roles: Role, **kwargs: object) -> User:
    """A committed user, loaded in the test's session."""
    user = db.session.get(User, make_user(*roles, **kwargs).id)
    assert user is not None
    return user


@pytest.fixture
def hr(app_context: None, make_user: UserFactory) -> User:
    return person(make_user, Role.HR, full_name="Lerato Molefe")


@pytest.fixture
def trainer(app_context: None, make_user: UserFactory) -> User:
    return person(make_user, Role.TRAINER, full_name="Sipho Ndlovu")


@pytest.fixture
def other_trainer(app_context: None, make_user: UserFactory) -> User:
    return person(make_user, Role.TRAINER, full_name="Anele Khumalo")


LearnerMaker = Callable[..., User]


@pytest.fixture
def make_learner(app_context: None, world: QuizWorld, make_user: UserFactory) -> LearnerMaker:
    """A learner with no progress; an employee number when given."""

    def make(name: str, *, email: str | None = None, employee_number: str | None = None) -> User:
        user = person(make_user, Role.LEARNER, full_name=name, email=email)
        user.employee_number = employee_number
        db.session.commit()
        return user

    return make


def module_id(code: str) -> int:
    return db.session.query(Module).filter_by(code=code).one().id


def make_cohort(
    trainer: User,
    name: str,
    *,
    start: date | None = None,
    due_days: dict[str, int] | None = None,
    due_on: dict[str, date] | None = None,
    client: str = "",
) -> Cohort:
    """A cohort run by `trainer`; each module due on a day of the cohort or on a date."""
    plans = [
        services.ModulePlan(module_id(code), due_day=day) for code, day in (due_days or {}).items()
    ]
    plans += [
        services.ModulePlan(module_id(code), due_on=on) for code, on in (due_on or {}).items()
    ]
    details = services.CohortDetails(
        name=name,
        start_date=start or TODAY - timedelta(days=10),
        modules=tuple(plans),
        client=client,
        trainer_ids=(trainer.id,),
    )
    cohort = services.create_cohort(details, actor=trainer)
    db.session.commit()
    return cohort


def enrol(cohort: Cohort, *learners: User, actor: User) -> None:
    for learner in learners:
        services.enrol(cohort, learner, actor=actor, now=utcnow())
    db.session.commit()


def withdraw(learner: User, *, actor: User) -> None:
    membership = services.current_membership(learner.id)
    assert membership is not None
    services.withdraw(membership, actor=actor, now=utcnow(), note="Left the company")
    db.session.commit()


def client_for(app: Flask, user: User) -> FlaskClient:
    return as_user(app, user)


@dataclass
class Organisation:
    """Two cohorts run by two trainers, and learners in every kind of place.

    Vela Wave 1 (Sipho's, client Vela Mobile) started ten days ago: A1 was due on day 3, so it
    is overdue unless complete, and B2 is due in thirty days. Brightcart Wave 2 (Anele's) takes
    B2 only, due in five days. Amahle and Bongani are in Wave 1 (Bongani finished every lesson
    and passed A1's knowledge check); Cebo was in Wave 1 and withdrew; Elias is in Wave 2;
    Dudu was never in a cohort.
    """

    wave1: Cohort
    wave2: Cohort
    amahle: User
    bongani: User
    cebo: User
    dudu: User
    elias: User


@pytest.fixture
def organisation(
    world: QuizWorld,
    make_learner: LearnerMaker,
    make_user: UserFactory,
    trainer: User,
    other_trainer: User,
) -> Organisation:
    wave1 = make_cohort(
        trainer,
        "Vela Wave 1",
        client="Vela Mobile",
        due_days={"A1": 3},
        due_on={"B2": TODAY + timedelta(days=30)},
    )
    wave2 = make_cohort(
        other_trainer, "Brightcart Wave 2", due_on={"B2": TODAY + timedelta(days=5)}
    )
    amahle = make_learner("Amahle Zulu", email="amahle@example.com", employee_number="EMP-001")
    bongani = person(
        make_user, Role.LEARNER, full_name="Bongani Mthethwa", email="bongani@example.com"
    )
    finish_lessons(world.app, bongani, now=utcnow() - timedelta(days=2))
    pass_knowledge_check(bongani)
    cebo = make_learner("Cebo Dlamini", email="cebo@example.com")
    dudu = make_learner("Dudu Nkosi", email="dudu@example.com", employee_number="EMP-404")
    elias = make_learner("Elias Botha", email="elias@example.com")
    enrol(wave1, amahle, bongani, cebo, actor=trainer)
    enrol(wave2, elias, actor=other_trainer)
    withdraw(cebo, actor=trainer)
    return Organisation(wave1, wave2, amahle, bongani, cebo, dudu, elias)
