"""The learner's dashboard: each module's progress, stage, due date and days left (overdue in
words, not colour alone), the next step, the latest feedback they may see, and what a
self-paced or withdrawn learner is told instead. The dashboard's clock is held at NOW
(1 December 2026, 11:00 in Johannesburg)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.cohorts.plan import learner_plan
from lms.extensions import db
from lms.learning import services as learning
from lms.marking import moderation
from lms.marking.models import ReviewVerdict
from tests.assessments.attempt_steps import pass_knowledge_check
from tests.cohorts.dashboard_steps import (
    NOW,
    enrol,
    hold_the_clock,
    make_cohort,
    module_cards,
    person,
    progress_bar,
    section,
    words,
)
from tests.conftest import UserFactory
from tests.marking.conftest import assessor, moderator
from tests.marking.marking_steps import (
    NYC,
    C,
    as_user,
    finalise,
    judgements_of,
    marking_world,
    submit_summative,
)
from tests.marking.steps_marking import (
    DAY,
    HOUR,
    LO1,
    LO2,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    sampling_switched_off,  # noqa: F401 - the `no_sampling` fixture
)
from tests.quiz_files import QuizWorld, finish_lessons

__all__ = ["assessor", "moderator"]

A1_CARD = "/learn/alpha"
START = date(2026, 11, 25)  # a Wednesday; day 5 is Sunday 29 November


@pytest.fixture(name="world")
def a1_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Module A1 ("alpha"): three lessons, a knowledge check and a two-essay summative."""
    return marking_world(app, tmp_path / "programme")


@pytest.fixture
def trainer(app_context: None, make_user: UserFactory) -> User:
    return person(make_user, Role.TRAINER, full_name="Sipho Ndlovu")


@pytest.fixture
def learner(app_context: None, world: QuizWorld, make_user: UserFactory) -> User:
    return person(make_user, Role.LEARNER, full_name="Thandi Mokoena")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_the_clock(monkeypatch, NOW)


def ready_for_the_summative(world: QuizWorld, learner: User) -> None:
    finish_lessons(world.app, learner, now=NOW - 2 * DAY)
    pass_knowledge_check(learner)


@pytest.mark.parametrize(
    ("due_day", "due_date", "shown"),
    [
        (5, "Sun 29 Nov 2026", "Overdue by 2 days"),
        (6, "Mon 30 Nov 2026", "Overdue by 1 day"),
        (7, "Tue 01 Dec 2026", "Due today"),
        (8, "Wed 02 Dec 2026", "Due tomorrow"),
        (10, "Fri 04 Dec 2026", "3 days left"),
    ],
)
def test_in_a_cohort_each_module_shows_its_due_date_and_days_left(
    app: Flask,
    world: QuizWorld,
    trainer: User,
    learner: User,
    clock: None,
    due_day: int,
    due_date: str,
    shown: str,
) -> None:
    """The cohort's due date of the module, and the days left counted in local days."""
    cohort = make_cohort(trainer, "November intake", START, {"A1": due_day})
    enrol(cohort, trainer, learner)

    response = as_user(app, learner).get("/dashboard/learner")

    assert response.status_code == 200
    page = words(response)
    assert "Your cohort: November intake · started 25 Nov 2026" in page
    card = module_cards(response)[A1_CARD]
    assert f"Due {due_date} · {shown}" in card
    html = response.get_data(as_text=True)
    overdue = shown.startswith("Overdue")
    # Overdue is said in words and marked for the eye; on time is neither.
    assert ('<strong class="due-overdue">' in html) is overdue
    assert ('class="card module-card module-overdue"' in html) is overdue


def test_the_card_shows_progress_stage_and_a_link_to_the_next_lesson(
    app: Flask, world: QuizWorld, trainer: User, learner: User, clock: None
) -> None:
    """A learner who has read nothing: a bar at 0 % with its figure, and lesson 1 to read."""
    enrol(make_cohort(trainer, "November intake", START, {"A1": 10}), trainer, learner)

    response = as_user(app, learner).get("/dashboard/learner")

    assert progress_bar(response, "progress-alpha") == 0
    html = response.get_data(as_text=True)
    assert 'aria-label="A module: 0% complete"' in html
    assert '<span class="progress-figure">0%</span>' in html
    card = module_cards(response)[A1_CARD]
    assert "Stage Not started" in card
    assert "Next step Read lesson 1: First steps" in card
    assert '<a href="/learn/alpha/first-steps">Read lesson 1: First steps</a>' in html


def test_a_complete_module_is_not_overdue(
    app: Flask,
    world: QuizWorld,
    trainer: User,
    learner: User,
    assessor: User,
    clock: None,
    no_sampling: None,
    in_request: None,
) -> None:
    """Competent in every outcome: the due date stands, marked complete; nothing is next."""
    enrol(make_cohort(trainer, "November intake", START, {"A1": 5}), trainer, learner)
    ready_for_the_summative(world, learner)
    finalise(assessor, submit_summative(learner, at=NOW - 4 * DAY), {LO1: C, LO2: C})

    response = as_user(app, learner).get("/dashboard/learner")

    card = module_cards(response)[A1_CARD]
    assert "Due Sun 29 Nov 2026 · Complete" in card
    assert "Overdue" not in card
    assert "Stage Certified" in card and "Next step Done" in card  # the certificate followed
    assert progress_bar(response, "progress-alpha") == 100


