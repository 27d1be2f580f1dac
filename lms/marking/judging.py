"""What an attempt is judged on: the outcomes its questions serve, what stands from the
learner's earlier attempts (a Competent stands, unless a recertification restarted the
module), the decisions already made, and the evidence the marking page shows beside them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.assessments.models import Attempt
from lms.assessments.services import KNOWLEDGE_CHECK, quizzes_of_module, statuses_for
from lms.content.models import Outcome
from lms.extensions import db
from lms.learning.models import restart_time
from lms.marking.models import JudgementStatus, OutcomeJudgement, Verdict


def quiz_outcomes(attempt: Attempt) -> list[Outcome]:
    """The module's outcomes the attempt's questions serve (all of them if none is named)."""
    codes = {code for r in attempt.responses for code in r.question.outcome_codes}
    outcomes = attempt.quiz.module.current_outcomes
    return [o for o in outcomes if o.code in codes] or list(outcomes)


def competent_outcome_ids(
    learner_id: int, outcome_ids: Sequence[int], *, since: datetime | None = None
) -> set[int]:
    """Outcomes the learner holds a final Competent for (from any attempt started `since`)."""
    if not outcome_ids:
        return set()
    query = select(OutcomeJudgement.outcome_id).where(
        OutcomeJudgement.learner_id == learner_id,
        OutcomeJudgement.outcome_id.in_(outcome_ids),
        OutcomeJudgement.status == JudgementStatus.FINAL,
        OutcomeJudgement.verdict == Verdict.COMPETENT,
    )
    if since is not None:
        query = query.join(OutcomeJudgement.attempt).where(Attempt.started_at >= since)
    return set(db.session.scalars(query))


def outcomes_to_judge(attempt: Attempt) -> list[Outcome]:
    """The attempt's outcomes not already Competent from an earlier attempt.

    A resubmission is judged only on what was Not Yet Competent: a Competent outcome stands.
    """
    outcomes = quiz_outcomes(attempt)
    # A recertification starts judging afresh: a Competent from before the restart does not stand.
    since = restart_time(attempt.user_id, attempt.quiz.module_id)
    earlier_competent = {
        j.outcome_id
        for j in judgements_of_learner(attempt.user_id, [o.id for o in outcomes])
        if j.attempt_id != attempt.id
        and j.status is JudgementStatus.FINAL
        and j.verdict is Verdict.COMPETENT
        and (since is None or j.attempt.started_at >= since)
    }
    return [o for o in outcomes if o.id not in earlier_competent]


def judgements_of_learner(learner_id: int, outcome_ids: Sequence[int]) -> list[OutcomeJudgement]:
    """Every judgement on these outcomes of the learner, oldest first."""
    if not outcome_ids:
        return []
    query = (
        select(OutcomeJudgement)
        .where(
            OutcomeJudgement.learner_id == learner_id,
            OutcomeJudgement.outcome_id.in_(outcome_ids),
        )
        .options(joinedload(OutcomeJudgement.assessor))
        .order_by(OutcomeJudgement.id)
    )
    return list(db.session.scalars(query).unique())


def decided(attempt: Attempt) -> dict[int, OutcomeJudgement]:
    """The attempt's standing decision per outcome id: in the sample or final."""
    standing = (JudgementStatus.IN_SAMPLE, JudgementStatus.FINAL)
    return {
        j.outcome_id: j
        for j in judgements_of_learner(attempt.user_id, [o.id for o in quiz_outcomes(attempt)])
        if j.attempt_id == attempt.id and j.status in standing
    }


def drafts_of(attempt: Attempt) -> dict[int, OutcomeJudgement]:
    query = select(OutcomeJudgement).where(
        OutcomeJudgement.attempt_id == attempt.id,
        OutcomeJudgement.status == JudgementStatus.DRAFT,
    )
    return {j.outcome_id: j for j in db.session.scalars(query)}


def knowledge_check_result(attempt: Attempt) -> Attempt | None:
    """The learner's counting knowledge-check attempt in the attempt's module, if any."""
    checks = [p for p in quizzes_of_module(attempt.quiz.module_id) if p[1].kind == KNOWLEDGE_CHECK]
    statuses = statuses_for(attempt.user, checks, lessons_done=True)
    return next((s.result for s in statuses if s.result is not None), None)


def earlier_attempts(attempt: Attempt) -> list[Attempt]:
    query = (
        select(Attempt)
        .where(
            Attempt.user_id == attempt.user_id,
            Attempt.quiz_id == attempt.quiz_id,
            Attempt.number < attempt.number,
        )
        .order_by(Attempt.number)
    )
    return list(db.session.scalars(query))
