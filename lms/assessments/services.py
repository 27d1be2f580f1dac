"""Quizzes as a learner meets them: which a module has, and where the learner stands in each.

Gates: a knowledge check opens once the module's lessons are done, a summative assessment once
the module's knowledge check is passed. A passed quiz is not taken again, and the attempts
allowed are never exceeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.assessments.models import Attempt, AttemptState, AttemptUnlock, Quiz, QuizRevision
from lms.assessments.settings import QuizSettings
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import restart_time

KNOWLEDGE_CHECK, SUMMATIVE = "knowledge-check", "summative"


def settings_of(revision: QuizRevision) -> QuizSettings:
    """A revision's settings as the typed model (stored as the validated file's JSON)."""
    return QuizSettings.model_validate(revision.settings)


@dataclass(frozen=True)
class QuizStatus:
    """One quiz as one learner stands in it."""

    quiz: Quiz
    revision: QuizRevision
    settings: QuizSettings
    attempts: tuple[Attempt, ...]  # oldest first
    blocked_by: str | None  # why it cannot be started yet, in words
    allowed: int | None = None  # attempts allowed in all, with unlocks; None: no limit

    @property
    def in_progress(self) -> Attempt | None:
        return next((a for a in self.attempts if a.state is AttemptState.IN_PROGRESS), None)

    @property
    def finished(self) -> list[Attempt]:
        return [a for a in self.attempts if a.finished]

    @property
    def attempts_left(self) -> int | None:
        """None when the number of attempts is not limited."""
        if self.allowed is None:
            return None
        return max(0, self.allowed - len(self.attempts))

    @property
    def is_summative(self) -> bool:
        return self.revision.kind == SUMMATIVE

    @property
    def resubmitting(self) -> bool:
        """Whether a new attempt would be a resubmission of marked work (pre-filled)."""
        return self.is_summative and bool(self.finished)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def awaiting_marking(self) -> bool:
        return any(a.state is AttemptState.AWAITING_MARKING for a in self.attempts)

    @property
    def can_start(self) -> bool:
        """Whether "Start" would begin a new attempt (an attempt in progress is resumed)."""
        return (
            self.in_progress is None
            and self.blocked_by is None
            and not self.passed
            and not self.awaiting_marking
            and self.attempts_left != 0
        )

    @property
    def closed(self) -> bool:
        """No further attempt will ever be possible: the feedback saved for the end is due."""
        return self.passed or self.attempts_left == 0

    @property
    def result(self) -> Attempt | None:
        """The attempt that counts: the highest score or the last one, as the quiz says."""
        scored = [a for a in self.finished if a.percent is not None]
        if not scored:
            return None
        if self.settings.grading == "last":
            return scored[-1]
        return max(scored, key=lambda a: (a.percent or 0, -a.number))

    def feedback_visible(self, attempt: Attempt) -> bool:
        """Whether the review of a finished attempt shows right answers and feedback."""
        if not attempt.finished:
            return False
        return self.settings.feedback == "after-each-attempt" or self.closed


def quizzes_of_module(module_id: int) -> list[tuple[Quiz, QuizRevision]]:
    """The module's quizzes in use, knowledge checks first, with their current revisions."""
    rows = db.session.execute(
        select(Quiz, QuizRevision)
        .join(QuizRevision, QuizRevision.quiz_id == Quiz.id)
        .where(Quiz.module_id == module_id, Quiz.retired_at.is_(None), QuizRevision.is_current)
    ).all()
    pairs = [(quiz, revision) for quiz, revision in rows]
    return sorted(pairs, key=lambda pair: (pair[1].kind != KNOWLEDGE_CHECK, pair[0].slug))


def find_quiz(module_id: int, slug: str) -> tuple[Quiz, QuizRevision] | None:
    """A quiz of the module by slug, with its current revision; None if unknown or retired."""
    return next((pair for pair in quizzes_of_module(module_id) if pair[0].slug == slug), None)


