"""Modules, their outcomes and lessons, and every revision of a lesson ever published.

A lesson's text is never edited in place: a change is a new `LessonRevision`, so progress and
acknowledgements can always name the exact version a learner read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime, utcnow
from lms.extensions import Model


class Module(Model):
    """A unit of the programme; its identity is `code`, which assessments refer to."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    estimated_minutes: Mapped[int] = mapped_column(Integer)
    reviewed_on: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)
    lessons_in_order: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_valid_months: Mapped[int | None] = mapped_column(Integer, default=None)
    intro_html: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String(255))
    source_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="module", order_by="Outcome.position"
    )
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position"
    )

    @property
    def current_outcomes(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.retired_at is None]

    def __repr__(self) -> str:
        return f"<Module {self.code} {self.slug}>"


class Outcome(Model):
    """A learning outcome: what an assessor will judge Competent or Not Yet Competent."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    statement: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    module: Mapped[Module] = relationship(back_populates="outcomes")


class Lesson(Model):
    """A lesson's identity (module + slug); what it says lives in its revisions."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    module: Mapped[Module] = relationship(back_populates="lessons")
    revisions: Mapped[list[LessonRevision]] = relationship(
        back_populates="lesson", order_by="LessonRevision.number"
    )

    def __repr__(self) -> str:
        return f"<Lesson {self.id} {self.slug}>"


class LessonRevision(Model):
    """One published version of a lesson: its source, its sanitised HTML and its hash."""

    __tablename__ = "lesson_revisions"
    __table_args__ = (
        UniqueConstraint("lesson_id", "number"),
        CheckConstraint("number >= 1", name="positive_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    estimated_minutes: Mapped[int] = mapped_column(Integer)
    word_count: Mapped[int] = mapped_column(Integer)
    acknowledge: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledge_statement: Mapped[str | None] = mapped_column(Text, default=None)
    outcome_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Any change to the file makes a new revision; only a change to what is read (title, text,
    # pictures, statement) changes `content_hash` and tells learners it was updated.
    source_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(String(255))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="revisions")

    def __repr__(self) -> str:
        return f"<LessonRevision {self.lesson_id}#{self.number}>"


# At most one revision of a lesson is the one served now.
Index(
    "uq_lesson_revisions_current_lesson",
    LessonRevision.lesson_id,
    unique=True,
    sqlite_where=LessonRevision.is_current,
    postgresql_where=LessonRevision.is_current,
)


class MediaFile(Model):
    """An image used by lessons, stored by content hash so every revision keeps its pictures."""

    __tablename__ = "media_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(120))
    mime_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentStamp(Model):
    """One row whose stamp changes whenever a sync changes the published content."""

    __tablename__ = "content_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