def test_a_self_paced_learner_sees_no_due_dates(
    app: Flask, world: QuizWorld, learner: User, clock: None
) -> None:
    """A learner never in a cohort studies at their own pace: no cohort line, no due dates."""
    response = as_user(app, learner).get("/dashboard/learner")

    page = words(response)
    assert "You study at your own pace: your modules have no due dates." in page
    assert "Your cohort" not in page
    card = module_cards(response)[A1_CARD]
    assert "Due" not in card and "days left" not in card
    assert "Next step Read lesson 1: First steps" in card


def test_a_withdrawn_learner_is_told_why_there_is_nothing_to_study(
    app: Flask, world: QuizWorld, trainer: User, learner: User, clock: None
) -> None:
    """Withdrawn from the cohort: no modules, a short explanation, records kept."""
    (membership,) = enrol(
        make_cohort(trainer, "November intake", START, {"A1": 5}), trainer, learner
    )
    cohorts.withdraw(membership, actor=trainer, now=NOW - DAY, note="Left the company.")
    db.session.commit()

    response = as_user(app, learner).get("/dashboard/learner")

    assert response.status_code == 200
    assert section(response, "left-heading") == (
        "You are not in a training cohort You left November intake on 30 Nov 2026, so there "
        "are no modules for you to study now. Everything you did is kept, and your "
        "certificates stay yours. If you should still be training, ask your trainer or HR to "
        "enrol you in a cohort."
    )
    assert module_cards(response) == {}
    assert "Overdue" not in words(response)
    assert "Left the company." not in words(response)  # the trainer's note is not for them


def test_latest_feedback_shows_a_released_decision_and_hides_one_waiting_for_moderation(
    app: Flask,
    world: QuizWorld,
    learner: User,
    assessor: User,
    moderator: User,
    clock: None,
    in_request: None,
) -> None:
    """Both judgements wait in the sample: no feedback. The moderator confirms LO2's Not Yet
    Competent: it shows with the assessor's comment; LO1, still in the sample, does not."""
    ready_for_the_summative(world, learner)
    attempt = submit_summative(learner, at=NOW - DAY)
    finalise(assessor, attempt, {LO1: C, LO2: NYC}, at=NOW - DAY)

    waiting = as_user(app, learner).get("/dashboard/learner")

    assert section(waiting, "feedback-heading") == (
        "Latest feedback No feedback yet: it appears here once an assessor has judged your "
        "assessment."
    )
    assert "Next step Waiting for marking" in module_cards(waiting)[A1_CARD]

    lo2 = next(j for j in judgements_of(attempt) if j.outcome.code == LO2)
    moderation.review(lo2, moderator, ReviewVerdict.CONFIRMED, "", now=NOW - HOUR)
    db.session.commit()

    shown = section(as_user(app, learner).get("/dashboard/learner"), "feedback-heading")

    assert shown == (
        "Latest feedback A module · 01 Dec 2026 10:00 A1-LO2 : Not Yet Competent "
        "“Name the ACD and say what it does.” Read all the feedback on A module"
    )
    assert LO1 not in shown


def test_the_next_step_follows_the_learner_through_the_module(
    world: QuizWorld,
    learner: User,
    assessor: User,
    no_sampling: None,
    in_request: None,
) -> None:
    """Read, take the check, submit, wait, resubmit after Not Yet Competent, done."""

    def step() -> str:
        db.session.expire_all()
        modules = learning.progress_in(learner, learning.enrolled_modules(learner))
        (entry,) = learner_plan(learner, modules, now=NOW).entries
        return entry.next_step.text

    assert step() == "Read lesson 1: First steps"
    finish_lessons(world.app, learner, now=NOW - 2 * DAY)
    assert step() == "Take the knowledge check"
    pass_knowledge_check(learner)
    assert step() == "Submit the assessment"
    attempt = submit_summative(learner)
    assert step() == "Waiting for marking"
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    assert step() == "Read the feedback and resubmit"
    finalise(assessor, submit_summative(learner, at=NOW + HOUR), {LO2: C}, at=NOW + HOUR)
    assert step() == "Done"


def test_the_next_step_links_to_the_quiz_or_the_record(
    app: Flask, world: QuizWorld, learner: User, clock: None
) -> None:
    """Each step with somewhere to go is a link there."""
    finish_lessons(world.app, learner, now=NOW - 2 * DAY)

    html = as_user(app, learner).get("/dashboard/learner").get_data(as_text=True)

    link = re.search(r'<a href="([^"]+)">Take the knowledge check</a>', html)
    assert link and link.group(1) == "/quizzes/alpha/knowledge-check"
