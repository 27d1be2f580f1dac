"""Submitting an attempt: its score, its pass or fail, what each response records, and that a
second submission changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.assessments.models import AttemptState
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from tests.assessments.attempt_steps import (
    NOW,
    SUMMATIVE,
    Answers,
    add_summative,
    audit_count,
    learner_factory,  # noqa: F401 - the `make_learner` fixture
    learner_with_lessons_done,  # noqa: F401 - the `learner` fixture
    pass_knowledge_check,
    published_world,  # noqa: F401 - the `world` fixture
    republish,
    right_answers,
    save,
    start,
    submit,
)
from tests.quiz_files import QuizWorld

SUBMITTED_AT = NOW + timedelta(minutes=12)
# Each question answered differently: wrong, half right, right, half right, right, blank.
MIXED: Answers = {"q1": "2", "q2": ["1"], "q3": "true", "q4": "checking", "q5": "84.4"}
# Over all-right answers, worth 4.5 of 6 (75 %): the first wrong and the second half right.
THREE_QUARTERS: Answers = {"q1": "2", "q2": ["1"]}


def test_all_right_answers_score_full_marks_and_pass(learner: User) -> None:
    """Six right answers: 6 of 6, 100 %, passed, and the attempt is marked at submission."""
    attempt = start(learner)
    save(attempt, right_answers(attempt))

    assert submit(attempt, at=SUBMITTED_AT) is True

    assert (attempt.score, attempt.max_score, attempt.percent) == (6.0, 6.0, 100.0)
    assert attempt.passed is True
    assert attempt.state is AttemptState.MARKED
    assert attempt.submitted_at == attempt.marked_at == SUBMITTED_AT
    assert attempt.auto_submitted is False
    assert [(r.points, r.outcome) for r in attempt.responses] == [(1.0, "correct")] * 6


def test_each_response_records_its_points_outcome_and_feedback(learner: User) -> None:
    """Wrong, partial, right and blank answers each keep their own points, outcome and feedback."""
    attempt = start(learner)
    save(attempt, MIXED)

    submit(attempt, at=SUBMITTED_AT)

    assert [(r.points, r.max_points, r.outcome, r.feedback) for r in attempt.responses] == [
        (0.0, 1.0, "incorrect", ["Not green."]),
        (0.5, 1.0, "partial", ["Apple is a fruit."]),
        (1.0, 1.0, "correct", ["Yes."]),
        (0.5, 1.0, "partial", ["Nearly."]),
        (1.0, 1.0, "correct", ["Right: 84."]),
        (0.0, 1.0, "unanswered", ["Not answered."]),
    ]
    assert (attempt.score, attempt.max_score, attempt.percent) == (3.0, 6.0, 50.0)
    assert attempt.passed is False


def test_the_percentage_is_rounded_to_two_places(learner: User) -> None:
    """One right answer of six is 16.67 %."""
    attempt = start(learner)
    save(attempt, {"q1": "1"})

    submit(attempt)

    assert attempt.percent == 16.67


@pytest.mark.parametrize(
    ("pass_mark", "passed"),
    [(74, True), (75, True), (76, False)],
    ids=["below", "exactly", "above"],
)
def test_a_score_exactly_at_the_pass_mark_passes(
    world: QuizWorld, learner: User, pass_mark: int, passed: bool
) -> None:
    """4.5 of 6 is 75 %: it passes a pass mark of 74 or 75 and fails one of 76."""
    republish(world, pass_mark=pass_mark)
    attempt = start(learner)
    save(attempt, {**right_answers(attempt), **THREE_QUARTERS})

    submit(attempt)

    assert attempt.percent == 75.0
    assert attempt.passed is passed


def test_unanswered_questions_score_nothing(learner: User) -> None:
    """An attempt submitted blank is marked: every question unanswered, 0 %, not passed."""
    attempt = start(learner)

    submit(attempt, at=SUBMITTED_AT)

    assert all(
        (r.answer, r.points, r.outcome, r.feedback) == (None, 0.0, "unanswered", ["Not answered."])
        for r in attempt.responses
    )
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (
        0.0,
        6.0,
        0.0,
        False,
    )
    assert attempt.state is AttemptState.MARKED


def test_submission_records_one_audit_event_with_the_result(learner: User) -> None:
    """The learner's submission is one `attempt.submitted` event naming them and the result."""
    attempt = start(learner)
    save(attempt, right_answers(attempt))

    submit(attempt, at=SUBMITTED_AT)

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.submitted"))
    assert event is not None
    assert (event.object_type, event.object_id, event.actor_id) == (
        "attempts",
        str(attempt.id),
        learner.id,
    )
    assert event.details == {
        "quiz": attempt.quiz_id,
        "number": 1,
        "automatic": False,
        "percent": 100.0,
        "state": "marked",
    }


def test_a_second_submit_returns_false_and_changes_nothing(learner: User) -> None:
    """Submitting again (double click, second tab, retry) keeps the first submission as it was."""
    attempt = start(learner)
    save(attempt, MIXED)
    submit(attempt, at=SUBMITTED_AT)
    first = (attempt.state, attempt.submitted_at, attempt.marked_at, attempt.score)
    graded = [(r.points, r.outcome, r.feedback) for r in attempt.responses]

    again = submit(attempt, at=SUBMITTED_AT + timedelta(minutes=1))

    db.session.expire_all()
    assert again is False
    assert (attempt.state, attempt.submitted_at, attempt.marked_at, attempt.score) == first
    assert [(r.points, r.outcome, r.feedback) for r in attempt.responses] == graded
    assert audit_count("attempt.submitted", attempt.id) == 1


def test_a_submitted_attempt_no_longer_counts_as_in_progress(learner: User) -> None:
    """After submission no attempt is in progress, so "Start" begins a new one (not passed)."""
    attempt = start(learner)
    submit(attempt)

    again = start(learner)

    assert again.id != attempt.id
    assert again.number == 2


# Summatives with essays ------------------------------------------------------------------------


def test_a_summative_with_essays_waits_for_an_assessor(world: QuizWorld, learner: User) -> None:
    """Essays are not marked automatically: percent and pass stay open, awaiting marking."""
    add_summative(world)
    pass_knowledge_check(learner)
    essay = start(learner, SUMMATIVE)
    save(essay, {"q1": "The IVR answers, then the ACD routes the call to me."})

    assert submit(essay, at=SUBMITTED_AT) is True

    assert essay.state is AttemptState.AWAITING_MARKING
    assert (essay.percent, essay.passed, essay.marked_at) == (None, None, None)
    assert essay.submitted_at == SUBMITTED_AT
    assert (essay.score, essay.max_score) == (0.0, 0.0)
    assert [(r.points, r.outcome) for r in essay.responses] == [
        (0.0, "needs-marking"),
        (0.0, "unanswered"),
    ]


def test_an_essay_submission_is_audited_as_awaiting_marking(
    world: QuizWorld, learner: User
) -> None:
    """The audit event of an essay submission says it awaits marking, with no percentage."""
    add_summative(world)
    pass_knowledge_check(learner)
    essay = start(learner, SUMMATIVE)
    save(essay, {"q1": "An answer.", "q2": "Another."})

    submit(essay)

    query = select(AuditEvent).where(AuditEvent.object_id == str(essay.id))
    event = db.session.scalar(query.where(AuditEvent.action == "attempt.submitted"))
    assert event is not None
    assert (event.details["state"], event.details["percent"]) == ("awaiting_marking", None)
