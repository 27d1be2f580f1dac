"""Assessors' marking, their judgement of each outcome, moderation of those judgements, appeals.

A judgement is one decision: once finalised its verdict and comment never change. A moderator's
overturn or an upheld appeal leaves the old row in place (marked overturned or superseded) and
the next decision is a new row, so the history of an outcome is the list of its judgements.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.assessments.models import Attempt, Response
from lms.auth.models import User
from lms.content.models import Module, Outcome
from lms.database import UTCDateTime, utcnow
from lms.extensions import Model


def _values(states: type[StrEnum]) -> list[str]:
    return [state.value for state in states]


def _enum(states: type[StrEnum]) -> Enum:
    return Enum(states, native_enum=False, length=20, values_callable=_values)


class Verdict(StrEnum):
    COMPETENT = "competent"
    NOT_YET_COMPETENT = "not_yet_competent"

    @property
    def label(self) -> str:
        return "Competent" if self is Verdict.COMPETENT else "Not Yet Competent"

    @property
    def short(self) -> str:
        return "C" if self is Verdict.COMPETENT else "NYC"


class JudgementStatus(StrEnum):
    DRAFT = "draft"  # saved by the assessor, not finalised: nobody else sees it
    IN_SAMPLE = "in_sample"  # finalised and drawn for moderation: the learner waits
    FINAL = "final"  # released to the learner (not sampled, or confirmed by a moderator)
    OVERTURNED = "overturned"  # a moderator overturned it: the assessor judges the outcome again
    SUPERSEDED = "superseded"  # a final NYC replaced by an upheld appeal's Competent


class SampleRule(StrEnum):
    NOT_YET_COMPETENT = "not-yet-competent"
    FIRST_JUDGEMENTS = "first-judgements"
    RANDOM = "random"
    REJUDGED = "rejudged"  # the assessor's new decision after an overturn

    @property
    def label(self) -> str:
        return SAMPLE_RULE_LABELS[self]


SAMPLE_RULE_LABELS = {
    SampleRule.NOT_YET_COMPETENT: "Every Not Yet Competent judgement",
    SampleRule.FIRST_JUDGEMENTS: "One of the assessor's first judgements",
    SampleRule.RANDOM: "Drawn at random from the rest",
    SampleRule.REJUDGED: "Judged again after an overturn",
}


class ModuleAssessor(Model):
    """An assessor assigned to mark a module's summative assessments."""

    __tablename__ = "module_assessors"

    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship()
    user: Mapped[User] = relationship()


class MarkingState(StrEnum):
    DRAFT = "draft"
    FINALISED = "finalised"


class Marking(Model):
    """An assessor's marking of one attempt: who holds it, and the version forms must match."""

    __tablename__ = "markings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), unique=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[MarkingState] = mapped_column(_enum(MarkingState), default=MarkingState.DRAFT)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Bumped by every save: a form carrying an older version was overtaken by someone else.
    version: Mapped[int] = mapped_column(Integer, default=1)

    attempt: Mapped[Attempt] = relationship()
    assessor: Mapped[User] = relationship()
    marks: Mapped[list[ResponseMark]] = relationship(back_populates="marking")


class ResponseMark(Model):
    """The assessor's optional score and comment on one answer."""

    __tablename__ = "response_marks"
    __table_args__ = (UniqueConstraint("marking_id", "response_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"))
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    score: Mapped[float | None] = mapped_column(Float, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")

    marking: Mapped[Marking] = relationship(back_populates="marks")
    response: Mapped[Response] = relationship()


class ModerationPool(Model):
    """One assessor's judgements within one cohort, and the seed their random sample comes from.

    `judged` counts finalised judgements; updating it is also the lock that puts one
    assessor's finalisations in a single order, so "the first 20" means the same to everyone.
    """

    __tablename__ = "moderation_pools"
    __table_args__ = (UniqueConstraint("assessor_id", "cohort_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The learners' cohort (its id as text); "" for learners in no cohort.
    cohort_key: Mapped[str] = mapped_column(String(40), default="")
    seed: Mapped[str] = mapped_column(String(64))
    judged: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessor: Mapped[User] = relationship()


class OutcomeJudgement(Model):
    """One decision on one learning outcome of one attempt."""

    __tablename__ = "outcome_judgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    verdict: Mapped[Verdict | None] = mapped_column(_enum(Verdict), default=None)
    status: Mapped[JudgementStatus] = mapped_column(
        _enum(JudgementStatus), default=JudgementStatus.DRAFT
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Where it stands in its assessor's pool, and which sampling rule (if any) selected it.
    pool_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_pools.id"), default=None)
    sequence: Mapped[int | None] = mapped_column(Integer, default=None)
    sample_rule: Mapped[SampleRule | None] = mapped_column(_enum(SampleRule), default=None)
    # An upheld appeal's Competent is recorded as a judgement by the deciding moderator.
    from_appeal: Mapped[bool] = mapped_column(Boolean, default=False)

    attempt: Mapped[Attempt] = relationship()
    outcome: Mapped[Outcome] = relationship(lazy="joined")
    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    assessor: Mapped[User] = relationship(foreign_keys=[assessor_id])
    pool: Mapped[ModerationPool | None] = relationship()
    reviews: Mapped[list[ModerationReview]] = relationship(
        back_populates="judgement", order_by="ModerationReview.id"
    )

    @property
    def visible_to_learner(self) -> bool:
        return self.status in (JudgementStatus.FINAL, JudgementStatus.SUPERSEDED)


Index(
    "ix_outcome_judgements_learner_outcome",
    OutcomeJudgement.learner_id,
    OutcomeJudgement.outcome_id,
)
Index("ix_outcome_judgements_status", OutcomeJudgement.status)


class ReviewVerdict(StrEnum):
    CONFIRMED = "confirmed"
    OVERTURNED = "overturned"


class ModerationReview(Model):
    """A moderator's check of one sampled judgement."""

    __tablename__ = "moderation_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judgement_id: Mapped[int] = mapped_column(ForeignKey("outcome_judgements.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verdict: Mapped[ReviewVerdict] = mapped_column(_enum(ReviewVerdict))
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judgement: Mapped[OutcomeJudgement] = relationship(back_populates="reviews")
    moderator: Mapped[User] = relationship()


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Appeal(Model):
    """A learner's appeal against a final Not Yet Competent, decided by a moderator."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judgement_id: Mapped[int] = mapped_column(ForeignKey("outcome_judgements.id"), unique=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[AppealStatus] = mapped_column(_enum(AppealStatus), default=AppealStatus.OPEN)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    judgement: Mapped[OutcomeJudgement] = relationship(foreign_keys=[judgement_id])
    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
