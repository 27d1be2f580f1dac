"""What belonging to a cohort changes elsewhere: which modules a learner studies, which
attempts an assessor marks, and which moderation pool a judgement is drawn in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services
from lms.cohorts.models import Cohort
from lms.content.catalogue import ModuleEntry, current_catalogue
from lms.content.models import Module
from lms.extensions import db
from lms.learning import services as learning
from lms.marking import marking_queue
from lms.marking.models import ModerationPool
from tests.conftest import UserFactory
from tests.content_files import sample_module
from tests.marking.conftest import assessor
from tests.marking.marking_steps import (
    NOW,
    C,
    as_user,
    finalise,
    judgements_of,
    marking_world,
    new_learner,
    submit_summative,
)
from tests.quiz_files import QuizWorld

__all__ = ["assessor"]


@pytest.fixture(name="world")
def two_module_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """The marking world's A1 (essays judged by outcome) and a second module, B2."""
    world = marking_world(app, tmp_path / "programme")
    world.modules.append(sample_module("02-beta", "B2", order=2))
    world.publish()
    return world


@pytest.fixture
def trainer(app_context: None, make_user: UserFactory) -> User:
    user = db.session.get(User, make_user(Role.TRAINER, full_name="Sipho Ndlovu").id)
    assert user is not None
    return user


def module(code: str) -> Module:
    return db.session.query(Module).filter_by(code=code).one()


def cohort(
    trainer: User, name: str, codes: tuple[str, ...], assessors: tuple[User, ...] = ()
) -> Cohort:
    details = services.CohortDetails(
        name=name,
        start_date=date(2026, 11, 2),
        modules=tuple(services.ModulePlan(module(code).id, due_day=5) for code in codes),
        assessor_ids=tuple(user.id for user in assessors),
    )
    made = services.create_cohort(details, actor=trainer)
    db.session.commit()
    return made


def codes_of(learner: User) -> list[str]:
    return [entry.code for entry in learning.enrolled_modules(learner)]


def test_a_learner_never_in_a_cohort_studies_the_whole_programme(
    world: QuizWorld, make_user: UserFactory, trainer: User
) -> None:
    learner = new_learner(world, make_user)
    assert codes_of(learner) == ["A1", "B2"]


def test_a_cohort_learner_studies_only_the_cohorts_modules(
    world: QuizWorld, make_user: UserFactory, trainer: User, app: Flask
) -> None:
    learner = new_learner(world, make_user)
    services.enrol(cohort(trainer, "January", ("B2",)), learner, actor=trainer, now=NOW)
    db.session.commit()
    assert codes_of(learner) == ["B2"]
    assert learning.find_enrolled_module(learner, module("A1").slug) is None


def test_moving_changes_the_modules_and_withdrawing_leaves_none(
    world: QuizWorld, make_user: UserFactory, trainer: User
) -> None:
    learner = new_learner(world, make_user)
    first, second = cohort(trainer, "January", ("B2",)), cohort(trainer, "February", ("A1",))
    membership = services.enrol(first, learner, actor=trainer, now=NOW)
    moved = services.move(membership, second, actor=trainer, now=NOW, note="Shift change")
    db.session.commit()
    assert codes_of(learner) == ["A1"]
    services.withdraw(moved, actor=trainer, now=NOW, note="Left the company")
    db.session.commit()
    assert codes_of(learner) == []
    # The lessons read and the knowledge check passed before all this are still there.
    standing = learning.progress_in(learner, [world_module("A1")])[0]
    assert standing.complete


def world_module(code: str) -> ModuleEntry:
    return next(entry for entry in current_catalogue().modules if entry.code == code)


def test_a_cohorts_assessor_marks_its_learners_only(
    world: QuizWorld, make_user: UserFactory, trainer: User
) -> None:
    cohort_assessor = db.session.get(User, make_user(Role.ASSESSOR).id)
    assert cohort_assessor is not None
    ours, theirs = new_learner(world, make_user), new_learner(world, make_user)
    ours_cohort = cohort(trainer, "January", ("A1",), assessors=(cohort_assessor,))
    services.enrol(ours_cohort, ours, actor=trainer, now=NOW)
    services.enrol(cohort(trainer, "February", ("A1",)), theirs, actor=trainer, now=NOW)
    db.session.commit()
    mine, other = submit_summative(ours), submit_summative(theirs)
    db.session.commit()

    queue = marking_queue.queue_query(cohort_assessor, marking_queue.QueueFilter(), now=NOW)
    assert [attempt.id for attempt in db.session.scalars(queue)] == [mine.id]
    assert marking_queue.markable_attempt(cohort_assessor, mine.id) is not None
    assert marking_queue.markable_attempt(cohort_assessor, other.id) is None
    assert marking_queue.assigned_module_ids(cohort_assessor) == [module("A1").id]


def test_a_module_assessor_still_marks_every_learner(
    world: QuizWorld, make_user: UserFactory, trainer: User, assessor: User
) -> None:
    learner = new_learner(world, make_user)
    services.enrol(cohort(trainer, "January", ("A1",)), learner, actor=trainer, now=NOW)
    db.session.commit()
    attempt = submit_summative(learner)
    db.session.commit()
    assert marking_queue.markable_attempt(assessor, attempt.id) is not None


def test_judgements_are_drawn_in_the_learners_cohort_pool(
    world: QuizWorld, make_user: UserFactory, trainer: User, assessor: User
) -> None:
    in_cohort, alone = new_learner(world, make_user), new_learner(world, make_user)
    january = cohort(trainer, "January", ("A1",))
    services.enrol(january, in_cohort, actor=trainer, now=NOW)
    db.session.commit()
    attempts = {learner.id: submit_summative(learner) for learner in (in_cohort, alone)}
    for attempt in attempts.values():
        finalise(assessor, attempt, {"A1-LO1": C, "A1-LO2": C})

    pools = {pool.id: pool.cohort_key for pool in db.session.query(ModerationPool)}
    keys = {
        learner_id: {pools[j.pool_id] for j in judgements_of(attempt)}
        for learner_id, attempt in attempts.items()
    }
    assert keys == {in_cohort.id: {str(january.id)}, alone.id: {""}}


def test_a_cohorts_assessor_reads_the_records_of_its_learners_only(
    world: QuizWorld, make_user: UserFactory, trainer: User, app: Flask
) -> None:
    cohort_assessor = db.session.get(User, make_user(Role.ASSESSOR).id)
    assert cohort_assessor is not None
    ours, theirs = new_learner(world, make_user), new_learner(world, make_user)
    services.enrol(
        cohort(trainer, "January", ("A1",), assessors=(cohort_assessor,)),
        ours,
        actor=trainer,
        now=NOW,
    )
    services.enrol(cohort(trainer, "February", ("A1",)), theirs, actor=trainer, now=NOW)
    db.session.commit()
    slug = module("A1").slug
    client = as_user(app, cohort_assessor)
    assert client.get(f"/learners/{ours.id}/record/{slug}").status_code == 200
    assert client.get(f"/learners/{theirs.id}/record/{slug}").status_code == 404
    assert client.get(f"/learners/{ours.id}/record/{module('B2').slug}").status_code == 404
