"""Requests racing on one attempt, each thread with its own app context, session and connection,
released together by a barrier: submissions happen once, saves land before a submission or are
refused, and two "Start" clicks make one attempt. Run on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.assessments import attempts
from lms.assessments.models import Attempt, AttemptClosed, AttemptState, Response
from lms.assessments.pages import pages_of
from lms.auth.models import User
from lms.extensions import db
from tests.assessments.attempt_steps import (
    NOW,
    Answers,
    app_grace,
    audit_count,
    form,
    learner_factory,  # noqa: F401 - the `make_learner` fixture
    learner_with_lessons_done,  # noqa: F401 - the `learner` fixture
    published_world,  # noqa: F401 - the `world` fixture
    republish,
    right_answers,
    save,
    saved_answers,
    start,
    status_of,
)
from tests.quiz_files import QuizWorld
from tests.race import Contender, Result, race


def loaded(attempt_id: int) -> Attempt:
    """The attempt as a request loads it: by id, in this thread's session."""
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    return attempt


def submitter(attempt_id: int, *, at: datetime = NOW) -> Contender:
    """The summary page's "Submit": load the attempt, then submit it."""

    def prepare() -> Callable[[], object]:
        attempt = loaded(attempt_id)
        return lambda: attempts.submit_attempt(attempt, now=at)

    return prepare


def saver(attempt_id: int, answers: Answers) -> Contender:
    """An autosave: load the attempt and its questions, then save the answers sent."""

    def prepare() -> Callable[[], object]:
        attempt = loaded(attempt_id)
        responses = [r for page in pages_of(attempt) for r in page]
        return lambda: attempts.save_answers(
            attempt, responses, form(answers), now=NOW, grace=app_grace()
        )

    return prepare


def errors(outcomes: list[Result]) -> list[Exception]:
    return [o.error for o in outcomes if o.error is not None]


def response_rows(attempt_id: int) -> list[Response]:
    db.session.expire_all()
    query = select(Response).where(Response.attempt_id == attempt_id)
    return list(db.session.scalars(query.order_by(Response.position)))


# Submitting twice at once ----------------------------------------------------------------------


def test_two_submits_at_once_submit_the_attempt_once(app: Flask, learner: User) -> None:
    """Two tabs submitting together: one call submits, the other finds it done; one event."""
    attempt = start(learner)
    save(attempt, right_answers(attempt))
    times = [NOW + timedelta(seconds=1), NOW + timedelta(seconds=2)]

    outcomes = race(app, *(submitter(attempt.id, at=at) for at in times))

    assert errors(outcomes) == []
    submitted = [o.value for o in outcomes]
    assert sorted(submitted, key=bool) == [False, True]
    winner = times[submitted.index(True)]
    db.session.expire_all()
    assert attempt.state is AttemptState.MARKED
    assert attempt.submitted_at == attempt.marked_at == winner
    assert (attempt.score, attempt.percent, attempt.passed) == (6.0, 100.0, True)
    assert audit_count("attempt.submitted", attempt.id) == 1
    assert [(r.points, r.outcome) for r in response_rows(attempt.id)] == [(1.0, "correct")] * 6


def test_the_overdue_job_racing_the_learner_submits_once(
    app: Flask, world: QuizWorld, learner: User
) -> None:
    """The periodic job and the learner's own late "Submit" together: one submission, one event."""
    republish(world, time_limit=10)
    attempt = start(learner, at=NOW - timedelta(minutes=30))
    save(attempt, {"q1": "1"}, at=NOW - timedelta(minutes=25))

    def job() -> Callable[[], object]:
        return lambda: attempts.close_overdue_attempts(now=NOW, grace=app_grace())

    def learner_submits() -> Callable[[], object]:
        late = loaded(attempt.id)
        return lambda: (
            attempts.close_if_overdue(late, now=NOW, grace=app_grace())
            or attempts.submit_attempt(late, now=NOW)
        )

    outcomes = race(app, job, learner_submits)

    assert errors(outcomes) == []
    job_closed, learner_submitted = (o.value for o in outcomes)
    assert (job_closed, learner_submitted) in [(1, False), (0, True)]  # one of them submitted
    db.session.expire_all()
    assert (attempt.state, attempt.auto_submitted, attempt.score) == (
        AttemptState.MARKED,
        True,
        1.0,
    )
    assert audit_count("attempt.submitted", attempt.id) == 1


