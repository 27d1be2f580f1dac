"""A quiz's rules over several attempts: which attempt counts (`grading`), how many are left,
and when a finished attempt's review shows the right answers (`feedback`)."""

from __future__ import annotations

import pytest

from lms.assessments.models import Attempt
from lms.assessments.pages import review_of
from lms.auth.models import User
from tests.assessments.attempt_steps import (
    Answers,
    learner_factory,  # noqa: F401 - the `make_learner` fixture
    learner_with_lessons_done,  # noqa: F401 - the `learner` fixture
    published_world,  # noqa: F401 - the `world` fixture
    republish,
    right_answers,
    save,
    start,
    status_of,
    submit,
)
from tests.quiz_files import QuizWorld

# Changes to all-right answers, and the percentage each set scores.
FIVE_SIXTHS: Answers = {"q1": "2"}  # 83.33
TWO_THIRDS: Answers = {"q1": "2", "q2": ["3"]}  # 66.67: the carrot's -100 % floors at 0
HALF: Answers = {"q1": "2", "q2": ["3"], "q3": "false"}  # 50.0
ALL_RIGHT: Answers = {}  # 100.0


def take_scoring(user: User, changes: Answers) -> Attempt:
    """An attempt answered right except for `changes`, submitted."""
    attempt = start(user)
    save(attempt, {**right_answers(attempt), **changes})
    submit(attempt)
    return attempt


# Which attempt counts --------------------------------------------------------------------------


def test_highest_grading_counts_the_best_attempt(world: QuizWorld, learner: User) -> None:
    """With `grading: highest`, the best percentage counts, wherever it came."""
    republish(world, pass_mark=100, grading="highest")
    scores = [take_scoring(learner, changes) for changes in (HALF, FIVE_SIXTHS, TWO_THIRDS)]

    result = status_of(learner).result

    assert [a.percent for a in scores] == [50.0, 83.33, 66.67]
    assert result is not None
    assert result.id == scores[1].id


def test_highest_grading_breaks_a_tie_with_the_earliest_attempt(
    world: QuizWorld, learner: User
) -> None:
    """Two attempts with the same best percentage: the earlier one counts."""
    republish(world, pass_mark=100, grading="highest")
    first = take_scoring(learner, TWO_THIRDS)
    take_scoring(learner, TWO_THIRDS)

    result = status_of(learner).result

    assert result is not None
    assert result.id == first.id


def test_last_grading_counts_the_latest_marked_attempt(world: QuizWorld, learner: User) -> None:
    """With `grading: last`, the most recent marked attempt counts, even if lower."""
    republish(world, pass_mark=100, grading="last")
    scores = [take_scoring(learner, changes) for changes in (HALF, FIVE_SIXTHS, TWO_THIRDS)]
    start(learner)  # an attempt in progress has no score yet and does not count

    result = status_of(learner).result

    assert result is not None
    assert result.id == scores[2].id


def test_no_attempt_counts_before_one_is_finished(learner: User) -> None:
    """Before any submission the quiz has no result; an attempt in progress is not one."""
    assert status_of(learner).result is None
    start(learner)

    assert status_of(learner).result is None


def test_attempts_left_counts_the_attempt_in_progress(world: QuizWorld, learner: User) -> None:
    """An attempt in progress uses one of the attempts allowed; unlimited quizzes say None."""
    assert status_of(learner).attempts_left is None
    republish(world, attempts=3, pass_mark=100)
    take_scoring(learner, HALF)
    start(learner)

    status = status_of(learner)
    assert status.attempts_left == 1
    assert status.in_progress is not None
    assert status.can_start is False  # the one in progress is resumed instead
    assert status.closed is False


# When the review shows feedback ----------------------------------------------------------------


def test_feedback_after_each_attempt_shows_at_once(world: QuizWorld, learner: User) -> None:
    """With `feedback: after-each-attempt`, a failed attempt's review shows the feedback."""
    republish(world, feedback="after-each-attempt", attempts=3)
    attempt = take_scoring(learner, HALF)

    status = status_of(learner)
    assert status.closed is False
    assert status.feedback_visible(attempt) is True


def test_feedback_is_never_shown_for_an_attempt_in_progress(learner: User) -> None:
    """An attempt not yet submitted never shows right answers, whatever the setting."""
    attempt = start(learner)

    assert status_of(learner).feedback_visible(attempt) is False


def test_feedback_after_the_last_attempt_waits_until_attempts_are_used(
    world: QuizWorld, learner: User
) -> None:
    """With `after-last-attempt`, feedback is hidden while attempts remain, then shows for all."""
    republish(world, feedback="after-last-attempt", attempts=2)
    first = take_scoring(learner, HALF)
    assert status_of(learner).feedback_visible(first) is False

    second = take_scoring(learner, TWO_THIRDS)

    status = status_of(learner)
    assert status.closed is True
    assert [status.feedback_visible(a) for a in (first, second)] == [True, True]


def test_feedback_after_the_last_attempt_shows_once_passed(world: QuizWorld, learner: User) -> None:
    """With `after-last-attempt`, passing closes the quiz, so the feedback shows at once."""
    republish(world, feedback="after-last-attempt", attempts=5, pass_mark=80)
    failed = take_scoring(learner, HALF)
    assert status_of(learner).feedback_visible(failed) is False

    passed = take_scoring(learner, FIVE_SIXTHS)

    status = status_of(learner)
    assert (status.passed, status.closed, status.attempts_left) == (True, True, 3)
    assert [status.feedback_visible(a) for a in (failed, passed)] == [True, True]


def test_feedback_after_the_last_attempt_without_a_limit_waits_for_a_pass(
    world: QuizWorld, learner: User
) -> None:
    """With no attempt limit, only a pass ends the quiz, so failed attempts keep it hidden."""
    republish(world, feedback="after-last-attempt", pass_mark=100)
    attempts = [take_scoring(learner, HALF) for _ in range(3)]

    status = status_of(learner)
    assert [status.feedback_visible(a) for a in attempts] == [False, False, False]


@pytest.mark.parametrize(
    ("feedback", "shown"),
    [("after-each-attempt", True), ("after-last-attempt", False)],
)
def test_the_review_carries_right_answers_only_when_feedback_is_visible(
    world: QuizWorld, learner: User, feedback: str, shown: bool
) -> None:
    """The review page's items hold right answers and feedback only when the setting allows."""
    republish(world, feedback=feedback, attempts=2)
    attempt = take_scoring(learner, HALF)

    review = review_of(attempt, status_of(learner))

    assert review.feedback_visible is shown
    first = review.items[0]
    assert (first.your_answer, first.outcome, first.points) == ("green", "incorrect", 0.0)
    if shown:
        assert first.right_answer == "blue"
        assert [str(line) for line in first.feedback] == ["Not green."]
    else:
        assert (first.right_answer, first.feedback, first.general_feedback) == (None, (), None)
