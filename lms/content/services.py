"""Questions staff ask of the content: what is loaded, each lesson's history, a stored picture."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import load_only, selectinload

from lms.content.models import Lesson, LessonRevision, MediaFile, Module
from lms.database import is_row_id
from lms.extensions import db


@dataclass(frozen=True)
class LessonSummary:
    lesson: Lesson
    current: LessonRevision | None
    revision_count: int


def library() -> list[tuple[Module, list[LessonSummary]]]:
    """Every module, current and retired, with each lesson's current revision and history size."""
    modules = db.session.scalars(
        select(Module)
        .options(selectinload(Module.lessons), selectinload(Module.outcomes))
        .order_by(Module.retired_at.is_not(None), Module.position)
    ).all()
    summary_columns = load_only(
        LessonRevision.lesson_id,
        LessonRevision.number,
        LessonRevision.title,
        LessonRevision.word_count,
        LessonRevision.acknowledge,
        LessonRevision.created_at,
    )
    current_revisions = select(LessonRevision).where(LessonRevision.is_current)
    current = {
        revision.lesson_id: revision
        for revision in db.session.scalars(current_revisions.options(summary_columns))
    }
    counts = dict(
        db.session.execute(
            select(LessonRevision.lesson_id, func.count()).group_by(LessonRevision.lesson_id)
        ).all()
    )
    return [
        (
            module,
            [
                LessonSummary(lesson, current.get(lesson.id), counts.get(lesson.id, 0))
                for lesson in module.lessons
            ],
        )
        for module in modules
    ]


def get_revision(revision_id: int) -> LessonRevision | None:
    """A revision by id, or None (ids outside 32 bits name nothing)."""
    if not is_row_id(revision_id):
        return None
    return db.session.get(LessonRevision, revision_id)


def media_file(sha256: str) -> MediaFile | None:
    """A stored picture by the hash its URL carries."""
    return db.session.scalars(select(MediaFile).where(MediaFile.sha256 == sha256)).first()
