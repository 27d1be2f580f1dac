"""Appeals: a learner contests a final Not Yet Competent; a moderator upholds or dismisses it."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from lms import audit
from lms.assessments.models import Attempt, AttemptState
from lms.auth.models import User
from lms.extensions import db
from lms.marking.models import (
    Appeal,
    AppealStatus,
    JudgementStatus,
    OutcomeJudgement,
    Verdict,
)
from lms.marking.services import MarkingError, move_status, settle
from lms.notifications import notify
from lms.urls import path_for

REASON_LIMIT = 4000
ALREADY_DECIDED = "This appeal was already decided; the page shows the decision."


def appeal_window() -> timedelta:
    return timedelta(days=int(current_app.config["APPEAL_DAYS"]))


def appeal_deadline(judgement: OutcomeJudgement) -> datetime | None:
    if judgement.released_at is None:
        return None
    return judgement.released_at + appeal_window()


def appeal_of(judgement: OutcomeJudgement) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.judgement_id == judgement.id))


def why_not_appealable(judgement: OutcomeJudgement, learner: User, *, now: datetime) -> str | None:
    """None if `learner` may appeal this judgement now; otherwise the reason, in words."""
    if judgement.learner_id != learner.id:
        return "Only the learner assessed can appeal."
    if judgement.status is not JudgementStatus.FINAL or (
        judgement.verdict is not Verdict.NOT_YET_COMPETENT
    ):
        return "Only a final Not Yet Competent can be appealed."
    if appeal_of(judgement) is not None:
        return "This judgement has already been appealed."
    deadline = appeal_deadline(judgement)
    if deadline is None or now > deadline:
        return f"Appeals close {appeal_window().days} days after the decision."
    return None


def lodge(judgement: OutcomeJudgement, learner: User, reason: str, *, now: datetime) -> Appeal:
    reason = reason.strip()
    if not reason:
        raise MarkingError("Say why you think the judgement is wrong.", "reason")
    if len(reason) > REASON_LIMIT:
        raise MarkingError(f"Keep the reason under {REASON_LIMIT} characters.", "reason")
    refused = why_not_appealable(judgement, learner, now=now)
    if refused:
        raise MarkingError(refused)
    appeal = Appeal(judgement=judgement, learner_id=learner.id, reason=reason, lodged_at=now)
    db.session.add(appeal)
    db.session.flush()
    audit.record(
        "appeal.lodged", actor=learner, target=appeal, details={"outcome": judgement.outcome.code}
    )
    return appeal


def open_appeals_query(moderator: User) -> Select[Appeal]:
    """Open appeals, oldest first, that `moderator` may decide: not against their own
    judgement, not their own appeal."""
    return (
        select(Appeal)
        .join(Appeal.judgement)
        .where(
            Appeal.status == AppealStatus.OPEN,
            OutcomeJudgement.assessor_id != moderator.id,
            Appeal.learner_id != moderator.id,
        )
        .options(joinedload(Appeal.learner), joinedload(Appeal.judgement))
        .order_by(Appeal.lodged_at, Appeal.id)
    )


def open_appeal_count(moderator: User) -> int:
    query = open_appeals_query(moderator).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def appeal_for_moderator(moderator: User, appeal_id: int) -> Appeal | None:
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None or moderator.id in (appeal.learner_id, appeal.judgement.assessor_id):
        return None
    return appeal


def _resubmissions_awaiting_marking(attempt: Attempt) -> list[Attempt]:
    query = select(Attempt).where(
        Attempt.user_id == attempt.user_id,
        Attempt.quiz_id == attempt.quiz_id,
        Attempt.number > attempt.number,
        Attempt.state == AttemptState.AWAITING_MARKING,
    )
    return list(db.session.scalars(query))


def decide(
    appeal: Appeal, moderator: User, *, upheld: bool, reason: str, now: datetime
) -> OutcomeJudgement | None:
    """Uphold (the outcome becomes Competent, as a new judgement) or dismiss, with a reason.

    Returns the new judgement when upheld.
    """
    reason = reason.strip()
    if appeal.status is not AppealStatus.OPEN:
        raise MarkingError(ALREADY_DECIDED)
    if moderator.id in (appeal.learner_id, appeal.judgement.assessor_id):
        raise MarkingError("An appeal goes to a moderator who did not make the judgement.")
    if not reason:
        raise MarkingError("Give the learner the reason for your decision.", "reason")
    target = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
    move_status(appeal, AppealStatus.OPEN, target, ALREADY_DECIDED)
    appeal.moderator_id, appeal.decision_reason, appeal.decided_at = moderator.id, reason, now
    original = appeal.judgement
    replacement = None
    if upheld:
        original.status = JudgementStatus.SUPERSEDED
        replacement = OutcomeJudgement(
            attempt_id=original.attempt_id,
            outcome_id=original.outcome_id,
            learner_id=original.learner_id,
            assessor_id=moderator.id,
            verdict=Verdict.COMPETENT,
            status=JudgementStatus.FINAL,
            comment=reason,
            created_at=now,
            finalised_at=now,
            released_at=now,
            from_appeal=True,
        )
        db.session.add(replacement)
        db.session.flush()
    audit.record(
        f"appeal.{appeal.status.value}",
        actor=moderator,
        target=appeal,
        details={"outcome": original.outcome.code, "reason": reason},
    )
    attempt = original.attempt
    if upheld:
        settle(attempt, now=now, released=[])
        for later in _resubmissions_awaiting_marking(attempt):
            settle(later, now=now, released=[])  # the appeal may have decided all it waits on
    word = "upheld: the outcome is now Competent" if upheld else "dismissed"
    notify(
        appeal.learner,
        f"{original.outcome.code}: your appeal was {appeal.status.value}",
        f"Your appeal on {original.outcome.code} was {word}. Reason: {reason}",
        link=path_for("learner_record.module_record_page", module_slug=attempt.quiz.module.slug),
    )
    return replacement
