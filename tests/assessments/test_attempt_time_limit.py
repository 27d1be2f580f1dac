"""Time limits, with time passed in: saving up to the deadline and its grace, the automatic
submission after it, and closing overdue attempts from a periodic job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from lms.assessments import attempts
from lms.assessments.models import Attempt, AttemptClosed, AttemptState
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.cli import main
from lms.database import utcnow
from lms.extensions import db
from tests.assessments.attempt_steps import (
    NOW,
    LearnerFactory,
    app_grace,
    audit_count,
    learner_factory,  # noqa: F401 - the `make_learner` fixture
    learner_with_lessons_done,  # noqa: F401 - the `learner` fixture
    published_world,  # noqa: F401 - the `world` fixture
    republish,
    save,
    saved_answers,
    start,
    submit,
)
from tests.quiz_files import QuizWorld

LIMIT = timedelta(minutes=10)
DEADLINE = NOW + LIMIT
SECOND = timedelta(seconds=1)


@pytest.fixture
def timed(world: QuizWorld, learner: User) -> User:
    """The knowledge check with a ten-minute limit; returns the learner."""
    republish(world, time_limit=10)
    return learner


def test_the_grace_period_defaults_to_thirty_seconds(app: Flask) -> None:
    """ATTEMPT_GRACE_SECONDS is 30 unless configured, and the steps here use the app's value."""
    assert app.config["ATTEMPT_GRACE_SECONDS"] == 30
    with app.app_context():
        assert app_grace() == timedelta(seconds=30)


def test_the_deadline_is_the_start_plus_the_time_limit(timed: User) -> None:
    """Starting a timed quiz stores its deadline, kept by the server."""
    attempt = start(timed, at=NOW)

    assert attempt.deadline == DEADLINE


@pytest.mark.parametrize(
    ("elapsed", "remaining"),
    [
        (timedelta(0), 600),
        (timedelta(minutes=4, seconds=30), 330),
        (LIMIT - timedelta(milliseconds=500), 0),
        (LIMIT, 0),
        (LIMIT + timedelta(minutes=5), 0),
    ],
    ids=["at-start", "midway", "half-a-second-left", "at-deadline", "long-after"],
)
def test_remaining_seconds_count_down_to_zero_and_stay_there(
    timed: User, elapsed: timedelta, remaining: int
) -> None:
    """Whole seconds left before the deadline, never negative."""
    attempt = start(timed, at=NOW)

    assert attempt.remaining_seconds(NOW + elapsed) == remaining


def test_an_untimed_attempt_has_no_deadline_and_no_countdown(learner: User) -> None:
    """Without `time_limit` there is no deadline, no remaining time, and nothing is overdue."""
    attempt = start(learner, at=NOW)

    later = NOW + timedelta(days=30)
    assert attempt.deadline is None
    assert attempt.remaining_seconds(later) is None
    assert attempt.overdue(later, app_grace()) is False
    assert attempt.accepts_answers(later, app_grace()) is True


@pytest.mark.parametrize(
    ("after_deadline", "accepts"),
    [
        (-SECOND, True),
        (timedelta(0), True),
        (timedelta(seconds=30), True),
        (timedelta(seconds=31), False),
    ],
    ids=["before", "at-deadline", "end-of-grace", "after-grace"],
)
def test_answers_are_accepted_until_the_grace_period_ends(
    timed: User, after_deadline: timedelta, accepts: bool
) -> None:
    """Answers are accepted through the deadline and its 30 s grace; after that it is overdue."""
    attempt = start(timed, at=NOW)
    moment = DEADLINE + after_deadline

    assert attempt.accepts_answers(moment, app_grace()) is accepts
    assert attempt.overdue(moment, app_grace()) is not accepts


def test_a_save_before_the_deadline_is_stored(timed: User) -> None:
    """Work saved inside the time limit is kept."""
    attempt = start(timed, at=NOW)

    assert save(attempt, {"q1": "1"}, at=DEADLINE - SECOND) == 1

    assert saved_answers(attempt.id)[1] == {"choice": 0}
    assert attempt.state is AttemptState.IN_PROGRESS


@pytest.mark.parametrize("late", [SECOND, timedelta(seconds=30)], ids=["just-late", "last-moment"])
def test_a_save_within_the_grace_period_is_stored(timed: User, late: timedelta) -> None:
    """A slow network's last save, up to 30 s after the deadline, still counts."""
    attempt = start(timed, at=NOW)

    assert save(attempt, {"q1": "1"}, at=DEADLINE + late) == 1

    assert saved_answers(attempt.id)[1] == {"choice": 0}
    assert attempt.state is AttemptState.IN_PROGRESS


def test_a_save_after_the_grace_period_submits_what_was_saved_before(timed: User) -> None:
    """Too late, a save submits the attempt automatically with the earlier answers, then refuses."""
    attempt = start(timed, at=NOW)
    save(attempt, {"q1": "1"}, at=NOW + timedelta(minutes=2))
    too_late = DEADLINE + timedelta(seconds=31)

    with pytest.raises(AttemptClosed):
        save(attempt, {"q1": "2", "q3": "true"}, at=too_late)
    db.session.commit()  # as the page does: the automatic submission is kept

    assert saved_answers(attempt.id) == {
        1: {"choice": 0},
        2: None,
        3: None,
        4: None,
        5: None,
        6: None,
    }
    assert attempt.state is AttemptState.MARKED
    assert (attempt.auto_submitted, attempt.submitted_at) == (True, too_late)
    assert (attempt.score, attempt.percent, attempt.passed) == (1.0, 16.67, False)


