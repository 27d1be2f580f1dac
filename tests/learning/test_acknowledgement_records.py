"""Policy acknowledgements in the services: recorded, audited, asked again, never changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError, ProgrammingError

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.learning import services
from lms.learning.models import AcknowledgementIsFinal
from tests.learning.conftest import NOW, POLICY, STATEMENT, Programme, acknowledgements
from tests.learning.service_steps import (
    ADDRESS,
    LATER,
    NEXT_DAY,
    complete,
    learner_in_session,  # noqa: F401 - the `learner` fixture
    progress_rows,
    republish,
    status_of,
)


def audit_events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


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
