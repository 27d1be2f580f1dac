"""Starting an attempt: what it fixes and stores, resuming, numbering, and who may not start."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from lms.assessments.attempts import CannotStart
from lms.assessments.models import Attempt, AttemptState, Question, Response
from lms.assessments.services import knowledge_check_passed
from lms.auth.models import User
from lms.content.models import Module
from lms.extensions import db
from tests.assessments.attempt_steps import (
    NOW,
    SUMMATIVE,
    LearnerFactory,
    add_summative,
    attempt_count,
    learner_factory,  # noqa: F401 - the `make_learner` fixture
    learner_with_lessons_done,  # noqa: F401 - the `learner` fixture
    pass_knowledge_check,
    published_world,  # noqa: F401 - the `world` fixture
    republish,
    response_at,
    save,
    start,
    status_of,
    submit,
    take,
)
from tests.quiz_files import KNOWLEDGE_CHECK_GIFT, QuizWorld, attempts_of, current_revision

WRITTEN = ["pick-one", "pick-many", "true-false", "short", "number", "match"]
ONE_RIGHT = {"q1": "1"}  # 1 of 6: 16.67 %, below any pass mark used here


def layout(attempt: Attempt) -> list[tuple[str, list[int]]]:
    """Each response's question name and stored choice order, in the attempt's order."""
    return [(r.question.name or "", list(r.choice_order)) for r in attempt.responses]


def reloaded_layout(app: Flask, attempt_id: int) -> list[tuple[str, list[int]]]:
    """The attempt's layout as another request (a reload, another device) reads it."""
    with app.app_context():
        query = select(Response).where(Response.attempt_id == attempt_id)
        responses = db.session.scalars(query.order_by(Response.position)).all()
        found = [(r.question.name or "", list(r.choice_order)) for r in responses]
        db.session.remove()
    return found


# What a new attempt fixes ----------------------------------------------------------------------


def test_a_new_attempt_stores_its_questions_in_written_order(learner: User) -> None:
    """Unshuffled, an attempt asks every question in the order written, one response each."""
    attempt = start(learner)

    assert [name for name, _ in layout(attempt)] == WRITTEN
    assert [r.position for r in attempt.responses] == [1, 2, 3, 4, 5, 6]
    assert all(r.answer is None and r.max_points == 1.0 for r in attempt.responses)
    assert (attempt.number, attempt.state, attempt.started_at) == (1, AttemptState.IN_PROGRESS, NOW)
    assert attempt.revision_id == current_revision().id
    assert attempt.deadline is None
    assert attempt.page == 1


def test_the_order_is_reproducible_from_the_seed_and_the_same_on_reload(
    app: Flask, world: QuizWorld, make_learner: LearnerFactory
) -> None:
    """Questions and choices shuffled with one seed come out alike, and a reload shows them."""
    republish(world, shuffle_questions=True, shuffle_answers=True)
    first, second = make_learner(), make_learner()

    one = start(first, seed=2026)
    other = start(second, seed=2026)

    assert layout(one) == layout(other)
    assert reloaded_layout(app, one.id) == layout(one)
    assert sorted(name for name, _ in layout(one)) == sorted(WRITTEN)


def test_shuffle_questions_gives_attempts_their_own_order(world: QuizWorld, learner: User) -> None:
    """With `shuffle_questions`, attempts started with different seeds differ in order."""
    republish(world, shuffle_questions=True, pass_mark=100)
    orders = []
    for seed in range(8):
        attempt = start(learner, seed=seed)
        orders.append(tuple(name for name, _ in layout(attempt)))
        submit(attempt)

    assert len(set(orders)) > 1
    assert all(sorted(order) == sorted(WRITTEN) for order in orders)


def test_without_shuffle_questions_every_attempt_keeps_the_written_order(
    learner: User,
) -> None:
    """Whatever the seed, an unshuffled quiz asks its questions as written."""
    for seed in (1, 2, 3):
        attempt = start(learner, seed=seed)
        assert [name for name, _ in layout(attempt)] == WRITTEN
        submit(attempt)


