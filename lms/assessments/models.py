"""Quizzes, every revision of their question files, and learners' attempts and responses.

A quiz revision is never edited: a changed `.gift` or `.yml` file becomes a new revision, and an
attempt keeps pointing at the revision it was started on. Submitted work is never changed by
the system; a new attempt is a new row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship

from lms.auth.models import User
from lms.content.models import Module
from lms.database import UTCDateTime, utcnow
from lms.extensions import Model


class Quiz(Model):
    """A quiz of a module, identified by its module and the file name of its questions."""

    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    module: Mapped[Module] = relationship()
    revisions: Mapped[list[QuizRevision]] = relationship(
        back_populates="quiz", order_by="QuizRevision.number"
    )

    def __repr__(self) -> str:
        return f"<Quiz {self.id} {self.slug}>"


class QuizRevision(Model):
    """One published version of a quiz: its settings and its question file, as loaded."""

    __tablename__ = "quiz_revisions"
    __table_args__ = (
        UniqueConstraint("quiz_id", "number"),
        CheckConstraint("number >= 1", name="positive_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    # The validated settings file, as documented in docs/ASSESSMENTS.md.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    gift_source: Mapped[str] = mapped_column(Text)
    settings_source: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String(255))
    source_hash: Mapped[str] = mapped_column(String(64))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="revisions")
    questions: Mapped[list[Question]] = relationship(
        back_populates="revision", order_by="Question.position"
    )

    def __repr__(self) -> str:
        return f"<QuizRevision {self.quiz_id}#{self.number}>"


Index(
    "uq_quiz_revisions_current_quiz",
    QuizRevision.quiz_id,
    unique=True,
    sqlite_where=QuizRevision.is_current,
    postgresql_where=QuizRevision.is_current,
)


class Question(Model):
    """A question of one quiz revision: its parsed form and what it assesses."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("revision_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("quiz_revisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    category: Mapped[str | None] = mapped_column(String(200), default=None)
    qtype: Mapped[str] = mapped_column(String(20))
    # `ParsedQuestion.as_json()`: the answer key lives here and never reaches a learner's page.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    points: Mapped[float] = mapped_column(Float, default=1.0)
    outcome_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    marking_guide: Mapped[str | None] = mapped_column(Text, default=None)
    source_line: Mapped[int] = mapped_column(Integer, default=0)

    revision: Mapped[QuizRevision] = relationship(back_populates="questions")


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    AWAITING_MARKING = "awaiting_marking"
    MARKED = "marked"


def _values(states: type[StrEnum]) -> list[str]:
    return [state.value for state in states]


class AttemptClosed(Exception):
    """The attempt is no longer in progress: its answers can no longer change."""

    def __init__(self, attempt_id: int | None, state: AttemptState) -> None:
        super().__init__(f"attempt {attempt_id} is {state.value}")
        self.attempt_id, self.state = attempt_id, state


class IllegalTransition(Exception):
    """A state change the attempt's life cycle does not allow."""


class Attempt(Model):
    """One learner's try at one quiz revision, from start to marking."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        CheckConstraint("number >= 1", name="positive_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("quiz_revisions.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[AttemptState] = mapped_column(
        Enum(AttemptState, native_enum=False, length=20, values_callable=_values),
        default=AttemptState.IN_PROGRESS,
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    score: Mapped[float | None] = mapped_column(Float, default=None)
    max_score: Mapped[float | None] = mapped_column(Float, default=None)
    percent: Mapped[float | None] = mapped_column(Float, default=None)
    passed: Mapped[bool | None] = mapped_column(Boolean, default=None)
    page: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every write, so concurrent writers to one attempt queue up (see services).
    version: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz] = relationship()
    revision: Mapped[QuizRevision] = relationship()
    responses: Mapped[list[Response]] = relationship(
        back_populates="attempt", order_by="Response.position"
    )

    def accepts_answers(self, now: datetime, grace: timedelta) -> bool:
        """Whether answers may still be saved: in progress and not past the deadline's grace."""
        return self.state is AttemptState.IN_PROGRESS and not self.overdue(now, grace)

    def overdue(self, now: datetime, grace: timedelta) -> bool:
        """Whether the time limit (plus grace) has run out while still in progress."""
        return (
            self.state is AttemptState.IN_PROGRESS
            and self.deadline is not None
            and now > self.deadline + grace
        )

    def remaining_seconds(self, now: datetime) -> int | None:
        """Seconds left before the deadline (never negative), or None without a time limit."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    def submit(self, at: datetime, *, automatic: bool = False) -> None:
        """In progress → submitted; anything else is refused."""
        if self.state is not AttemptState.IN_PROGRESS:
            raise AttemptClosed(self.id, self.state)
        self.state, self.submitted_at, self.auto_submitted = AttemptState.SUBMITTED, at, automatic

    def await_marking(self) -> None:
        """Submitted → awaiting marking, when an assessor must mark some answers."""
        self._move(AttemptState.SUBMITTED, AttemptState.AWAITING_MARKING)

    def mark(self, at: datetime) -> None:
        """Submitted or awaiting marking → marked."""
        if self.state not in (AttemptState.SUBMITTED, AttemptState.AWAITING_MARKING):
            raise IllegalTransition(f"attempt {self.id} is {self.state.value}, not submitted")
        self.state, self.marked_at = AttemptState.MARKED, at

    def _move(self, source: AttemptState, target: AttemptState) -> None:
        if self.state is not source:
            raise IllegalTransition(f"attempt {self.id} is {self.state.value}, not {source.value}")
        self.state = target

    @property
    def finished(self) -> bool:
        return self.state is not AttemptState.IN_PROGRESS

    def __repr__(self) -> str:
        return f"<Attempt {self.id} {self.state.value}>"


# One attempt at a time: a second "start" finds the attempt already in progress.
Index(
    "uq_attempts_in_progress_user_quiz",
    Attempt.user_id,
    Attempt.quiz_id,
    unique=True,
    sqlite_where=Attempt.state == AttemptState.IN_PROGRESS.value,
    postgresql_where=Attempt.state == AttemptState.IN_PROGRESS.value,
)


# The marking queue reads submitted attempts awaiting marking, oldest first.
Index("ix_attempts_state_submitted_at", Attempt.state, Attempt.submitted_at)


class ResponseIsFinal(Exception):
    """Raised on any attempt to change an answer after its attempt was submitted."""


class Response(Model):
    """The learner's answer to one question of one attempt, saved as they go, then graded."""

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        UniqueConstraint("attempt_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # The order the choices are shown in (indexes into the question's own list), fixed at start.
    choice_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    points: Mapped[float | None] = mapped_column(Float, default=None)
    max_points: Mapped[float] = mapped_column(Float, default=1.0)
    outcome: Mapped[str | None] = mapped_column(String(20), default=None)
    feedback: Mapped[list[str]] = mapped_column(JSON, default=list)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    # Pages, grading and the review read every response's question: one query, not one each.
    question: Mapped[Question] = relationship(lazy="joined")


@event.listens_for(Response, "before_update")
def _keep_submitted_answers(_mapper: Any, _connection: Any, target: Response) -> None:
    # Marks may be added after submission; the answer itself may not change.
    if not attributes.get_history(target, "answer").has_changes():
        return
    if target.attempt.state is not AttemptState.IN_PROGRESS:
        raise ResponseIsFinal(f"response {target.id} belongs to a submitted attempt")


class AttemptUnlock(Model):
    """One more attempt at a quiz for one learner, granted by a trainer after the limit."""

    __tablename__ = "attempt_unlocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")

    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])
