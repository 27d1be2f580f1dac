"""The learner's path: which modules they have, where they are in each, and moving forward.

A learner in a cohort studies the cohort's modules; a learner who has never been in one
studies the whole programme at their own pace; a learner withdrawn from their cohort studies
nothing until they join another. `enrolled_modules` is the one place that decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import and_, select

from lms import audit
from lms.auth.models import User
from lms.cohorts.models import CohortModule, Membership
from lms.content.catalogue import LessonEntry, ModuleEntry, RevisionEntry, current_catalogue
from lms.content.models import LessonRevision
from lms.extensions import db
from lms.learning.models import LessonAcknowledgement, LessonProgress

# Rereading within this interval is not written again: "where you left off" needs no finer
# clock, and a page view that writes nothing never waits for the database's write lock.
VIEW_RECORD_INTERVAL = timedelta(minutes=1)


class LessonState(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


class LessonLocked(Exception):
    """The module's lessons are taken in order and an earlier one is not done."""

    def __init__(self, waiting_for: LessonStatus) -> None:
        super().__init__(f"finish “{waiting_for.title}” first")
        self.waiting_for = waiting_for


class RevisionChanged(Exception):
    """The lesson was updated after the learner opened it; they must read the new version."""


class AcknowledgementMissing(Exception):
    """A policy lesson is complete only when its statement is confirmed."""


@dataclass(frozen=True)
class ProgressRow:
    """A learner's progress in a lesson as read for a page (the table row's values)."""

    id: int
    lesson_id: int
    started_at: datetime
    started_revision_id: int
    last_viewed_at: datetime
    last_viewed_revision_id: int
    completed_at: datetime | None
    completed_revision_id: int | None
    completed_content_hash: str | None
    confirmed_at: datetime | None

    @property
    def done(self) -> bool:
        return self.completed_at is not None


# Read as plain rows: pages only look at progress, and writing it loads the one row it changes.
_PROGRESS_COLUMNS = [getattr(LessonProgress, name) for name in ProgressRow.__dataclass_fields__]


@dataclass(frozen=True)
class LessonStatus:
    """One current lesson as a given learner sees it."""

    lesson: LessonEntry
    progress: ProgressRow | LessonProgress | None
    number: int
    locked_by: LessonStatus | None

    @property
    def revision(self) -> RevisionEntry:
        """The current revision, without its text."""
        return self.lesson.revision

    @property
    def title(self) -> str:
        return self.revision.title

    @property
    def state(self) -> LessonState:
        if self.progress is None:
            return LessonState.NOT_STARTED
        return LessonState.DONE if self.progress.done else LessonState.IN_PROGRESS

    @property
    def done(self) -> bool:
        return self.state is LessonState.DONE

    @property
    def locked(self) -> bool:
        return self.locked_by is not None

    @property
    def updated_since_read(self) -> bool:
        """Completed, but what the lesson says has changed since."""
        progress = self.progress
        return bool(
            progress
            and progress.done
            and progress.completed_content_hash != self.revision.content_hash
        )

    @property
    def needs_acknowledgement(self) -> bool:
        """A policy lesson whose current text this learner has not confirmed."""
        progress = self.progress
        return self.revision.acknowledge and (
            progress is None or progress.completed_content_hash != self.revision.content_hash
        )


@dataclass(frozen=True)
class ModuleProgress:
    """A module with every current lesson's status for one learner."""

    module: ModuleEntry
    lessons: tuple[LessonStatus, ...]

    @property
    def done_count(self) -> int:
        return sum(1 for status in self.lessons if status.done)

    @property
    def percent(self) -> int:
        if not self.lessons:
            return 0
        return round(100 * self.done_count / len(self.lessons))

    @property
    def complete(self) -> bool:
        return bool(self.lessons) and self.done_count == len(self.lessons)

    @property
    def minutes_left(self) -> int:
        return sum(s.revision.estimated_minutes for s in self.lessons if not s.done)

    @property
    def next_lesson(self) -> LessonStatus | None:
        """The first lesson not yet done that the learner may open."""
        return next((s for s in self.lessons if not s.done and not s.locked), None)

    def find(self, slug: str) -> LessonStatus | None:
        return next((s for s in self.lessons if s.lesson.slug == slug), None)

    def neighbours(self, status: LessonStatus) -> tuple[LessonStatus | None, LessonStatus | None]:
        index = status.number - 1
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


def enrolled_modules(user: User) -> list[ModuleEntry]:
    """The modules `user` studies, in programme order."""
    modules = current_catalogue().modules
    chosen = cohort_module_ids(user.id)
    if chosen is None:
        return list(modules)
    return [module for module in modules if module.id in chosen]


def cohort_module_ids(user_id: int) -> set[int] | None:
    """The modules of the learner's current cohort (empty once withdrawn); None for a
    learner who has never been in a cohort. One query on every learner page."""
    query = (
        select(Membership.id, CohortModule.module_id)
        .outerjoin(
            CohortModule,
            and_(CohortModule.cohort_id == Membership.cohort_id, Membership.left_at.is_(None)),
        )
        .where(Membership.user_id == user_id)
    )
    rows = db.session.execute(query).all()
    if not rows:
        return None
    return {module_id for _, module_id in rows if module_id is not None}


def find_enrolled_module(user: User, slug: str) -> ModuleEntry | None:
    """The module with this slug if `user` is enrolled in it, else None."""
    return next((module for module in enrolled_modules(user) if module.slug == slug), None)


