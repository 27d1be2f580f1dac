"""A learner's outcome record per module: where each outcome stands, and how it got there.

What a learner is shown is filtered here, once: a decision reaches them only when it is final,
so a judgement waiting for moderation or overturned by a moderator never appears on their side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from lms.assessments.models import Attempt, AttemptState, Quiz
from lms.assessments.services import SUMMATIVE, QuizStatus, quizzes_of_module, statuses_for
from lms.auth.models import User
from lms.content.models import Module, Outcome
from lms.extensions import db
from lms.learning.models import restart_time
from lms.marking.appeals import appeal_deadline
from lms.marking.models import (
    Appeal,
    AppealStatus,
    JudgementStatus,
    ModerationReview,
    OutcomeJudgement,
    Verdict,
)


class OutcomeStatus(StrEnum):
    NOT_ASSESSED = "not-assessed"
    AWAITING_MARKING = "awaiting-marking"
    UNDER_MODERATION = "under-moderation"
    UNDER_APPEAL = "under-appeal"
    NOT_YET_COMPETENT = "not-yet-competent"
    COMPETENT = "competent"

    @property
    def label(self) -> str:
        return OUTCOME_STATUS_LABELS[self]


OUTCOME_STATUS_LABELS = {
    OutcomeStatus.NOT_ASSESSED: "Not assessed",
    OutcomeStatus.AWAITING_MARKING: "Awaiting marking",
    OutcomeStatus.UNDER_MODERATION: "Under moderation",
    OutcomeStatus.UNDER_APPEAL: "Under appeal",
    OutcomeStatus.NOT_YET_COMPETENT: "Not Yet Competent",
    OutcomeStatus.COMPETENT: "Competent",
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str
    detail: str = ""


@dataclass
class OutcomeRecord:
    outcome: Outcome
    status: OutcomeStatus
    decision: OutcomeJudgement | None = None  # the final decision shown, if any
    appeal: Appeal | None = None
    appeal_until: datetime | None = None  # set while an appeal may still be lodged
    history: list[HistoryEntry] = field(default_factory=list)


@dataclass
class ModuleRecord:
    learner: User
    module: Module
    outcomes: list[OutcomeRecord]
    attempts: list[Attempt]  # summative attempts, oldest first
    summative: QuizStatus | None

    @property
    def all_competent(self) -> bool:
        """Every outcome Competent and final (confirmed by moderation where sampled)."""
        return bool(self.outcomes) and all(
            o.status is OutcomeStatus.COMPETENT for o in self.outcomes
        )

    @property
    def can_resubmit(self) -> bool:
        status = self.summative
        return (
            status is not None
            and status.resubmitting
            and status.can_start
            and any(o.status is OutcomeStatus.NOT_YET_COMPETENT for o in self.outcomes)
        )

    @property
    def needs_unlock(self) -> bool:
        status = self.summative
        return (
            status is not None
            and status.attempts_left == 0
            and any(o.status is OutcomeStatus.NOT_YET_COMPETENT for o in self.outcomes)
        )


def module_record(
    learner: User, module: Module, *, as_learner: bool, now: datetime
) -> ModuleRecord:
    """The learner's record of the module, as the learner (`as_learner`) or staff see it."""
    summatives = [pair for pair in quizzes_of_module(module.id) if pair[1].kind == SUMMATIVE]
    statuses = statuses_for(learner, summatives, lessons_done=True)
    # After a recertification only the attempts since the restart, and their judgements, count.
    since = restart_time(learner.id, module.id)
    attempts = _summative_attempts(learner, module, since)
    outcomes = module.current_outcomes
    judgements = [
        j
        for j in decisions_of(learner, [o.id for o in outcomes])
        if since is None or j.attempt.started_at >= since
    ]
    appeals = appeals_of([j.id for j in judgements])
    waiting = {a.id for a in attempts if a.state is AttemptState.AWAITING_MARKING}
    records = [
        _outcome_record(
            outcome,
            [j for j in judgements if j.outcome_id == outcome.id],
            appeals,
            waiting=waiting,
            as_learner=as_learner,
            now=now,
        )
        for outcome in outcomes
    ]
    return ModuleRecord(learner, module, records, attempts, statuses[0] if statuses else None)


def module_competent(learner: User, module: Module, *, now: datetime) -> bool:
    """The certificate rule's half that marking owns: every outcome C and final."""
    return module_record(learner, module, as_learner=False, now=now).all_competent


