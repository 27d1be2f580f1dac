"""A learner's progress through lessons and their signed acknowledgements of policy lessons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from lms.database import UTCDateTime, utcnow
from lms.extensions import Model


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
