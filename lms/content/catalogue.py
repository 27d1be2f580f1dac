"""The published programme as plain values, kept in memory and reloaded only after a sync.

Every learner page needs the modules, their outcomes and their lessons' current revisions.
They change only when `lms content sync` changes something, which writes a new stamp. A
process asks the database for that stamp at most once a second and reloads only when it moved;
a sync run in the same process takes effect at once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from lms.content.models import ContentStamp, Lesson, LessonRevision, Module, Outcome
from lms.extensions import db

_CACHE_KEY = "lms.catalogue"
_STAMP_ROW = 1
# How long a process trusts its catalogue before asking whether another process synced.
STAMP_CHECK_SECONDS = 1.0
_generation = 0  # moves on every change made in this process, so its own syncs show at once


@dataclass(frozen=True)
class OutcomeEntry:
    code: str
    statement: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class RevisionEntry:
    """A lesson's current revision, without its text (loaded only by the page showing it)."""

    id: int
    lesson_id: int
    number: int
    title: str
    estimated_minutes: int
    word_count: int
    acknowledge: bool
    acknowledge_statement: str | None
    content_hash: str


@dataclass(eq=False)
class LessonEntry:
    id: int
    module_id: int
    slug: str
    position: int
    revision: RevisionEntry
    module: ModuleEntry = field(init=False, repr=False)


@dataclass(eq=False)
class ModuleEntry:
    id: int
    code: str
    slug: str
    title: str
    summary: str
    estimated_minutes: int
    reviewed_on: date
    position: int
    lessons_in_order: bool
    intro_html: str
    outcomes: tuple[OutcomeEntry, ...]  # only the current ones
    lessons: tuple[LessonEntry, ...]


@dataclass(frozen=True)
class Catalogue:
    stamp: str | None
    modules: tuple[ModuleEntry, ...]
    generation: int = 0
    checked_at: float = 0.0

    def module(self, slug: str) -> ModuleEntry | None:
        return next((module for module in self.modules if module.slug == slug), None)


def mark_content_changed(now: datetime) -> None:
    """Give the content a new stamp, so every process reloads its catalogue."""
    forget_catalogue()
    row = db.session.get(ContentStamp, _STAMP_ROW)
    if row is None:
        db.session.add(ContentStamp(id=_STAMP_ROW, stamp=secrets.token_hex(16), changed_at=now))
    else:
        row.stamp, row.changed_at = secrets.token_hex(16), now


def forget_catalogue() -> None:
    """Make every app in this process reload its catalogue on next use."""
    global _generation
    _generation += 1


def current_catalogue() -> Catalogue:
    """The published modules, from memory unless a sync has changed them since."""
    cached: Catalogue | None = current_app.extensions.get(_CACHE_KEY)
    now = time.monotonic()
    if (
        cached is not None
        and cached.generation == _generation
        and now - cached.checked_at < STAMP_CHECK_SECONDS
    ):
        return cached
    stamp = db.session.execute(
        select(ContentStamp.stamp).where(ContentStamp.id == _STAMP_ROW)
    ).scalar()
    if cached is None or cached.generation != _generation or cached.stamp != stamp:
        cached = _load(stamp)
    cached = replace(cached, generation=_generation, checked_at=now)
    current_app.extensions[_CACHE_KEY] = cached
    return cached


def _load(stamp: str | None) -> Catalogue:
    modules = db.session.execute(
        select(Module).where(Module.retired_at.is_(None)).order_by(Module.position)
    ).scalars()
    outcomes: dict[int, list[OutcomeEntry]] = {}
    for outcome in db.session.scalars(
        select(Outcome).where(Outcome.retired_at.is_(None)).order_by(Outcome.position)
    ):
        outcomes.setdefault(outcome.module_id, []).append(
            OutcomeEntry(outcome.code, outcome.statement, tuple(outcome.criteria))
        )
    lessons = _lessons()
    entries = []
    for module in modules:
        module_entry = ModuleEntry(
            id=module.id,
            code=module.code,
            slug=module.slug,
            title=module.title,
            summary=module.summary,
            estimated_minutes=module.estimated_minutes,
            reviewed_on=module.reviewed_on,
            position=module.position,
            lessons_in_order=module.lessons_in_order,
            intro_html=module.intro_html,
            outcomes=tuple(outcomes.get(module.id, [])),
            lessons=tuple(lessons.get(module.id, [])),
        )
        for lesson in module_entry.lessons:
            lesson.module = module_entry
        entries.append(module_entry)
    return Catalogue(stamp, tuple(entries))


def _lessons() -> dict[int, list[LessonEntry]]:
    revision = LessonRevision
    query = (
        select(
            Lesson.id,
            Lesson.module_id,
            Lesson.slug,
            Lesson.position,
            revision.id,
            revision.number,
            revision.title,
            revision.estimated_minutes,
            revision.word_count,
            revision.acknowledge,
            revision.acknowledge_statement,
            revision.content_hash,
        )
        .join(revision, (revision.lesson_id == Lesson.id) & revision.is_current)
        .where(Lesson.retired_at.is_(None))
        .order_by(Lesson.module_id, Lesson.position)
    )
    grouped: dict[int, list[LessonEntry]] = {}
    for lesson_id, module_id, slug, position, *current in db.session.execute(query):
        revision_entry = RevisionEntry(current[0], lesson_id, *current[1:])
        entry = LessonEntry(lesson_id, module_id, slug, position, revision_entry)
        grouped.setdefault(module_id, []).append(entry)
    return grouped
