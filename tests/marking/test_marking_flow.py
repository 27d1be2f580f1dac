"""The first path through marking: submit, finalise, the learner sees a final decision."""

from __future__ import annotations

from lms.assessments.models import AttemptState
from lms.auth.models import User
from lms.marking.models import JudgementStatus
from tests.marking.marking_steps import NYC, C, finalise, judgements_of, submit_summative


def test_a_first_judgement_is_sampled_and_waits(learner: User, assessor: User) -> None:
    attempt = submit_summative(learner)
    assert attempt.state is AttemptState.AWAITING_MARKING
    finalise(assessor, attempt, {"A1-LO1": C, "A1-LO2": NYC})
    judged = judgements_of(attempt)
    assert [j.status for j in judged] == [JudgementStatus.IN_SAMPLE] * 2
    assert attempt.state is AttemptState.AWAITING_MARKING