def progress_in(user: User, modules: Sequence[ModuleEntry]) -> list[ModuleProgress]:
    """Every module's lessons and this learner's state in each, in one query."""
    progress = _progress(user, [lesson.id for module in modules for lesson in module.lessons])
    return [_module_progress(module, progress) for module in modules]


def _progress(user: User, lesson_ids: list[int]) -> dict[int, ProgressRow]:
    if not lesson_ids:
        return {}
    query = select(*_PROGRESS_COLUMNS).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids)
    )
    rows = (ProgressRow(*values) for values in db.session.execute(query))
    return {row.lesson_id: row for row in rows}


def _module_progress(module: ModuleEntry, progress: dict[int, ProgressRow]) -> ModuleProgress:
    statuses: list[LessonStatus] = []
    blocker: LessonStatus | None = None
    for number, lesson in enumerate(module.lessons, start=1):
        status = LessonStatus(lesson, progress.get(lesson.id), number, blocker)
        statuses.append(status)
        if module.lessons_in_order and blocker is None and not status.done:
            blocker = status
    return ModuleProgress(module, tuple(statuses))


def open_lesson(user: User, status: LessonStatus, *, now: datetime) -> ProgressRow | LessonProgress:
    """Record that `user` opened the lesson's current revision; the first time starts it."""
    if status.locked_by is not None:
        raise LessonLocked(status.locked_by)
    seen = status.progress
    if seen is None:
        progress = LessonProgress(
            user_id=user.id,
            lesson_id=status.lesson.id,
            started_at=now,
            started_revision_id=status.revision.id,
            last_viewed_at=now,
            last_viewed_revision_id=status.revision.id,
        )
        db.session.add(progress)
        return progress
    if (
        seen.last_viewed_revision_id == status.revision.id
        and now - seen.last_viewed_at < VIEW_RECORD_INTERVAL
    ):
        return seen
    progress = _editable(seen)
    progress.last_viewed_at = now
    progress.last_viewed_revision_id = status.revision.id
    return progress


def _editable(seen: ProgressRow | LessonProgress) -> LessonProgress:
    if isinstance(seen, LessonProgress):
        return seen
    progress = db.session.get(LessonProgress, seen.id)
    assert progress is not None, "a progress row is never deleted"
    return progress


def complete_lesson(
    user: User,
    status: LessonStatus,
    *,
    revision_id: int,
    acknowledged: bool,
    now: datetime,
    ip_address: str | None = None,
) -> LessonProgress:
    """Mark the lesson done for `user`, confirming the revision they read.

    A policy lesson also needs `acknowledged`, and its confirmation is kept for good.
    """
    if status.locked_by is not None:
        raise LessonLocked(status.locked_by)
    revision = status.revision
    if revision_id != revision.id:
        raise RevisionChanged(revision.id)
    if status.needs_acknowledgement and not acknowledged:
        raise AcknowledgementMissing(revision.id)
    progress = _editable(status.progress or open_lesson(user, status, now=now))
    if status.needs_acknowledgement:
        _acknowledge(user, revision, now=now, ip_address=ip_address)
    if progress.completed_at is None:
        progress.completed_at = now
    progress.completed_revision_id = revision.id
    progress.completed_content_hash = revision.content_hash
    progress.confirmed_at = now
    return progress


def _acknowledge(
    user: User, revision: RevisionEntry, *, now: datetime, ip_address: str | None
) -> None:
    db.session.add(
        LessonAcknowledgement(
            user_id=user.id,
            revision_id=revision.id,
            statement=revision.acknowledge_statement or "",
            content_hash=revision.content_hash,
            acknowledged_at=now,
            ip_address=ip_address,
        )
    )
    audit.record(
        "lesson.acknowledged",
        actor=user,
        target=db.session.get(LessonRevision, revision.id),
        details={"lesson_id": revision.lesson_id, "revision": revision.number},
        ip_address=ip_address,
    )


def acknowledgements_of(user: User, revision_ids: Sequence[int]) -> list[LessonAcknowledgement]:
    """The learner's acknowledgements of these revisions, oldest first."""
    query = (
        select(LessonAcknowledgement)
        .where(
            LessonAcknowledgement.user_id == user.id,
            LessonAcknowledgement.revision_id.in_(revision_ids),
        )
        .order_by(LessonAcknowledgement.acknowledged_at)
    )
    return list(db.session.scalars(query))


def resume_point(modules: Sequence[ModuleProgress]) -> LessonStatus | None:
    """Where to carry on: the lesson last opened and not finished, else the next one to start."""
    opened = [
        (status.progress.last_viewed_at, status)
        for module in modules
        for status in module.lessons
        if status.progress is not None and not status.done and not status.locked
    ]
    if opened:
        return max(opened, key=lambda pair: pair[0])[1]
    return next((m.next_lesson for m in modules if m.next_lesson is not None), None)


@dataclass(frozen=True)
class LessonText:
    html: str
    toc: tuple[dict[str, object], ...]


def lesson_text(revision: RevisionEntry) -> LessonText:
    """A revision's stored HTML and table of contents, loaded only for the page that shows it."""
    return _stored_text(revision.id, revision.content_hash)


@lru_cache(maxsize=512)
def _stored_text(revision_id: int, content_hash: str) -> LessonText:
    # A revision's text never changes, and the hash pins it even where ids are reused (a
    # database emptied and filled again), so what is read once can be kept.
    query = select(LessonRevision.html, LessonRevision.toc).where(LessonRevision.id == revision_id)
    html, toc = db.session.execute(query).one()
    return LessonText(html, tuple(toc))
