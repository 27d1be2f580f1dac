"""Saving answers as the learner goes: what is stored, what counts as a change, what is refused,
and why a submitted answer can never change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.assessments import attempts
from lms.assessments.attempts import AnswersRejected
from lms.assessments.models import AttemptClosed, Response, ResponseIsFinal
from lms.assessments.question_types import MAX_TEXT_ANSWER
from lms.auth.models import User
from lms.extensions import db
from tests.assessments.attempt_steps import (
    NOW,
    Answers,
    app_grace,
    form,
    learner_factory,  # noqa: F401 - the `make_learner` fixture
    learner_with_lessons_done,  # noqa: F401 - the `learner` fixture
    published_world,  # noqa: F401 - the `world` fixture
    response_at,
    right_answers,
    save,
    saved_answers,
    start,
    submit,
)

LATER = NOW + timedelta(minutes=3)
NOTHING_SAVED = dict.fromkeys(range(1, 7))


def test_answers_are_stored_in_the_shape_of_their_question_type(learner: User) -> None:
    """Each type keeps the learner's answer as documented: indexes into the question's own list."""
    attempt = start(learner)

    assert save(attempt, right_answers(attempt), at=LATER) == 6

    assert saved_answers(attempt.id) == {
        1: {"choice": 0},
        2: {"choices": [0, 1]},
        3: {"value": True},
        4: {"text": "Verification"},
        5: {"text": "84"},
        6: {"matches": {"0": 0, "1": 1, "2": 2}},
    }
    assert all(r.saved_at == LATER for r in attempt.responses)
    assert attempt.last_saved_at == LATER


def test_a_shown_position_is_stored_as_the_choice_it_showed(learner: User) -> None:
    """Forms send shown positions; the stored answer is the choice shown there, not the number."""
    attempt = start(learner)
    matching = response_at(attempt, 6)  # shown: average (2), phone (0), queue (1)

    save(attempt, {"q6-0": "1", "q6-1": "3"}, responses=[matching])

    assert saved_answers(attempt.id)[6] == {"matches": {"0": 2, "1": 1}}


def test_only_answers_that_changed_are_counted_and_stamped(learner: User) -> None:
    """Saving the same answer again is not a change and keeps its time; a new one is."""
    attempt = start(learner)
    save(attempt, {"q1": "1", "q4": "checking"}, at=NOW)

    changed = save(attempt, {"q1": "1", "q4": "verification", "q5": "84"}, at=LATER)

    assert changed == 2
    stamps = {r.position: r.saved_at for r in attempt.responses}
    assert (stamps[1], stamps[4], stamps[5]) == (NOW, LATER, LATER)
    assert stamps[2] is None
    assert attempt.last_saved_at == LATER


def test_clearing_an_answer_is_a_change(learner: User) -> None:
    """An answer taken back (the field sent empty) is stored as no answer and counted."""
    attempt = start(learner)
    save(attempt, {"q4": "verification"})

    assert save(attempt, {"q4": ""}, at=LATER) == 1

    assert saved_answers(attempt.id)[4] is None


def test_a_save_reads_only_the_questions_of_its_page(learner: User) -> None:
    """Values sent for questions on other pages are ignored; only the page's are stored."""
    attempt = start(learner)

    changed = save(attempt, {"q1": "1", "q3": "true"}, responses=[response_at(attempt, 3)])

    assert changed == 1
    assert saved_answers(attempt.id) == {**NOTHING_SAVED, 3: {"value": True}}


def test_the_page_the_learner_moves_to_is_stored(learner: User) -> None:
    """A save that names a page stores it, so "Continue" reopens it; one without keeps it."""
    attempt = start(learner)

    save(attempt, {"q1": "1"}, page=4)
    assert attempt.page == 4
    save(attempt, {"q1": "2"})

    db.session.expire_all()
    assert attempt.page == 4


FORGERIES: dict[str, Answers] = {
    "choice-out-of-range": {"q1": "4"},
    "choice-zero": {"q1": "0"},
    "choice-not-a-number": {"q1": "blue"},
    "two-choices-for-one": {"q1": ["1", "2"]},
    "many-with-a-bad-one": {"q2": ["1", "9"]},
    "true-false-neither": {"q3": "maybe"},
    "two-short-answers": {"q4": ["a", "b"]},
    "overlong-text": {"q5": "8" * (MAX_TEXT_ANSWER + 1)},
    "match-out-of-range": {"q6-0": "7"},
}


