"""The assessor's side: assignments, the marking queue, drafts and finalising judgements.

A marking is held by the assessor who first opened it; another assessor sees who holds it and
cannot save. Every save carries the version the form was built from, so a form overtaken by
another save or a finalisation changes nothing (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from blinker import Namespace
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.assessments.models import Attempt, AttemptState
from lms.auth.models import User
from lms.content.models import Outcome
from lms.extensions import db
from lms.learning.models import restart_time
from lms.marking import sampling
from lms.marking.judging import (
    competent_outcome_ids,
    decided,
    drafts_of,
    outcomes_to_judge,
    quiz_outcomes,
)
from lms.marking.models import (
    JudgementStatus,
    Marking,
    MarkingState,
    OutcomeJudgement,
    ResponseMark,
    Verdict,
)
from lms.notifications import notify
from lms.urls import path_for

# Sent whenever an attempt's decisions may have changed (finalised, moderated, appealed), in the
# same transaction: what depends on outcomes (certificates) follows without marking knowing it.
attempt_settled = Namespace().signal("attempt-settled")


class MarkingError(Exception):
    """A refused marking action; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MarkingHeld(MarkingError):
    def __init__(self, marking: Marking) -> None:
        super().__init__(
            f"{marking.assessor.full_name} is marking this attempt; it is theirs to finish."
        )
        self.marking = marking


class StaleMarking(MarkingError):
    def __init__(self) -> None:
        super().__init__(
            "This marking changed since you opened it (saved or finalised elsewhere). "
            "Nothing was saved; the page now shows the latest version."
        )


# --- Holding and saving a marking ------------------------------------------------------------


def open_marking(assessor: User, attempt: Attempt, *, now: datetime) -> Marking:
    """The attempt's marking, taken by `assessor` if nobody holds it yet.

    Raises MarkingHeld when another assessor holds a draft.
    """
    marking = db.session.scalar(select(Marking).where(Marking.attempt_id == attempt.id))
    if marking is None:
        try:
            with db.session.begin_nested():
                marking = Marking(
                    attempt_id=attempt.id, assessor_id=assessor.id, started_at=now, updated_at=now
                )
                db.session.add(marking)
        except IntegrityError:  # opened at the same moment by another assessor
            marking = db.session.scalars(
                select(Marking).where(Marking.attempt_id == attempt.id)
            ).one()
    if marking.assessor_id != assessor.id:
        raise MarkingHeld(marking)
    return marking


def release_marking(marking: Marking, assessor: User) -> None:
    """Let go of a draft nobody has finalised, so another assessor can take it."""
    if marking.assessor_id != assessor.id or marking.state is not MarkingState.DRAFT:
        raise MarkingError("Only the assessor holding a draft can hand it back.")
    if decided(marking.attempt):
        raise MarkingError("A moderator returned this marking to you; it is yours to finish.")
    for draft in drafts_of(marking.attempt).values():
        db.session.delete(draft)
    for mark in marking.marks:
        db.session.delete(mark)
    db.session.delete(marking)
    audit.record("marking.released", actor=assessor, target=marking.attempt)


@dataclass(frozen=True)
class OutcomeInput:
    verdict: Verdict | None
    comment: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class MarkingInput:
    """What the marking form sent, already parsed: by response id and by outcome code."""

    version: int
    scores: dict[int, float | None] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    outcomes: dict[str, OutcomeInput] = field(default_factory=dict)


def save_draft(marking: Marking, assessor: User, given: MarkingInput, *, now: datetime) -> None:
    """Store scores, comments and unfinished judgements; nobody but the assessor sees them."""
    _take(marking, assessor, given.version)
    _check_scores(marking.attempt, given)
    outcomes = _check_outcomes(marking.attempt, given, finalising=False)
    _store_marks(marking, given)
    drafts = drafts_of(marking.attempt)
    for outcome in outcomes:
        entry = given.outcomes.get(outcome.code, OutcomeInput(None))
        draft = drafts.get(outcome.id) or _new_judgement(marking, outcome, now)
        draft.verdict, draft.comment, draft.evidence = entry.verdict, entry.comment, entry.evidence
    marking.updated_at = now


