"""What a sync left in the database: every row, counts, tallies, lessons and revisions."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from lms.content.models import Lesson, LessonRevision
from lms.content.sync import SyncReport
from lms.extensions import db


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of every table, so "nothing changed" can be checked exactly."""
    with app.app_context():
        rows = {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return rows


def counts(app: Flask) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot(app).items()}


def tallies(report: SyncReport) -> dict[str, tuple[int, int, int, int, int]]:
    """(total, created, updated, unchanged, retired) for modules, lessons and media."""
    return {
        name: (t.total, t.created, t.updated, t.unchanged, t.retired)
        for name, t in (
            ("modules", report.modules),
            ("lessons", report.lessons),
            ("media", report.media),
        )
    }


def lesson_row(slug: str) -> Lesson:
    return db.session.scalars(select(Lesson).where(Lesson.slug == slug)).one()


def revisions(slug: str) -> list[LessonRevision]:
    return list(
        db.session.scalars(
            select(LessonRevision)
            .join(Lesson)
            .where(Lesson.slug == slug)
            .order_by(LessonRevision.number)
        )
    )
