"""The moderator's side: the sample to check, confirming or overturning, and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from lms import audit
from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.extensions import db
from lms.marking.models import (
    JudgementStatus,
    Marking,
    MarkingState,
    ModerationReview,
    OutcomeJudgement,
    ReviewVerdict,
)
from lms.marking.services import MarkingError, move_status, settle
from lms.notifications import notify
from lms.urls import path_for

ALREADY_CHECKED = "This judgement was already checked; the page shows the result."


def sample_query(moderator: User) -> Select[OutcomeJudgement]:
    """Judgements waiting in the sample, oldest first, that this moderator may check: never
    their own judgement nor one on their own work."""
    return (
        select(OutcomeJudgement)
        .where(
            OutcomeJudgement.status == JudgementStatus.IN_SAMPLE,
            OutcomeJudgement.assessor_id != moderator.id,
            OutcomeJudgement.learner_id != moderator.id,
        )
        .options(
            joinedload(OutcomeJudgement.learner),
            joinedload(OutcomeJudgement.assessor),
            joinedload(OutcomeJudgement.pool),
        )
        .order_by(OutcomeJudgement.finalised_at, OutcomeJudgement.id)
    )


def sample_count(moderator: User) -> int:
    query = sample_query(moderator).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def sampled_judgement(moderator: User, judgement_id: int) -> OutcomeJudgement | None:
    judgement = db.session.get(OutcomeJudgement, judgement_id)
    if judgement is None or moderator.id in (judgement.assessor_id, judgement.learner_id):
        return None
    if judgement.sample_rule is None or judgement.status is JudgementStatus.DRAFT:
        return None
    return judgement


def review(
    judgement: OutcomeJudgement,
    moderator: User,
    verdict: ReviewVerdict,
    reason: str,
    *,
    now: datetime,
) -> ModerationReview:
    """Confirm (the learner may now see it) or overturn (back to the assessor with the reason)."""
    reason = reason.strip()
    if judgement.status is not JudgementStatus.IN_SAMPLE:
        raise MarkingError(ALREADY_CHECKED)
    if moderator.id in (judgement.assessor_id, judgement.learner_id):
        raise MarkingError("A moderator cannot check their own judgement or their own work.")
    if verdict is ReviewVerdict.OVERTURNED and not reason:
        raise MarkingError("Give the assessor your reason for overturning.", "reason")
    confirmed = verdict is ReviewVerdict.CONFIRMED
    target = JudgementStatus.FINAL if confirmed else JudgementStatus.OVERTURNED
    move_status(judgement, JudgementStatus.IN_SAMPLE, target, ALREADY_CHECKED)
    checked = ModerationReview(
        judgement=judgement,
        moderator_id=moderator.id,
        verdict=verdict,
        reason=reason,
        reviewed_at=now,
    )
    db.session.add(checked)
    audit.record(
        f"moderation.{verdict.value}",
        actor=moderator,
        target=judgement,
        details={"outcome": judgement.outcome.code, "reason": reason},
    )
    if confirmed:
        judgement.released_at = now
        settle(judgement.attempt, now=now, released=[judgement])
    else:
        _return_to_assessor(judgement, reason, now)
    return checked


def _return_to_assessor(judgement: OutcomeJudgement, reason: str, now: datetime) -> None:
    attempt: Attempt = judgement.attempt
    marking = db.session.scalars(select(Marking).where(Marking.attempt_id == attempt.id)).one()
    marking.state, marking.updated_at = MarkingState.DRAFT, now
    marking.version += 1  # a form opened before the overturn is stale
    notify(
        judgement.assessor,
        f"{judgement.outcome.code}: a moderator returned your judgement",
        f"Your judgement of {judgement.outcome.code} for {attempt.user.full_name} was "
        f"overturned. Reason: {reason}",
        link=path_for("marking.mark", attempt_id=attempt.id),
    )


@dataclass(frozen=True)
class AssessorFigures:
    assessor: User
    judgements: int
    sampled: int
    confirmed: int
    overturned: int

    @property
    def sample_rate(self) -> float:
        return 100 * self.sampled / self.judgements if self.judgements else 0.0

    @property
    def overturn_rate(self) -> float:
        checked = self.confirmed + self.overturned
        return 100 * self.overturned / checked if checked else 0.0


def assessor_report() -> list[AssessorFigures]:
    """Per assessor: finalised judgements, how many were sampled, confirmed and overturned."""
    finalised = OutcomeJudgement.finalised_at.is_not(None) & OutcomeJudgement.from_appeal.is_(False)
    judged = dict(
        db.session.execute(
            select(OutcomeJudgement.assessor_id, func.count())
            .where(finalised)
            .group_by(OutcomeJudgement.assessor_id)
        ).all()
    )
    sampled = dict(
        db.session.execute(
            select(OutcomeJudgement.assessor_id, func.count())
            .where(finalised, OutcomeJudgement.sample_rule.is_not(None))
            .group_by(OutcomeJudgement.assessor_id)
        ).all()
    )
    confirmed_case = case((ModerationReview.verdict == ReviewVerdict.CONFIRMED, 1), else_=0)
    overturned_case = case((ModerationReview.verdict == ReviewVerdict.OVERTURNED, 1), else_=0)
    reviews = {
        assessor_id: (confirmed or 0, overturned or 0)
        for assessor_id, confirmed, overturned in db.session.execute(
            select(
                OutcomeJudgement.assessor_id,
                func.sum(confirmed_case),
                func.sum(overturned_case),
            )
            .join(ModerationReview.judgement)
            .group_by(OutcomeJudgement.assessor_id)
        )
    }
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(judged)))}
    figures = [
        AssessorFigures(
            users[assessor_id],
            count,
            sampled.get(assessor_id, 0),
            *reviews.get(assessor_id, (0, 0)),
        )
        for assessor_id, count in judged.items()
    ]
    return sorted(figures, key=lambda f: f.assessor.full_name.casefold())