def test_draw_asks_that_many_questions_of_the_pool(world: QuizWorld, learner: User) -> None:
    """`draw: 3` gives an attempt three different questions of the file's six."""
    republish(world, draw=3, pass_mark=100)
    pool = set(WRITTEN)
    drawn = []
    for seed in range(6):
        attempt = start(learner, seed=seed)
        names = [name for name, _ in layout(attempt)]
        assert len(names) == len(set(names)) == 3
        assert set(names) <= pool
        assert [r.position for r in attempt.responses] == [1, 2, 3]
        drawn.append(frozenset(names))
        submit(attempt)

    assert len(set(drawn)) > 1


def test_unshuffled_choices_keep_the_written_order_except_matching(learner: User) -> None:
    """Without `shuffle_answers`, choices are as written; matching answers are sorted A-Z."""
    attempt = start(learner)

    orders = dict(layout(attempt))
    assert orders["pick-one"] == orders["pick-many"] == [0, 1, 2]
    assert orders["true-false"] == orders["short"] == orders["number"] == []
    # the phone menu, the queue's router, the average handle time → average, phone, queue
    assert orders["match"] == [2, 0, 1]


def test_unshuffled_matching_answers_never_line_up_with_their_prompts(learner: User) -> None:
    """Sorted matching answers are shown in alphabetical order, not in the order written."""
    attempt = start(learner)
    match = next(r for r in attempt.responses if r.question.name == "match")
    answers = list(dict.fromkeys(pair["answer"] for pair in match.question.data["pairs"]))

    shown = [answers[index] for index in match.choice_order]

    assert shown == sorted(answers, key=str.casefold)
    assert shown != answers


def test_shuffled_choices_come_from_the_seed(world: QuizWorld, learner: User) -> None:
    """With `shuffle_answers`, a choice list's order is a permutation that varies by seed."""
    republish(world, shuffle_answers=True, pass_mark=100)
    orders = []
    for seed in range(8):
        attempt = start(learner, seed=seed)
        orders.append(tuple(dict(layout(attempt))["pick-many"]))
        submit(attempt)

    assert all(sorted(order) == [0, 1, 2] for order in orders)
    assert len(set(orders)) > 1


# Resuming and numbering ------------------------------------------------------------------------


def test_starting_again_resumes_the_attempt_in_progress(learner: User) -> None:
    """A second "Start" while an attempt is in progress returns it; no second row is made."""
    first = start(learner, seed=1)

    again = start(learner, seed=99)

    assert again.id == first.id
    assert attempt_count(learner) == 1


def test_attempt_numbers_count_up_for_each_new_attempt(learner: User) -> None:
    """Each new attempt at a quiz gets the next number."""
    take(learner, ONE_RIGHT)
    take(learner, ONE_RIGHT)

    third = start(learner)

    assert [a.number for a in attempts_of(learner)] == [1, 2, 3]
    assert third.number == 3


def test_attempt_numbers_are_counted_per_learner(make_learner: LearnerFactory) -> None:
    """Another learner's attempts do not move a learner's numbering."""
    first, second = make_learner(), make_learner()
    take(first, ONE_RIGHT)

    assert start(second).number == 1


# Who may not start ----------------------------------------------------------------------------


def test_no_attempt_starts_once_the_attempts_allowed_are_used(
    world: QuizWorld, learner: User
) -> None:
    """With `attempts: 2`, two failed attempts leave none; a third start is refused."""
    republish(world, attempts=2)
    take(learner, ONE_RIGHT)
    assert status_of(learner).attempts_left == 1
    take(learner, ONE_RIGHT)

    status = status_of(learner)
    assert (status.attempts_left, status.can_start) == (0, False)
    with pytest.raises(CannotStart, match="used every attempt"):
        start(learner)
    assert attempt_count(learner) == 2


def test_no_attempt_starts_once_the_quiz_is_passed(learner: User) -> None:
    """A passed quiz is not taken again, however many attempts are left."""
    pass_knowledge_check(learner)

    assert status_of(learner).can_start is False
    with pytest.raises(CannotStart, match="You have passed"):
        start(learner)
    assert attempt_count(learner) == 1


