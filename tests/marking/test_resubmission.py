"""Resubmitting after a final Not Yet Competent: a new summative attempt starts from the last
answers, is judged only on what was not yet competent, the Competent outcome stands, earlier
attempts stay as submitted, and after RESUBMISSION_LIMIT resubmissions a trainer must unlock."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.assessments import attempts
from lms.assessments.attempts import CannotStart
from lms.assessments.models import Attempt, AttemptState, AttemptUnlock
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import judging, services
from lms.marking.models import JudgementStatus
from tests.assessments.attempt_steps import save, saved_answers, start, status_of, submit
from tests.conftest import UserFactory
from tests.marking.marking_steps import (
    ESSAYS,
    NOW,
    NYC,
    C,
    finalise,
    judgements_input,
    judgements_of,
    submit_summative,
)
from tests.marking.steps_marking import (
    DAY,
    LO1,
    LO2,
    mark_final,
    record_of,
    refused,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    statuses,
    user_with_roles,
)

SUMMATIVE = "summative"
EDITED = {"q1": ESSAYS["q1"], "q2": "I refuse politely and explain how to verify."}


def not_yet_competent_on_lo2(learner: User, assessor: User, moderator: User) -> Attempt:
    """The learner submits; LO1 is judged Competent and LO2 not yet, both confirmed."""
    attempt = submit_summative(learner)
    mark_final(assessor, moderator, attempt, {LO1: C, LO2: NYC})
    return attempt


def decisions(attempt: Attempt) -> list[tuple[str, JudgementStatus, object]]:
    """(outcome code, status, verdict) of each judgement of the attempt, oldest first."""
    return [(j.outcome.code, j.status, j.verdict) for j in judgements_of(attempt)]


def test_a_resubmission_starts_from_the_previous_answers(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """After a final NYC the learner may start again, with their answers there to edit."""
    first = not_yet_competent_on_lo2(learner, assessor, moderator)
    status = status_of(learner, SUMMATIVE)
    assert (status.resubmitting, status.can_start, record_of(learner).can_resubmit) == (
        True,
        True,
        True,
    )
    second = start(learner, SUMMATIVE, at=NOW + DAY)
    assert second.number == 2
    assert None not in saved_answers(first.id).values()
    assert saved_answers(second.id) == saved_answers(first.id)


def test_no_resubmission_while_the_nyc_waits_for_moderation(learner: User, assessor: User) -> None:
    """An NYC still in the sample is not final: nothing to resubmit yet."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    status = status_of(learner, SUMMATIVE)
    assert (status.can_start, record_of(learner).can_resubmit) == (False, False)
    with pytest.raises(CannotStart):
        attempts.start_attempt(learner, status, now=NOW + DAY)


def test_only_the_not_yet_competent_outcome_is_judged_again(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """The resubmission is judged on LO2 alone; LO1's Competent from the first attempt stands
    and, with LO2 now Competent, the resubmission passes."""
    first = not_yet_competent_on_lo2(learner, assessor, moderator)
    second = submit_summative(learner, at=NOW + DAY)
    assert [o.code for o in judging.outcomes_to_judge(second)] == [LO2]
    assert statuses(record_of(learner)) == {LO1: "competent", LO2: "awaiting-marking"}

    marking = services.open_marking(assessor, second, now=NOW + DAY)
    db.session.commit()
    both = judgements_input(marking, {LO1: NYC, LO2: C})
    refusal = refused(lambda: services.finalise(marking, assessor, both, now=NOW + DAY))
    assert str(refusal) == "A1-LO1 is not an outcome to judge in this attempt."

    mark_final(assessor, moderator, second, {LO2: C}, at=NOW + 2 * DAY)
    assert decisions(second) == [(LO2, JudgementStatus.FINAL, C)]
    assert (second.state, second.passed, first.passed) == (AttemptState.MARKED, True, False)
    assert decisions(first) == [(LO1, JudgementStatus.FINAL, C), (LO2, JudgementStatus.FINAL, NYC)]
    record = record_of(learner)
    assert record.all_competent
    assert [o.decision.attempt_id for o in record.outcomes if o.decision] == [first.id, second.id]


def test_after_two_resubmissions_a_trainer_must_unlock(
    learner: User, assessor: User, moderator: User, make_user: UserFactory, in_request: None
) -> None:
    """Three attempts NYC: none left until an unlock grants one more, pre-filled as before."""
    verdicts = [{LO1: C, LO2: NYC}, {LO2: NYC}, {LO2: NYC}]
    made = []
    for number, judged in enumerate(verdicts):
        made.append(submit_summative(learner, EDITED if number else None, at=NOW + number * DAY))
        mark_final(assessor, moderator, made[-1], judged, at=NOW + number * DAY)
    status = status_of(learner, SUMMATIVE)
    assert (status.allowed, status.attempts_left, status.can_start) == (3, 0, False)
    record = record_of(learner)
    assert (record.needs_unlock, record.can_resubmit) == (True, False)
    with pytest.raises(CannotStart):
        attempts.start_attempt(learner, status, now=NOW + 4 * DAY)
    db.session.rollback()

    trainer = user_with_roles(make_user, Role.TRAINER, full_name="Nomsa Zulu")
    db.session.add(
        AttemptUnlock(
            user_id=learner.id,
            quiz_id=status.quiz.id,
            granted_by_id=trainer.id,
            granted_at=NOW + 4 * DAY,
            reason="Coached on verifying callers.",
        )
    )
    db.session.commit()
    status = status_of(learner, SUMMATIVE)
    assert (status.allowed, status.attempts_left, status.can_start) == (4, 1, True)
    fourth = start(learner, SUMMATIVE, at=NOW + 5 * DAY)
    assert fourth.number == 4
    assert saved_answers(fourth.id) == saved_answers(made[-1].id)
    assert saved_answers(fourth.id)[2] == {"text": EDITED["q2"]}


@pytest.mark.parametrize(("limit", "allowed"), [(0, 1), (1, 2)])
def test_the_resubmission_limit_is_a_setting(
    app: Flask,
    learner: User,
    assessor: User,
    moderator: User,
    in_request: None,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
    allowed: int,
) -> None:
    """RESUBMISSION_LIMIT 0: no resubmission at all; 1: exactly one."""
    monkeypatch.setitem(app.config, "RESUBMISSION_LIMIT", limit)
    not_yet_competent_on_lo2(learner, assessor, moderator)
    status = status_of(learner, SUMMATIVE)
    assert (status.allowed, status.can_start) == (allowed, limit > 0)
    assert record_of(learner).needs_unlock is (limit == 0)


def test_earlier_attempts_stay_as_they_were(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Editing the resubmission changes its own answers only; the first stays readable as
    submitted and is listed as earlier work for the assessor."""
    first = not_yet_competent_on_lo2(learner, assessor, moderator)
    before = saved_answers(first.id)
    submitted_at = first.submitted_at
    second = start(learner, SUMMATIVE, at=NOW + DAY)
    save(second, EDITED, at=NOW + DAY)
    submit(second, at=NOW + DAY)

    assert saved_answers(first.id) == before
    assert saved_answers(second.id) == {1: before[1], 2: {"text": EDITED["q2"]}}
    db.session.expire_all()
    assert (first.state, first.submitted_at) == (AttemptState.MARKED, submitted_at)
    assert judging.earlier_attempts(second) == [first]
    assert [a.id for a in record_of(learner).attempts] == [first.id, second.id]
