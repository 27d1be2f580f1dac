"""The learner's path as the services keep it: opening, completing, locks, revisions, policies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError, ProgrammingError

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.learning import services
from lms.learning.models import AcknowledgementIsFinal, LessonProgress
from lms.learning.services import LessonState, LessonStatus, ModuleProgress
from tests.conftest import UserFactory
from tests.learning.conftest import (
    FIRST,
    MODULE,
    NOW,
    POLICY,
    SECOND,
    STATEMENT,
    Programme,
    acknowledgements,
    completed_count,
    second_module,
)

LATER = NOW + timedelta(hours=1)
NEXT_DAY = NOW + timedelta(days=1)
ADDRESS = "203.0.113.7"


@pytest.fixture
def learner(app_context: None, programme: Programme, make_user: UserFactory) -> Iterator[User]:
    """A learner of the published sample module, loaded into the test's session."""
    user = db.session.get(User, make_user(Role.LEARNER).id)
    assert user is not None
    yield user
    db.session.rollback()


def republish(programme: Programme) -> None:
    """Publish the changed programme outside the test's transaction, then read it afresh."""
    db.session.commit()
    programme.publish()
    db.session.expire_all()


def module_progress(user: User, slug: str = MODULE) -> ModuleProgress:
    module = services.find_enrolled_module(user, slug)
    assert module is not None
    return services.progress_in(user, [module])[0]


def status_of(user: User, lesson_slug: str, module_slug: str = MODULE) -> LessonStatus:
    status = module_progress(user, module_slug).find(lesson_slug)
    assert status is not None
    return status


def open_(user: User, lesson_slug: str, *, at: datetime, module_slug: str = MODULE) -> None:
    """Open the lesson as its page does, and commit."""
    services.open_lesson(user, status_of(user, lesson_slug, module_slug), now=at)
    db.session.commit()


def complete(
    user: User,
    lesson_slug: str,
    *,
    at: datetime = NOW,
    acknowledged: bool = False,
    module_slug: str = MODULE,
) -> LessonProgress:
    """Complete the lesson's current revision, as "Mark as complete" does, and commit."""
    status = status_of(user, lesson_slug, module_slug)
    progress = services.complete_lesson(
        user,
        status,
        revision_id=status.revision.id,
        acknowledged=acknowledged,
        now=at,
        ip_address=ADDRESS,
    )
    db.session.commit()
    return progress


def progress_rows(user: User) -> list[LessonProgress]:
    query = select(LessonProgress).where(LessonProgress.user_id == user.id)
    return list(db.session.scalars(query.order_by(LessonProgress.id)))


def audit_events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def swap_first_two_lessons(programme: Programme) -> None:
    module = programme.module()
    module.lessons = [module.lessons[1], module.lessons[0], *module.lessons[2:]]


# Opening and completing


def test_opening_a_lesson_starts_it_on_the_current_revision(learner: User) -> None:
    """The first open records start and view, naming the revision read; nothing is done yet."""
    status = status_of(learner, FIRST)

    open_(learner, FIRST, at=NOW)

    [progress] = progress_rows(learner)
    assert progress.lesson_id == status.lesson.id
    assert progress.started_at == NOW
    assert progress.started_revision_id == status.revision.id
    assert progress.last_viewed_at == NOW
    assert progress.last_viewed_revision_id == status.revision.id
    assert progress.completed_at is None
    assert status_of(learner, FIRST).state is LessonState.IN_PROGRESS


def test_opening_a_lesson_again_moves_only_the_last_view(learner: User) -> None:
    """A second open keeps the one row and its start; only the last view moves."""
    open_(learner, FIRST, at=NOW)

    open_(learner, FIRST, at=LATER)

    [progress] = progress_rows(learner)
    assert progress.started_at == NOW
    assert progress.last_viewed_at == LATER
    assert progress.completed_at is None


