"""Finalising and holding a marking: refusals that change nothing, one holder at a time, and
the queue an assessor sees."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.extensions import db
from lms.marking import marking_queue, services
from lms.marking.marking_queue import QueueFilter
from lms.marking.models import (
    Marking,
)
from lms.marking.services import (
    MarkingError,
    MarkingHeld,
    MarkingInput,
    StaleMarking,
)
from tests.conftest import UserFactory
from tests.content_files import sample_module
from tests.marking.marking_steps import (
    NOW,
    C,
    finalise,
    judgements_input,
    judgements_of,
    module_a1,
    submit_summative,
)
from tests.marking.steps_marking import (
    DAY,
    FINALISE_REFUSALS,
    HOUR,
    LO1,
    LO2,
    assign_to_a1,
    audit_trail,
    learner_who_assesses,
    learners,
    queued,
    refused,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    sampling_switched_off,  # noqa: F401 - the `no_sampling` fixture
    scored,
    user_with_roles,
)
from tests.quiz_files import QuizWorld

# Draft, sample, final ---------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "field"), FINALISE_REFUSALS.values(), ids=FINALISE_REFUSALS)
def test_a_refused_finalisation_changes_nothing(
    learner: User,
    assessor: User,
    given: Callable[[Marking, Attempt], MarkingInput],
    field: str | None,
) -> None:
    """Each bad form names the field at fault; rolled back as a request would, nothing moved."""
    attempt = submit_summative(learner)
    marking = services.open_marking(assessor, attempt, now=NOW)
    db.session.commit()
    refusal = refused(
        lambda: services.finalise(marking, assessor, given(marking, attempt), now=NOW)
    )
    assert (type(refusal), refusal.field) == (MarkingError, field)


def test_a_stale_or_second_finalisation_changes_nothing(learner: User, assessor: User) -> None:
    """A form older than the last save, or a finalised marking finalised again: StaleMarking."""
    attempt = submit_summative(learner)
    marking = services.open_marking(assessor, attempt, now=NOW)
    old = judgements_input(marking, {LO1: C, LO2: C})
    services.save_draft(marking, assessor, judgements_input(marking, {}), now=NOW)
    db.session.commit()
    refused(lambda: services.finalise(marking, assessor, old, now=NOW), StaleMarking)

    finalise(assessor, attempt, {LO1: C, LO2: C})
    again = judgements_input(marking, {LO1: C})
    refused(lambda: services.finalise(marking, assessor, again, now=NOW), StaleMarking)


# Who holds a marking, and who may mark -----------------------------------------------------


def test_a_held_marking_is_refused_to_another_assessor(
    learner: User, assessor: User, make_user: UserFactory
) -> None:
    """The second assessor is told who holds it, and can neither save nor finalise."""
    other = assign_to_a1(user_with_roles(make_user, Role.ASSESSOR, full_name="Lerato Khumalo"))
    attempt = submit_summative(learner)
    marking = services.open_marking(assessor, attempt, now=NOW)
    db.session.commit()
    held = refused(lambda: services.open_marking(other, attempt, now=NOW), MarkingHeld)
    assert "Priya Naidoo is marking" in str(held)
    given = judgements_input(marking, {LO1: C, LO2: C})
    refused(lambda: services.save_draft(marking, other, given, now=NOW), MarkingHeld)
    refused(lambda: services.finalise(marking, other, given, now=NOW), MarkingHeld)
    refused(lambda: services.release_marking(marking, other))


def test_releasing_a_draft_lets_another_assessor_take_it(
    learner: User, assessor: User, make_user: UserFactory
) -> None:
    """Handed back: the draft's verdicts and marks go, and the next assessor holds it."""
    other = assign_to_a1(user_with_roles(make_user, Role.ASSESSOR, full_name="Lerato Khumalo"))
    attempt = submit_summative(learner)
    marking = services.open_marking(assessor, attempt, now=NOW)
    services.save_draft(marking, assessor, scored(marking, attempt, 1), now=NOW)
    services.release_marking(marking, assessor)
    db.session.commit()

    assert judgements_of(attempt) == [] and services.marks_by_response(attempt) == {}
    assert ("marking.released", assessor.id) in audit_trail(attempt)
    taken = services.open_marking(other, attempt, now=NOW + HOUR)
    assert (taken.assessor_id, taken.version) == (other.id, 1)


def test_a_learner_never_marks_their_own_attempt(
    world: QuizWorld, learner: User, assessor: User, make_user: UserFactory
) -> None:
    """A learner who is also an assessor of the module: not their own work, but others'."""
    both = learner_who_assesses(world, make_user)
    own, others = submit_summative(both), submit_summative(learner)
    assert marking_queue.markable_attempt(both, own.id) is None
    assert marking_queue.markable_attempt(both, others.id) is others
    assert queued(both) == [others.id]
    assert queued(assessor) == [own.id, others.id]


def test_an_assessor_marks_only_the_modules_assigned_to_them(
    world: QuizWorld, learner: User, assessor: User, make_user: UserFactory
) -> None:
    """Assigned to another module only: the attempt is neither markable nor queued."""
    db.session.commit()
    world.modules.append(sample_module("02-beta", "B1", order=2))
    world.publish()
    b1 = db.session.scalars(select(Module).where(Module.code == "B1")).one()
    elsewhere = user_with_roles(make_user, Role.ASSESSOR, full_name="Lerato Khumalo")
    marking_queue.set_module_assessors(b1, [elsewhere, assessor], actor=assessor)
    attempt = submit_summative(learner)

    assert marking_queue.markable_attempt(elsewhere, attempt.id) is None
    assert (queued(elsewhere), marking_queue.queue_count(elsewhere)) == ([], 0)
    assert queued(assessor, QueueFilter(module_id=b1.id)) == []
    assert queued(assessor, QueueFilter(module_id=module_a1().id)) == [attempt.id]


def test_the_queue_is_oldest_first_and_filters_by_days_waiting(
    world: QuizWorld, assessor: User, make_user: UserFactory
) -> None:
    """Submitted on days 0, 2 and 1: listed 0, 1, 2; at least two days waiting leaves 0 and 1."""
    day0, day2, day1 = (
        submit_summative(person, at=NOW + offset)
        for person, offset in zip(
            learners(world, make_user, 3), (0 * DAY, 2 * DAY, DAY), strict=True
        )
    )
    assert queued(assessor) == [day0.id, day1.id, day2.id]
    assert queued(assessor, QueueFilter(waiting_days=2)) == [day0.id, day1.id]
    assert queued(assessor, QueueFilter(waiting_days=3)) == [day0.id]
    assert marking_queue.queue_count(assessor) == 3
    finalise(assessor, day1, {LO1: C, LO2: C})
    assert (queued(assessor), marking_queue.queue_count(assessor)) == ([day0.id, day2.id], 2)