def test_an_automatic_submission_is_audited_without_an_actor(timed: User) -> None:
    """The audit event of a submission by the clock names no person and says it was automatic."""
    attempt = start(timed, at=NOW)

    closed = attempts.close_if_overdue(
        attempt, now=DEADLINE + timedelta(minutes=1), grace=app_grace()
    )
    db.session.commit()

    assert closed is True
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.submitted"))
    assert event is not None
    assert (event.actor_id, event.details["automatic"]) == (None, True)


def test_close_if_overdue_leaves_an_attempt_with_time_left_alone(timed: User) -> None:
    """Inside the limit and its grace, nothing is submitted and nothing is audited."""
    attempt = start(timed, at=NOW)

    closed = attempts.close_if_overdue(
        attempt, now=DEADLINE + timedelta(seconds=30), grace=app_grace()
    )
    db.session.commit()

    assert closed is False
    assert attempt.state is AttemptState.IN_PROGRESS
    assert audit_count("attempt.submitted", attempt.id) == 0


def test_close_if_overdue_leaves_a_submitted_attempt_alone(timed: User) -> None:
    """An attempt the learner submitted in time is not submitted again once the time is up."""
    attempt = start(timed, at=NOW)
    submit(attempt, at=NOW + timedelta(minutes=5))

    closed = attempts.close_if_overdue(
        attempt, now=DEADLINE + timedelta(hours=1), grace=app_grace()
    )
    db.session.commit()

    assert closed is False
    assert (attempt.auto_submitted, attempt.submitted_at) == (False, NOW + timedelta(minutes=5))
    assert audit_count("attempt.submitted", attempt.id) == 1


def timed_attempts_seen_at_now(make_learner: LearnerFactory) -> dict[str, Attempt]:
    """Attempts started so that at NOW one is overdue, one is in its grace, one has time left,
    and one overdue attempt was already submitted by its learner."""
    starts = {
        "overdue": NOW - timedelta(minutes=20),
        "in-grace": NOW - LIMIT - timedelta(seconds=20),
        "time-left": NOW - timedelta(minutes=1),
        "submitted": NOW - timedelta(minutes=30),
    }
    found = {name: start(make_learner(), at=at) for name, at in starts.items()}
    submit(found["submitted"], at=NOW - timedelta(minutes=25))
    return found


def test_closing_overdue_attempts_submits_only_those_past_their_grace(
    world: QuizWorld, make_learner: LearnerFactory
) -> None:
    """The periodic job submits the overdue attempt, counts it, and leaves the rest alone."""
    republish(world, time_limit=10)
    found = timed_attempts_seen_at_now(make_learner)
    save(found["overdue"], {"q1": "1"}, at=NOW - timedelta(minutes=15))

    closed = attempts.close_overdue_attempts(now=NOW, grace=app_grace())
    db.session.commit()

    db.session.expire_all()
    assert closed == 1
    assert {name: a.state for name, a in found.items()} == {
        "overdue": AttemptState.MARKED,
        "in-grace": AttemptState.IN_PROGRESS,
        "time-left": AttemptState.IN_PROGRESS,
        "submitted": AttemptState.MARKED,
    }
    overdue = found["overdue"]
    assert (overdue.auto_submitted, overdue.submitted_at, overdue.score) == (True, NOW, 1.0)
    assert found["submitted"].auto_submitted is False


def test_closing_overdue_attempts_again_finds_nothing_to_do(
    world: QuizWorld, make_learner: LearnerFactory
) -> None:
    """A second run of the job submits nothing more and records no second event."""
    republish(world, time_limit=10)
    found = timed_attempts_seen_at_now(make_learner)
    attempts.close_overdue_attempts(now=NOW, grace=app_grace())
    db.session.commit()

    again = attempts.close_overdue_attempts(now=NOW + timedelta(seconds=5), grace=app_grace())
    db.session.commit()

    assert again == 0
    assert audit_count("attempt.submitted", found["overdue"].id) == 1


def test_the_close_overdue_command_submits_overdue_attempts(
    app: Flask, world: QuizWorld, make_learner: LearnerFactory
) -> None:
    """`lms attempts close-overdue` (on the real clock) submits the attempt started long ago."""
    republish(world, time_limit=10)
    long_ago = start(make_learner(), at=utcnow() - timedelta(hours=1))
    just_now = start(make_learner(), at=utcnow())
    db.session.commit()

    result = app.test_cli_runner().invoke(main, ["attempts", "close-overdue"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Submitted 1 overdue attempt(s)."
    db.session.expire_all()
    rows = {a.id: a for a in db.session.scalars(select(Attempt))}
    assert (rows[long_ago.id].state, rows[long_ago.id].auto_submitted) == (
        AttemptState.MARKED,
        True,
    )
    assert rows[just_now.id].state is AttemptState.IN_PROGRESS