@pytest.mark.parametrize("forged", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_value_rejects_the_whole_page_and_saves_nothing(
    learner: User, forged: Answers
) -> None:
    """A value no honest form sends raises AnswersRejected; the page's good answers are not kept."""
    attempt = start(learner)
    honest = {"q1": "1", "q2": ["1"], "q3": "true", "q4": "verification", "q5": "84"}

    with pytest.raises(AnswersRejected) as rejected:
        attempts.save_answers(
            attempt,
            attempt.responses,
            form({**honest, **forged}),
            now=LATER,
            grace=app_grace(),
            page=2,
        )
    db.session.commit()  # whatever the service left in the session is written now

    forged_position = int(next(iter(forged))[1])
    assert [p.response_id for p in rejected.value.problems] == [
        response_at(attempt, forged_position).id
    ]
    assert saved_answers(attempt.id) == NOTHING_SAVED
    assert (attempt.page, attempt.last_saved_at) == (1, None)


def test_every_forged_value_on_a_page_is_reported(learner: User) -> None:
    """All the page's problems are collected, one per question, each with a message."""
    attempt = start(learner)

    with pytest.raises(AnswersRejected) as rejected:
        save(attempt, {"q1": "9", "q3": "yes", "q4": "fine"})

    problems = rejected.value.problems
    assert [p.response_id for p in problems] == [response_at(attempt, n).id for n in (1, 3)]
    assert problems[0].message == "the answer sent is not one of the choices"
    assert problems[1].message == "the answer must be True or False"


def test_saving_after_submission_is_refused_and_changes_nothing(learner: User) -> None:
    """Once submitted, a save raises AttemptClosed and the submitted answers stay as they were."""
    attempt = start(learner)
    save(attempt, {"q1": "2", "q4": "checking"})
    submit(attempt, at=LATER)
    before = saved_answers(attempt.id)

    with pytest.raises(AttemptClosed):
        save(attempt, right_answers(attempt), at=LATER + timedelta(seconds=1), page=3)
    db.session.commit()

    assert saved_answers(attempt.id) == before
    assert (attempt.page, attempt.last_saved_at) == (1, NOW)


def test_a_second_tab_cannot_save_into_an_attempt_submitted_in_the_first(
    learner: User,
) -> None:
    """A page loaded before submission (another tab) is refused on save: the row is re-read."""
    attempt = start(learner)
    stale_tab = attempt.responses  # the other tab loaded its page before the submission

    submit(attempt, at=LATER)
    db.session.expire_all()
    with pytest.raises(AttemptClosed):
        attempts.save_answers(attempt, stale_tab, form({"q1": "1"}), now=LATER, grace=app_grace())
    db.session.commit()

    assert saved_answers(attempt.id) == NOTHING_SAVED


def test_the_database_row_refuses_a_changed_answer_after_submission(learner: User) -> None:
    """Even written directly, a submitted attempt's answer cannot change: ResponseIsFinal."""
    attempt = start(learner)
    save(attempt, {"q1": "2"})
    submit(attempt, at=LATER)
    response = response_at(attempt, 1)

    response.answer = {"choice": 0}
    with pytest.raises(ResponseIsFinal):
        db.session.flush()
    db.session.rollback()

    assert saved_answers(attempt.id)[1] == {"choice": 1}


def test_marks_may_still_be_added_to_a_submitted_answer(learner: User) -> None:
    """The guard is on the answer only: points and feedback can be set after submission."""
    attempt = start(learner)
    save(attempt, {"q1": "2"})
    submit(attempt, at=LATER)
    response = response_at(attempt, 1)

    response.points, response.feedback = 1.0, ["Accepted on review."]
    db.session.commit()

    row = db.session.scalar(select(Response).where(Response.id == response.id))
    assert row is not None
    assert (row.points, row.feedback, row.answer) == (1.0, ["Accepted on review."], {"choice": 1})


def test_an_answer_may_change_while_the_attempt_is_in_progress(learner: User) -> None:
    """The guard lets an attempt in progress change its answers, directly or by saving."""
    attempt = start(learner)
    save(attempt, {"q1": "2"})

    response_at(attempt, 1).answer = {"choice": 0}
    db.session.commit()

    assert saved_answers(attempt.id)[1] == {"choice": 0}