def test_no_attempt_starts_before_the_lessons_are_done(make_learner: LearnerFactory) -> None:
    """The knowledge check stays shut until every lesson of the module is done."""
    newcomer = make_learner(lessons_done=False)

    assert status_of(newcomer).blocked_by == "Finish the module's lessons first."
    with pytest.raises(CannotStart, match="Finish the module's lessons first"):
        start(newcomer)
    assert attempt_count(newcomer) == 0


def test_the_summative_opens_only_once_the_knowledge_check_is_passed(
    world: QuizWorld, learner: User
) -> None:
    """Before the knowledge check is passed the summative refuses to start; after, it starts."""
    add_summative(world)
    module_id = db.session.scalar(select(Module.id).where(Module.code == "A1"))
    assert module_id is not None
    take(learner, ONE_RIGHT)  # a failed knowledge check opens nothing

    assert knowledge_check_passed(learner, module_id) is False
    with pytest.raises(CannotStart, match="Pass the module's knowledge check first"):
        start(learner, SUMMATIVE)

    pass_knowledge_check(learner)
    assert knowledge_check_passed(learner, module_id) is True
    summative = start(learner, SUMMATIVE)
    assert summative.quiz.slug == SUMMATIVE
    assert [r.question.name for r in summative.responses] == ["explain", "conduct"]


def test_no_attempt_starts_while_one_awaits_marking(world: QuizWorld, learner: User) -> None:
    """A summative waiting for an assessor cannot be started again until it is marked."""
    add_summative(world, attempts=3)
    pass_knowledge_check(learner)
    essay = start(learner, SUMMATIVE)
    save(essay, {"q1": "The IVR, then the ACD."})
    submit(essay)

    with pytest.raises(CannotStart, match="waiting for an assessor"):
        start(learner, SUMMATIVE)
    assert status_of(learner, SUMMATIVE).attempts_left == 2


# Revisions -------------------------------------------------------------------------------------


def test_a_changed_quiz_leaves_the_attempt_in_progress_on_its_revision(
    world: QuizWorld, learner: User
) -> None:
    """Publishing a changed file keeps the open attempt on its revision; the next uses the new."""
    old = start(learner)
    old_revision = old.revision_id
    world.quiz().gift = KNOWLEDGE_CHECK_GIFT.split("::match::")[0]  # the matching one removed
    republish(world)
    new_revision = current_revision()
    assert new_revision.id != old_revision
    assert new_revision.number == 2

    resumed = start(learner)
    assert resumed.id == old.id
    assert resumed.revision_id == old_revision
    assert [name for name, _ in layout(resumed)] == WRITTEN
    save(resumed, ONE_RIGHT)
    submit(resumed)

    fresh = start(learner)
    assert fresh.revision_id == new_revision.id
    assert [name for name, _ in layout(fresh)] == WRITTEN[:-1]
    old_questions = select(Question.revision_id).join(Response).where(Response.attempt_id == old.id)
    assert set(db.session.scalars(old_questions)) == {old_revision}


def test_shuffled_matching_answers_never_come_back_in_the_written_order(
    world: QuizWorld, make_learner: LearnerFactory
) -> None:
    """A shuffle that lands on the written order is moved on, so answers never line up."""
    republish(world, shuffle_answers=True)
    orders = {
        tuple(response_at(start(make_learner(), seed=seed), 6).choice_order) for seed in range(24)
    }
    assert (0, 1, 2) not in orders
    assert len(orders) > 1


def test_a_summative_without_a_knowledge_check_opens_when_the_lessons_are_done(
    world: QuizWorld, make_learner: LearnerFactory
) -> None:
    """With no knowledge check to pass, the lessons are the gate."""
    db.session.commit()
    world.quizzes = []
    add_summative(world)
    done, not_done = make_learner(), make_learner(lessons_done=False)
    assert status_of(done, "summative").blocked_by is None
    assert status_of(not_done, "summative").blocked_by == "Finish the module's lessons first."