def statuses_for(
    user: User, quizzes: Sequence[tuple[Quiz, QuizRevision]], *, lessons_done: bool
) -> list[QuizStatus]:
    """Where `user` stands in each quiz of one module, since the module's latest restart."""
    quiz_ids = [quiz.id for quiz, _ in quizzes]
    attempts: dict[int, list[Attempt]] = {quiz_id: [] for quiz_id in quiz_ids}
    # A recertification starts the module's quizzes afresh: earlier attempts stay stored but
    # no longer count, nor do the extra attempts unlocked for them.
    since = restart_time(user.id, quizzes[0][0].module_id) if quizzes else None
    if quiz_ids:
        query = (
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.quiz_id.in_(quiz_ids))
            .order_by(Attempt.number)
        )
        if since is not None:
            query = query.where(Attempt.started_at >= since)
        for attempt in db.session.scalars(query):
            attempts[attempt.quiz_id].append(attempt)
    checks = [quiz for quiz, revision in quizzes if revision.kind == KNOWLEDGE_CHECK]
    # Without a knowledge check, a summative opens when the lessons are done.
    knowledge_passed = (
        all(any(a.passed for a in attempts[quiz.id]) for quiz in checks) if checks else lessons_done
    )
    unlocks = _unlocks(user, quiz_ids, since)
    statuses = []
    for quiz, revision in quizzes:
        if revision.kind == KNOWLEDGE_CHECK:
            blocked = None if lessons_done else "Finish the module's lessons first."
        else:
            blocked = None if knowledge_passed else _summative_gate(checks)
        settings = settings_of(revision)
        allowed = allowed_attempts(revision.kind, settings)
        if allowed is not None:
            allowed += unlocks.get(quiz.id, 0)
        statuses.append(
            QuizStatus(quiz, revision, settings, tuple(attempts[quiz.id]), blocked, allowed)
        )
    return statuses


def allowed_attempts(kind: str, settings: QuizSettings) -> int | None:
    """Attempts a quiz allows before a trainer must unlock one more.

    A summative assessment allows the first attempt and `RESUBMISSION_LIMIT` resubmissions,
    or fewer if its settings say so.
    """
    if kind != SUMMATIVE:
        return settings.attempts
    limit = 1 + int(current_app.config["RESUBMISSION_LIMIT"])
    return min(settings.attempts, limit) if settings.attempts else limit


def _unlocks(user: User, quiz_ids: list[int], since: datetime | None) -> dict[int, int]:
    if not quiz_ids:
        return {}
    query = (
        select(AttemptUnlock.quiz_id, func.count())
        .where(AttemptUnlock.user_id == user.id, AttemptUnlock.quiz_id.in_(quiz_ids))
        .group_by(AttemptUnlock.quiz_id)
    )
    if since is not None:
        query = query.where(AttemptUnlock.granted_at >= since)
    return {quiz_id: count for quiz_id, count in db.session.execute(query)}


def _summative_gate(checks: list[Quiz]) -> str:
    if checks:
        return "Pass the module's knowledge check first."
    return "Finish the module's lessons first."


def knowledge_check_passed(user: User, module_id: int) -> bool:
    """Whether `user` has passed every knowledge check of the module (False if it has none)."""
    quizzes = [pair for pair in quizzes_of_module(module_id) if pair[1].kind == KNOWLEDGE_CHECK]
    statuses = statuses_for(user, quizzes, lessons_done=True)
    return bool(statuses) and all(status.passed for status in statuses)


def attempt_for(user: User, attempt_id: int) -> Attempt | None:
    """The attempt if it is `user`'s own; None otherwise (a learner sees only their work)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        return None
    return attempt


def quiz_bank() -> list[tuple[Quiz, QuizRevision, int]]:
    """Every quiz (retired ones too) with its current revision and revision count, for staff."""
    counts = dict(
        db.session.execute(
            select(QuizRevision.quiz_id, func.count()).group_by(QuizRevision.quiz_id)
        ).all()
    )
    rows = db.session.execute(
        select(Quiz, QuizRevision)
        .join(QuizRevision, QuizRevision.quiz_id == Quiz.id)
        .where(QuizRevision.is_current)
        .options(joinedload(Quiz.module))
    ).all()
    listed = [(quiz, revision, counts.get(quiz.id, 1)) for quiz, revision in rows]
    return sorted(listed, key=lambda row: (row[0].module.position, row[0].slug))


def get_quiz_revision(revision_id: int) -> QuizRevision | None:
    """Any revision of any quiz, for the staff preview."""
    return db.session.get(QuizRevision, revision_id)