def test_reopening_within_a_minute_writes_nothing(learner: User) -> None:
    """A reread within VIEW_RECORD_INTERVAL leaves the last view as it was."""
    open_(learner, FIRST, at=NOW)

    services.open_lesson(learner, status_of(learner, FIRST), now=NOW + timedelta(seconds=59))

    assert not db.session.dirty
    db.session.commit()
    [progress] = progress_rows(learner)
    assert progress.last_viewed_at == NOW


def test_reopening_a_new_revision_is_recorded_at_once(learner: User, programme: Programme) -> None:
    """A reread of an updated lesson is written even within the minute, naming the new revision."""
    open_(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "A new version of the text."
    republish(programme)
    status = status_of(learner, FIRST)

    open_(learner, FIRST, at=NOW + timedelta(seconds=5))

    [progress] = progress_rows(learner)
    assert progress.last_viewed_at == NOW + timedelta(seconds=5)
    assert progress.last_viewed_revision_id == status.revision.id
    assert progress.started_revision_id != status.revision.id


def test_completing_records_the_time_revision_and_content_hash(learner: User) -> None:
    """Completion names the moment, the revision read and the hash of what it said."""
    revision = status_of(learner, FIRST).revision
    open_(learner, FIRST, at=NOW)

    complete(learner, FIRST, at=LATER)

    [progress] = progress_rows(learner)
    assert progress.completed_at == LATER
    assert progress.confirmed_at == LATER
    assert progress.completed_revision_id == revision.id
    assert progress.completed_content_hash == revision.content_hash
    assert progress.started_at == NOW
    assert status_of(learner, FIRST).state is LessonState.DONE


def test_completing_an_unopened_lesson_also_starts_it(learner: User) -> None:
    """Completing a lesson never opened records its start at the same moment."""
    complete(learner, SECOND, at=NOW)

    [progress] = progress_rows(learner)
    assert progress.started_at == progress.completed_at == NOW


def test_completing_twice_keeps_the_first_completion_time(learner: User) -> None:
    """A second completion confirms again but the first completion time stays on record."""
    complete(learner, FIRST, at=NOW)

    complete(learner, FIRST, at=NEXT_DAY)

    [progress] = progress_rows(learner)
    assert progress.completed_at == NOW
    assert progress.confirmed_at == NEXT_DAY


# Content that changes after completion


def test_a_content_change_says_updated_since_read_and_keeps_the_completion(
    learner: User, programme: Programme
) -> None:
    """New text makes a new revision: the lesson stays done but says it was updated."""
    read = status_of(learner, FIRST).revision
    complete(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "The procedure has changed: read this again."

    republish(programme)

    status = status_of(learner, FIRST)
    assert status.revision.id != read.id
    assert status.revision.content_hash != read.content_hash
    assert status.done
    assert status.updated_since_read
    assert status.progress is not None
    assert status.progress.completed_at == NOW
    assert status.progress.completed_revision_id == read.id
    assert module_progress(learner).done_count == 1


def test_confirming_the_updated_lesson_clears_updated_since_read(
    learner: User, programme: Programme
) -> None:
    """Completing the new revision moves the revision and hash, not the first completion."""
    complete(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "The procedure has changed: read this again."
    republish(programme)
    current = status_of(learner, FIRST).revision

    complete(learner, FIRST, at=NEXT_DAY)

    status = status_of(learner, FIRST)
    assert not status.updated_since_read
    assert status.progress is not None
    assert status.progress.completed_at == NOW
    assert status.progress.confirmed_at == NEXT_DAY
    assert status.progress.completed_revision_id == current.id
    assert status.progress.completed_content_hash == current.content_hash


def test_an_order_only_change_is_not_an_update(learner: User, programme: Programme) -> None:
    """Moving a lesson makes a new revision with the same content hash: not "updated"."""
    read = status_of(learner, FIRST).revision
    complete(learner, FIRST, at=NOW)
    swap_first_two_lessons(programme)

    republish(programme)

    status = status_of(learner, FIRST)
    assert status.revision.id != read.id
    assert status.revision.content_hash == read.content_hash
    assert status.number == 2
    assert status.done
    assert not status.updated_since_read


def test_an_order_only_change_does_not_ask_for_the_statement_again(
    learner: User, programme: Programme
) -> None:
    """A policy lesson moved, its wording unchanged, stays acknowledged."""
    complete(learner, POLICY, at=NOW, acknowledged=True)
    module = programme.module()
    module.lessons = [module.lessons[2], *module.lessons[:2]]

    republish(programme)

    status = status_of(learner, POLICY)
    assert status.number == 1
    assert not status.updated_since_read
    assert not status.needs_acknowledgement


# Lessons taken in order


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


# The revision read


def test_completing_a_revision_other_than_the_current_one_raises(
    learner: User, programme: Programme
) -> None:
    """A completion naming the revision read before an update raises RevisionChanged."""
    opened = status_of(learner, FIRST)
    open_(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "Changed while the learner was reading."
    republish(programme)

    with pytest.raises(services.RevisionChanged):
        services.complete_lesson(
            learner,
            status_of(learner, FIRST),
            revision_id=opened.revision.id,
            acknowledged=False,
            now=LATER,
        )

    db.session.commit()
    assert completed_count() == 0


@pytest.mark.parametrize("wrong", [0, -1, 2**31, 2**63], ids=["zero", "negative", "2^31", "2^63"])
def test_completing_with_an_id_that_names_no_revision_raises(learner: User, wrong: int) -> None:
    """An id that is not the current revision's is refused before anything is written."""
    with pytest.raises(services.RevisionChanged):
        services.complete_lesson(
            learner, status_of(learner, FIRST), revision_id=wrong, acknowledged=False, now=NOW
        )

    db.session.commit()
    assert progress_rows(learner) == []


# Policy lessons and their acknowledgements


def test_a_policy_lesson_without_the_statement_confirmed_is_not_completed(
    learner: User,
) -> None:
    """Without `acknowledged` a policy lesson raises AcknowledgementMissing and records nothing."""
    status = status_of(learner, POLICY)
    assert status.needs_acknowledgement

    with pytest.raises(services.AcknowledgementMissing):
        services.complete_lesson(
            learner, status, revision_id=status.revision.id, acknowledged=False, now=NOW
        )

    db.session.commit()
    assert progress_rows(learner) == []
    assert acknowledgements() == []
    assert audit_events("lesson.acknowledged") == []


def test_acknowledging_a_policy_lesson_records_who_what_when_and_where(learner: User) -> None:
    """The acknowledgement keeps learner, revision, statement, content hash, time and address."""
    revision = status_of(learner, POLICY).revision

    complete(learner, POLICY, at=NOW, acknowledged=True)

    [record] = acknowledgements()
    assert record.user_id == learner.id
    assert record.revision_id == revision.id
    assert record.statement == STATEMENT
    assert record.content_hash == revision.content_hash
    assert record.acknowledged_at == NOW
    assert record.ip_address == ADDRESS
    status = status_of(learner, POLICY)
    assert status.done
    assert not status.needs_acknowledgement


def test_acknowledging_a_policy_lesson_is_audited(learner: User) -> None:
    """The audit trail gets `lesson.acknowledged` by the learner, naming the revision."""
    revision = status_of(learner, POLICY).revision

    complete(learner, POLICY, at=NOW, acknowledged=True)

    [event] = audit_events("lesson.acknowledged")
    assert event.actor_id == learner.id
    assert event.object_type == "lesson_revisions"
    assert event.object_id == str(revision.id)
    assert event.ip_address == ADDRESS
    assert event.details == {"lesson_id": revision.lesson_id, "revision": revision.number}


def test_completing_an_acknowledged_policy_lesson_again_adds_no_second_record(
    learner: User,
) -> None:
    """The same revision is acknowledged once, however often it is completed."""
    complete(learner, POLICY, at=NOW, acknowledged=True)

    complete(learner, POLICY, at=LATER, acknowledged=True)

    assert len(acknowledgements()) == 1
    assert len(audit_events("lesson.acknowledged")) == 1


def test_a_changed_policy_needs_a_new_acknowledgement_and_keeps_the_old_one(
    learner: User, programme: Programme
) -> None:
    """After the policy changes it must be confirmed again; both confirmations are kept."""
    first = status_of(learner, POLICY).revision
    complete(learner, POLICY, at=NOW, acknowledged=True)
    programme.lesson(POLICY).body = "Breaks are now taken in the quiet room."
    republish(programme)
    status = status_of(learner, POLICY)
    assert status.needs_acknowledgement
    assert status.updated_since_read

    complete(learner, POLICY, at=NEXT_DAY, acknowledged=True)

    old, new = acknowledgements()
    assert (old.revision_id, old.acknowledged_at, old.content_hash) == (
        first.id,
        NOW,
        first.content_hash,
    )
    assert (new.revision_id, new.acknowledged_at) == (status.revision.id, NEXT_DAY)
    assert new.content_hash == status.revision.content_hash != first.content_hash
    assert not status_of(learner, POLICY).needs_acknowledgement
    assert len(audit_events("lesson.acknowledged")) == 2


def test_a_changed_policy_without_the_tick_keeps_the_old_acknowledgement_only(
    learner: User, programme: Programme
) -> None:
    """Confirming the changed policy without the tick raises and adds nothing."""
    complete(learner, POLICY, at=NOW, acknowledged=True)
    programme.lesson(POLICY).body = "Breaks are now taken in the quiet room."
    republish(programme)
    status = status_of(learner, POLICY)

    with pytest.raises(services.AcknowledgementMissing):
        services.complete_lesson(
            learner, status, revision_id=status.revision.id, acknowledged=False, now=NEXT_DAY
        )

    db.session.commit()
    assert len(acknowledgements()) == 1
    assert status_of(learner, POLICY).needs_acknowledgement


def test_an_acknowledgement_cannot_be_changed_through_the_models(learner: User) -> None:
    """Changing a recorded acknowledgement raises AcknowledgementIsFinal at flush."""
    complete(learner, POLICY, at=NOW, acknowledged=True)
    [record] = acknowledgements()
    record.statement = "I agree to nothing."

    with pytest.raises(AcknowledgementIsFinal):
        db.session.flush()

    db.session.rollback()
    assert [a.statement for a in acknowledgements()] == [STATEMENT]


def test_the_database_refuses_to_change_an_acknowledgement(learner: User) -> None:
    """A raw UPDATE is refused by the trigger (SQLite: IntegrityError, PostgreSQL: P0001)."""
    complete(learner, POLICY, at=NOW, acknowledged=True)
    # SQLite's RAISE(ABORT) is a constraint failure; psycopg files PL/pgSQL's RAISE EXCEPTION
    # (SQLSTATE P0001, RaiseException) under ProgrammingError.
    refusal = {"sqlite": IntegrityError, "postgresql": ProgrammingError}[db.engine.dialect.name]

    with pytest.raises(DatabaseError, match="acknowledgements cannot be changed") as refused:
        db.session.execute(text("UPDATE lesson_acknowledgements SET statement = 'x'"))

    assert isinstance(refused.value, refusal)
    db.session.rollback()
    assert [a.statement for a in acknowledgements()] == [STATEMENT]


# A module's progress


def test_module_progress_counts_percent_minutes_and_the_next_lesson(
    learner: User, programme: Programme
) -> None:
    """Percent, minutes left and the next lesson follow each completion to the end."""
    for lesson, minutes in zip(programme.module().lessons, (4, 6, 8), strict=True):
        lesson.minutes = minutes
    republish(programme)
    seen = []

    for lesson in (None, FIRST, SECOND, POLICY):
        if lesson is not None:
            complete(learner, lesson, at=NOW, acknowledged=lesson == POLICY)
        progress = module_progress(learner)
        following = progress.next_lesson
        seen.append(
            (
                progress.done_count,
                progress.percent,
                progress.minutes_left,
                following.lesson.slug if following else None,
                progress.complete,
            )
        )

    assert seen == [
        (0, 0, 18, FIRST, False),
        (1, 33, 14, SECOND, False),
        (2, 67, 8, POLICY, False),
        (3, 100, 0, None, True),
    ]


def test_next_lesson_skips_lessons_already_done(learner: User) -> None:
    """With the second lesson done out of order, the next lesson is still the first."""
    complete(learner, SECOND, at=NOW)

    following = module_progress(learner).next_lesson

    assert following is not None
    assert following.lesson.slug == FIRST


def test_a_retired_lesson_drops_out_of_progress(learner: User, programme: Programme) -> None:
    """A removed lesson no longer counts, done or not; the others are renumbered."""
    complete(learner, SECOND, at=NOW)
    programme.remove_lesson(SECOND)

    republish(programme)

    progress = module_progress(learner)
    assert [(s.lesson.slug, s.number) for s in progress.lessons] == [(FIRST, 1), (POLICY, 2)]
    assert progress.done_count == 0
    assert progress.percent == 0
    assert progress.find(SECOND) is None


# Where to carry on


def test_resume_point_is_the_first_lesson_before_anything_is_opened(learner: User) -> None:
    """With nothing opened, carry on at the first lesson of the first module."""
    resume = services.resume_point([module_progress(learner)])

    assert resume is not None
    assert resume.lesson.slug == FIRST
    assert resume.progress is None


def test_resume_point_is_the_most_recently_viewed_unfinished_lesson(
    learner: User, programme: Programme
) -> None:
    """The unfinished lesson viewed last wins, across modules."""
    programme.modules.append(second_module())
    republish(programme)
    open_(learner, FIRST, at=NOW)
    open_(learner, SECOND, at=LATER, module_slug="beta")
    open_(learner, POLICY, at=NOW + timedelta(minutes=30))
    modules = services.progress_in(learner, services.enrolled_modules(learner))

    resume = services.resume_point(modules)

    assert resume is not None
    assert (resume.lesson.module.slug, resume.lesson.slug) == ("beta", SECOND)


def test_resume_point_passes_over_finished_lessons(learner: User) -> None:
    """A lesson viewed last but finished gives way to the latest unfinished one."""
    open_(learner, SECOND, at=NOW)
    complete(learner, FIRST, at=LATER)

    resume = services.resume_point([module_progress(learner)])

    assert resume is not None
    assert resume.lesson.slug == SECOND


def test_resume_point_is_the_next_lesson_when_nothing_opened_is_unfinished(
    learner: User,
) -> None:
    """With every opened lesson finished, carry on at the next lesson to start."""
    complete(learner, FIRST, at=NOW)

    resume = services.resume_point([module_progress(learner)])

    assert resume is not None
    assert resume.lesson.slug == SECOND
    assert resume.progress is None


def test_resume_point_is_none_when_every_lesson_is_done(learner: User) -> None:
    """Nothing to carry on with once all is done."""
    for lesson in (FIRST, SECOND, POLICY):
        complete(learner, lesson, at=NOW, acknowledged=lesson == POLICY)

    assert services.resume_point([module_progress(learner)]) is None


# Enrolment


def test_enrolled_modules_are_the_current_ones_in_programme_order(
    learner: User, programme: Programme
) -> None:
    """Every module not retired, by its order; a retired one is neither listed nor found."""
    programme.modules.append(second_module())
    programme.module().order = 3
    republish(programme)
    assert [m.slug for m in services.enrolled_modules(learner)] == ["beta", MODULE]

    programme.remove_module("B1")
    republish(programme)

    assert [m.slug for m in services.enrolled_modules(learner)] == [MODULE]
    assert services.find_enrolled_module(learner, "beta") is None
    assert services.find_enrolled_module(learner, MODULE) is not None