# A save racing a submission --------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(4))
def test_a_save_racing_a_submit_lands_before_it_or_is_refused(
    app: Flask, learner: User, round_: int
) -> None:
    """Either the save lands first and is marked, or it is refused; never saved but unmarked."""
    attempt = start(learner, seed=round_)
    answers = {"q1": "1", "q2": ["1", "2"], "q3": "true", "q4": "verification", "q5": "84"}

    save_outcome, submit_outcome = race(app, saver(attempt.id, answers), submitter(attempt.id))

    assert submit_outcome.error is None
    assert submit_outcome.value is True
    rows = response_rows(attempt.id)
    if save_outcome.error is None:  # the save came first: its answers were marked
        assert save_outcome.value == 5
        assert [(r.points, r.outcome) for r in rows] == [(1.0, "correct")] * 5 + [
            (0.0, "unanswered")
        ]
    else:  # the submission came first: the save was refused and stored nothing
        assert isinstance(save_outcome.error, AttemptClosed)
        assert [(r.answer, r.outcome) for r in rows] == [(None, "unanswered")] * 6
    assert all((r.answer is None) == (r.outcome == "unanswered") for r in rows)
    assert audit_count("attempt.submitted", attempt.id) == 1


def test_an_answer_saved_in_the_grace_period_is_marked_by_the_late_save_that_closes(
    app: Flask, world: QuizWorld, learner: User
) -> None:
    """The page's closing autosave (in the grace period) and its late "Next" overlap: the
    autosave commits while "Next" waits for the row lock; "Next" then finds the time up and
    submits, marking the answer the autosave stored, not the page as it first loaded it."""
    republish(world, time_limit=10)
    attempt = start(learner, at=NOW)
    deadline = NOW + timedelta(minutes=10)
    page = pages_of(attempt)[0]  # "Next" has loaded its page when the autosave commits

    with app.app_context():
        save(loaded(attempt.id), {"q1": "1"}, at=deadline + timedelta(seconds=29))
        db.session.remove()
    with pytest.raises(AttemptClosed):
        attempts.save_answers(
            attempt,
            page,
            form({"q1": "1"}),
            now=deadline + timedelta(seconds=31),
            grace=app_grace(),
        )
    db.session.commit()

    first = response_rows(attempt.id)[0]
    assert first.answer == {"choice": 0}
    assert (first.points, first.outcome) == (1.0, "correct")
    assert (attempt.auto_submitted, attempt.score) == (True, 1.0)


def test_two_saves_at_once_both_land_and_one_answer_stays(app: Flask, learner: User) -> None:
    """Two tabs saving the same question together queue up; the answer is one of the two sent."""
    attempt = start(learner)

    outcomes = race(app, saver(attempt.id, {"q1": "1"}), saver(attempt.id, {"q1": "2"}))

    assert errors(outcomes) == []
    assert saved_answers(attempt.id)[1] in ({"choice": 0}, {"choice": 1})
    db.session.expire_all()
    assert attempt.state is AttemptState.IN_PROGRESS


# Starting twice at once ------------------------------------------------------------------------


def starter(user_id: int, seed: int) -> Contender:
    """ "Start" as the route does it: on IntegrityError, roll back and resume the other attempt."""

    def prepare() -> Callable[[], object]:
        user = db.session.get(User, user_id)
        assert user is not None
        status = status_of(user)

        def start_or_resume() -> object:
            try:
                attempt = attempts.start_attempt(user, status, now=NOW, seed=seed)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                resumed = status_of(user).in_progress
                assert resumed is not None
                return ("resumed", resumed.id)
            return ("started", attempt.id)

        return start_or_resume

    return prepare


def test_two_starts_at_once_make_one_attempt(app: Flask, learner: User) -> None:
    """Two "Start" clicks together: the unique index lets one attempt in; the other resumes it."""
    outcomes = race(app, starter(learner.id, 1), starter(learner.id, 2))

    assert errors(outcomes) == []
    results = dict(cast(tuple[str, int], o.value) for o in outcomes)
    assert sorted(results) == ["resumed", "started"]
    assert results["resumed"] == results["started"]
    count = select(func.count()).select_from(Attempt).where(Attempt.user_id == learner.id)
    assert db.session.scalar(count) == 1
    assert len(response_rows(results["started"])) == 6  # the loser left no responses behind