def finalise(marking: Marking, assessor: User, given: MarkingInput, *, now: datetime) -> None:
    """Record every outcome's judgement, draw the moderation sample, tell the learner.

    All or nothing: an outcome left unjudged, an NYC without a comment or a stale form raises
    MarkingError before anything is written.
    """
    _take(marking, assessor, given.version)
    attempt = marking.attempt
    _check_scores(attempt, given)
    outcomes = _check_outcomes(attempt, given, finalising=True)
    _store_marks(marking, given)
    rejudged = {j.outcome_id for j in overturned_judgements(attempt)}
    drafts, rules = drafts_of(attempt), sampling.SamplingRules.from_config()
    judged = []
    for outcome in outcomes:
        entry = given.outcomes[outcome.code]
        judgement = drafts.get(outcome.id) or _new_judgement(marking, outcome, now)
        judgement.verdict, judgement.comment = entry.verdict, entry.comment.strip()
        judgement.evidence, judgement.finalised_at = entry.evidence.strip(), now
        judged.append(judgement)
    sampling.draw(judged, rules, rejudged_outcomes=rejudged)
    for judgement in judged:
        if judgement.sample_rule is None:
            judgement.status, judgement.released_at = JudgementStatus.FINAL, now
        else:
            judgement.status = JudgementStatus.IN_SAMPLE
    marking.state, marking.finalised_at, marking.updated_at = MarkingState.FINALISED, now, now
    audit.record(
        "marking.finalised",
        actor=assessor,
        target=attempt,
        details={
            "judgements": {
                j.outcome.code: {
                    "verdict": j.verdict.value if j.verdict else None,
                    "sampled": j.sample_rule.value if j.sample_rule else None,
                }
                for j in judged
            }
        },
    )
    settle(attempt, now=now, released=[j for j in judged if j.status is JudgementStatus.FINAL])


def overturned_judgements(attempt: Attempt) -> list[OutcomeJudgement]:
    """Judgements of this attempt a moderator overturned and nobody has judged again yet."""
    query = select(OutcomeJudgement).where(
        OutcomeJudgement.attempt_id == attempt.id,
        OutcomeJudgement.status == JudgementStatus.OVERTURNED,
    )
    standing = decided(attempt)
    return [j for j in db.session.scalars(query) if j.outcome_id not in standing]


def settle(attempt: Attempt, *, now: datetime, released: Sequence[OutcomeJudgement]) -> None:
    """After decisions were released: mark the attempt once every outcome is decided, and tell
    the learner what they can now read."""
    if attempt.state is AttemptState.AWAITING_MARKING and _all_released(attempt):
        attempt.mark(now)
    if attempt.state is AttemptState.MARKED:
        outcomes = quiz_outcomes(attempt)
        since = restart_time(attempt.user_id, attempt.quiz.module_id)
        competent = competent_outcome_ids(attempt.user_id, [o.id for o in outcomes], since=since)
        attempt.passed = all(o.id in competent for o in outcomes)
    if released:
        _tell_learner(attempt, released)
    attempt_settled.send(attempt, now=now)


def _all_released(attempt: Attempt) -> bool:
    standing = decided(attempt)
    return all(
        o.id in standing and standing[o.id].status is JudgementStatus.FINAL
        for o in outcomes_to_judge(attempt)
    )


def _tell_learner(attempt: Attempt, released: Sequence[OutcomeJudgement]) -> None:
    module = attempt.quiz.module
    lines = [f"{j.outcome.code}: {j.verdict.label if j.verdict else ''}" for j in released]
    pending = attempt.state is AttemptState.AWAITING_MARKING
    tail = (
        "A moderator is still checking the rest; you will hear when they are done."
        if pending
        else ""
    )
    notify(
        attempt.user,
        f"{module.code}: your assessment results",
        "\n".join([f"Results for {module.title}:", *lines, tail]).strip(),
        link=path_for("learner_record.module_record_page", module_slug=module.slug),
    )


