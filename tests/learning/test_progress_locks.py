"""Modules taken in order: each lesson waits for the first unfinished one before it."""

from __future__ import annotations

import pytest

from lms.auth.models import User
from lms.extensions import db
from lms.learning import services
from lms.learning.services import LessonState
from tests.learning.conftest import FIRST, NOW, POLICY, SECOND, Programme, completed_count
from tests.learning.service_steps import (
    LATER,
    complete,
    learner_in_session,  # noqa: F401 - the `learner` fixture
    module_progress,
    open_,
    progress_rows,
    republish,
    status_of,
)


@pytest.fixture
def in_order(learner: User, programme: Programme) -> User:
    """The sample module republished with `lessons_in_order: true`; returns the learner."""
    programme.module().lessons_in_order = True
    republish(programme)
    return learner


def test_lessons_in_order_lock_each_lesson_behind_the_first_unfinished(in_order: User) -> None:
    """Every lesson after the first unfinished one is locked by that lesson."""
    statuses = module_progress(in_order).lessons

    assert [s.locked_by.lesson.slug if s.locked_by else None for s in statuses] == [
        None,
        FIRST,
        FIRST,
    ]


def test_opening_a_locked_lesson_raises_naming_the_lesson_to_finish(in_order: User) -> None:
    """Opening a later lesson before the earlier one is done raises LessonLocked; nothing kept."""
    with pytest.raises(services.LessonLocked) as locked:
        services.open_lesson(in_order, status_of(in_order, SECOND), now=NOW)

    assert locked.value.waiting_for.lesson.slug == FIRST
    assert "First steps" in str(locked.value)
    db.session.commit()
    assert progress_rows(in_order) == []


def test_completing_a_locked_lesson_raises_naming_the_lesson_to_finish(in_order: User) -> None:
    """Completing a later lesson first raises LessonLocked, even with the right revision."""
    open_(in_order, FIRST, at=NOW)
    status = status_of(in_order, SECOND)

    with pytest.raises(services.LessonLocked) as locked:
        services.complete_lesson(
            in_order, status, revision_id=status.revision.id, acknowledged=False, now=LATER
        )

    assert locked.value.waiting_for.lesson.slug == FIRST
    db.session.commit()
    assert [row.lesson_id for row in progress_rows(in_order)] == [
        status_of(in_order, FIRST).lesson.id
    ]
    assert completed_count() == 0


def test_finishing_a_lesson_opens_the_next_one_only(in_order: User) -> None:
    """Completing the first lesson opens the second; the third now waits for the second."""
    complete(in_order, FIRST, at=NOW)

    open_(in_order, SECOND, at=LATER)

    assert not status_of(in_order, SECOND).locked
    policy = status_of(in_order, POLICY)
    assert policy.locked_by is not None
    assert policy.locked_by.lesson.slug == SECOND


def test_without_lessons_in_order_any_lesson_opens_and_completes(learner: User) -> None:
    """A module not taken in order locks nothing: the last lesson may be done first."""
    open_(learner, POLICY, at=NOW)
    complete(learner, SECOND, at=LATER)

    assert [s.locked for s in module_progress(learner).lessons] == [False, False, False]
    assert status_of(learner, POLICY).state is LessonState.IN_PROGRESS
    assert status_of(learner, SECOND).state is LessonState.DONE
