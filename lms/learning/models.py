"""A learner's progress through lessons, their signed acknowledgements of policy lessons, and
the restarts of a module whose certificate expired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from lms.database import UTCDateTime, utcnow
from lms.extensions import Model, db


class LessonProgress(Model):
    """One learner's state in one lesson, naming the revisions they opened and completed."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id"),
        Index("ix_lesson_progress_user_viewed", "user_id", "last_viewed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_revision_id: Mapped[int] = mapped_column(ForeignKey("lesson_revisions.id"))
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_viewed_revision_id: Mapped[int] = mapped_column(ForeignKey("lesson_revisions.id"))
    # The first completion is kept for the record; confirming a later revision moves only
    # `completed_revision_id` and `confirmed_at`.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    completed_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_revisions.id"), default=None
    )
    completed_content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @property
    def done(self) -> bool:
        return self.completed_at is not None


class LessonAcknowledgement(Model):
    """A learner's confirmation of a policy lesson's statement: written once, never changed."""

    __tablename__ = "lesson_acknowledgements"
    __table_args__ = (UniqueConstraint("user_id", "revision_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("lesson_revisions.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45), default=None)


class AcknowledgementIsFinal(Exception):
    """Raised on any attempt to change a recorded acknowledgement."""


@event.listens_for(LessonAcknowledgement, "before_update")
def _refuse_changes(_mapper: Any, _connection: Any, target: LessonAcknowledgement) -> None:
    # The database refuses too (a trigger from the migration); this names the problem sooner.
    raise AcknowledgementIsFinal(f"acknowledgement {target.id} cannot be changed")


class ModuleRestart(Model):
    """A learner taking a module again from the start of its assessments (a recertification).

    Quiz attempts started, and outcome judgements of attempts started, before the latest
    restart no longer count towards the learner's standing in the module; they stay stored.
    """

    __tablename__ = "module_restarts"
    __table_args__ = (UniqueConstraint("learner_id", "module_id", "restarted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # led by the unique key
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    restarted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(200))
    # The expired certificate that opened it: one restart per certificate, however often the
    # daily command runs.
    certificate_code: Mapped[str | None] = mapped_column(String(14), unique=True, default=None)


def restart_time(user_id: int, module_id: int) -> datetime | None:
    """When the learner last restarted the module; None if they never have."""
    query = select(func.max(ModuleRestart.restarted_at)).where(
        ModuleRestart.learner_id == user_id, ModuleRestart.module_id == module_id
    )
    return db.session.scalar(query)


def latest_restart(user_id: int, module_id: int) -> ModuleRestart | None:
    query = (
        select(ModuleRestart)
        .where(ModuleRestart.learner_id == user_id, ModuleRestart.module_id == module_id)
        .order_by(ModuleRestart.restarted_at.desc())
    )
    return db.session.scalars(query.limit(1)).first()


def restart_count(user_id: int, module_id: int) -> int:
    """How many times the learner has restarted the module."""
    query = select(func.count()).where(
        ModuleRestart.learner_id == user_id, ModuleRestart.module_id == module_id
    )
    return db.session.scalar(query) or 0