def move_status(row: Any, source: StrEnum, target: StrEnum, refusal: str) -> None:
    """Move a judgement's or appeal's status from `source` to `target`, only if it is still
    `source`: the row lock makes a second decision at the same moment wait, then be refused."""
    model = type(row)
    result = db.session.execute(
        update(model).where(model.id == row.id, model.status == source).values(status=target)
    )
    if not cast("CursorResult[Any]", result).rowcount:
        raise MarkingError(refusal)
    db.session.refresh(row)


def _new_judgement(marking: Marking, outcome: Outcome, now: datetime) -> OutcomeJudgement:
    judgement = OutcomeJudgement(
        attempt_id=marking.attempt_id,
        outcome_id=outcome.id,
        outcome=outcome,
        learner_id=marking.attempt.user_id,
        assessor_id=marking.assessor_id,
        status=JudgementStatus.DRAFT,
        created_at=now,
    )
    db.session.add(judgement)
    return judgement


def _take(marking: Marking, assessor: User, version: int) -> None:
    """Check the assessor holds the marking and bump its version if the form is current."""
    if marking.assessor_id != assessor.id:
        raise MarkingHeld(marking)
    result = db.session.execute(
        update(Marking)
        .where(
            Marking.id == marking.id,
            Marking.version == version,
            Marking.state == MarkingState.DRAFT,
        )
        .values(version=Marking.version + 1)
    )
    bumped = cast("CursorResult[Any]", result).rowcount
    db.session.refresh(marking)
    if not bumped:
        raise StaleMarking()


def _check_scores(attempt: Attempt, given: MarkingInput) -> None:
    responses = {r.id: r for r in attempt.responses}
    for response_id, score in given.scores.items():
        response = responses.get(response_id)
        if response is None:
            raise MarkingError("A score was given for an answer not in this attempt.")
        if score is not None and not 0 <= score <= response.max_points:
            raise MarkingError(
                f"Question {response.position}: a score is between 0 and {response.max_points:g}.",
                f"score-{response.position}",
            )
    if any(response_id not in responses for response_id in given.comments):
        raise MarkingError("A comment was given for an answer not in this attempt.")


def _check_outcomes(attempt: Attempt, given: MarkingInput, *, finalising: bool) -> list[Outcome]:
    outcomes = outcomes_to_judge(attempt)
    standing = decided(attempt)
    open_outcomes = [o for o in outcomes if o.id not in standing]
    known = {o.code for o in open_outcomes}
    for code in given.outcomes:
        if code not in known:
            raise MarkingError(f"{code} is not an outcome to judge in this attempt.")
    if not finalising:
        return open_outcomes
    for outcome in open_outcomes:
        entry = given.outcomes.get(outcome.code)
        if entry is None or entry.verdict is None:
            raise MarkingError(
                f"{outcome.code}: choose Competent or Not Yet Competent.",
                f"verdict-{outcome.code}",
            )
        if entry.verdict is Verdict.NOT_YET_COMPETENT and not entry.comment.strip():
            raise MarkingError(
                f"{outcome.code}: say what is missing and what to do next; "
                "a Not Yet Competent needs a comment.",
                f"comment-{outcome.code}",
            )
    if not open_outcomes:
        raise MarkingError("Every outcome of this attempt is already decided.")
    return open_outcomes


def _store_marks(marking: Marking, given: MarkingInput) -> None:
    existing = {mark.response_id: mark for mark in marking.marks}
    for response_id in set(given.scores) | set(given.comments):
        mark = existing.get(response_id)
        if mark is None:
            mark = ResponseMark(marking=marking, response_id=response_id)
            db.session.add(mark)
        mark.score = given.scores.get(response_id)
        mark.comment = given.comments.get(response_id, "").strip()


def marks_by_response(attempt: Attempt) -> dict[int, ResponseMark]:
    query = select(ResponseMark).join(ResponseMark.marking).where(Marking.attempt_id == attempt.id)
    return {mark.response_id: mark for mark in db.session.scalars(query)}