def _summative_attempts(learner: User, module: Module, since: datetime | None) -> list[Attempt]:
    query = (
        select(Attempt)
        .join(Attempt.quiz)
        .where(Attempt.user_id == learner.id, Quiz.module_id == module.id)
        .where(Attempt.state != AttemptState.IN_PROGRESS)
        .options(joinedload(Attempt.revision))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    if since is not None:
        query = query.where(Attempt.started_at >= since)
    return [a for a in db.session.scalars(query) if a.revision.kind == SUMMATIVE]


def decisions_of(learner: User, outcome_ids: list[int]) -> list[OutcomeJudgement]:
    """Every decision (drafts are the assessor's own) on these outcomes, oldest first."""
    if not outcome_ids:
        return []
    query = (
        select(OutcomeJudgement)
        .where(
            OutcomeJudgement.learner_id == learner.id,
            OutcomeJudgement.outcome_id.in_(outcome_ids),
            OutcomeJudgement.status != JudgementStatus.DRAFT,
        )
        .options(
            joinedload(OutcomeJudgement.assessor),
            joinedload(OutcomeJudgement.attempt),
            selectinload(OutcomeJudgement.reviews).joinedload(ModerationReview.moderator),
        )
        .order_by(OutcomeJudgement.id)
    )
    return list(db.session.scalars(query).unique())


def appeals_of(judgement_ids: list[int]) -> dict[int, Appeal]:
    """The appeal of each judgement that has one, by judgement id."""
    if not judgement_ids:
        return {}
    query = (
        select(Appeal)
        .where(Appeal.judgement_id.in_(judgement_ids))
        .options(joinedload(Appeal.learner), joinedload(Appeal.moderator))
    )
    return {appeal.judgement_id: appeal for appeal in db.session.scalars(query)}


def _outcome_record(
    outcome: Outcome,
    judgements: list[OutcomeJudgement],
    appeals: dict[int, Appeal],
    *,
    waiting: set[int],
    as_learner: bool,
    now: datetime,
) -> OutcomeRecord:
    standing = [
        j for j in judgements if j.status in (JudgementStatus.IN_SAMPLE, JudgementStatus.FINAL)
    ]
    final = [j for j in standing if j.status is JudgementStatus.FINAL]
    latest, decision = (standing[-1] if standing else None), (final[-1] if final else None)
    appeal = appeals.get(decision.id) if decision is not None else None
    record = OutcomeRecord(outcome, OutcomeStatus.NOT_ASSESSED, decision, appeal)
    if latest is not None and latest.status is JudgementStatus.IN_SAMPLE:
        record.status = OutcomeStatus.UNDER_MODERATION
    elif decision is not None and decision.verdict is Verdict.COMPETENT:
        record.status = OutcomeStatus.COMPETENT
    elif waiting and (decision is None or decision.attempt_id not in waiting):
        # Judged again in a later attempt; a decision already released from the attempt still
        # in moderation stands (the learner was told, and its appeal window runs).
        record.status = OutcomeStatus.AWAITING_MARKING
    elif decision is not None:
        if appeal is not None and appeal.status is AppealStatus.OPEN:
            record.status = OutcomeStatus.UNDER_APPEAL
        else:
            record.status = OutcomeStatus.NOT_YET_COMPETENT
            deadline = appeal_deadline(decision)
            if appeal is None and deadline is not None and now <= deadline:
                record.appeal_until = deadline
    elif judgements:
        record.status = OutcomeStatus.AWAITING_MARKING  # overturned, waiting to be judged again
    record.history = _history(judgements, appeals, as_learner=as_learner)
    return record


def _history(
    judgements: list[OutcomeJudgement], appeals: dict[int, Appeal], *, as_learner: bool
) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    for j in judgements:
        if as_learner and not j.visible_to_learner:
            continue
        verdict = j.verdict.label if j.verdict else ""
        at = j.released_at if as_learner and j.released_at else j.finalised_at or j.created_at
        what = f"Appeal upheld: {verdict}" if j.from_appeal else f"Judged {verdict}"
        if not as_learner and j.sample_rule is not None:
            what += f" (sampled: {j.sample_rule.label.lower()})"
        entries.append(HistoryEntry(at, j.assessor.full_name, what, j.comment))
        if not as_learner:
            for r in j.reviews:
                entries.append(
                    HistoryEntry(
                        r.reviewed_at,
                        r.moderator.full_name,
                        f"Moderation: {r.verdict.value}",
                        r.reason,
                    )
                )
        appeal = appeals.get(j.id)
        if appeal is not None:
            entries.append(
                HistoryEntry(appeal.lodged_at, j.learner.full_name, "Appeal lodged", appeal.reason)
            )
            if appeal.decided_at is not None and appeal.moderator is not None:
                entries.append(
                    HistoryEntry(
                        appeal.decided_at,
                        appeal.moderator.full_name,
                        f"Appeal {appeal.status.value}",
                        appeal.decision_reason,
                    )
                )
    return sorted(entries, key=lambda e: e.at)
