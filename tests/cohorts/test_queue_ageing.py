"""Assessors' and moderators' queues by age: how many items wait under 2 days, 2 to 5 days and
5 days or more, and the oldest, per module, counted by the database from the same statements
as the queue pages (so only what that person may act on is counted)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.extensions import db
from lms.marking import ageing, appeals, marking_queue
from lms.marking.ageing import AgedRow
from lms.marking.models import JudgementStatus
from tests.cohorts.dashboard_steps import (
    NOW,
    hold_the_clock,
    module_id,
    person,
    submit_in_beta,
    table_rows,
    two_module_world,
    words,
)
from tests.conftest import UserFactory
from tests.marking.conftest import assessor, moderator
from tests.marking.marking_steps import NYC, C, as_user, finalise, new_learner, submit_summative
from tests.marking.steps_marking import (
    DAY,
    HOUR,
    LO1,
    LO2,
    judgement_on,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    sampling_switched_off,  # noqa: F401 - the `no_sampling` fixture
)
from tests.quiz_files import QuizWorld

__all__ = ["assessor", "moderator"]

MINUTE = timedelta(minutes=1)


@pytest.fixture(name="world")
def programme(app: Flask, tmp_path: Path) -> QuizWorld:
    return two_module_world(app, tmp_path / "programme")


@pytest.fixture
def marks_both(assessor: User) -> User:
    """The assessor marks B2 as well as A1."""
    beta = db.session.get(Module, module_id("B2"))
    assert beta is not None
    marking_queue.set_module_assessors(beta, [assessor], actor=assessor)
    db.session.commit()
    return assessor


def submitted_a1(world: QuizWorld, make_user: UserFactory, *ages: timedelta) -> list[int]:
    """One new learner per age, each submitting A1's summative that long before NOW."""
    return [submit_summative(new_learner(world, make_user), at=NOW - age).id for age in ages]


def row(found: ageing.Ageing, code: str) -> AgedRow:
    return next(r for r in found.rows if r.module_code == code)


def test_the_marking_queue_is_counted_by_age_since_submission(
    world: QuizWorld, make_user: UserFactory, assessor: User
) -> None:
    """Ages at the edges fall as the queue's "waiting at least N days" filter puts them."""
    submitted_a1(
        world,
        make_user,
        HOUR,
        2 * DAY - MINUTE,  # under 2 days
        2 * DAY,  # 2 days exactly: 2 to 5
        3 * DAY,
        5 * DAY - MINUTE,
        5 * DAY,  # 5 days exactly: 5 days or more
        9 * DAY,
    )

    found = ageing.marking_ageing(assessor, now=NOW)

    assert [r.module_code for r in found.rows] == ["A1"]
    assert row(found, "A1").counts == (2, 3, 2)
    assert row(found, "A1").oldest == NOW - 9 * DAY
    assert (found.total, found.counts, found.oldest) == (7, (2, 3, 2), NOW - 9 * DAY)
    # The oldest bucket is exactly what the queue lists when filtered to 5 days or more.
    five_days = marking_queue.queue_query(
        assessor, marking_queue.QueueFilter(waiting_days=5), now=NOW
    )
    assert len(db.session.scalars(five_days).all()) == 2


def test_each_module_is_counted_apart_and_marked_work_leaves_the_queue(
    world: QuizWorld, make_user: UserFactory, marks_both: User, no_sampling: None, in_request: None
) -> None:
    """Two modules, two rows; a finalised marking is no longer waiting."""
    learners = [new_learner(world, make_user) for _ in range(3)]
    done = submit_summative(learners[0], at=NOW - 6 * DAY)
    submit_summative(learners[1], at=NOW - 3 * DAY)
    submit_in_beta(learners[0], at=NOW - HOUR)
    submit_in_beta(learners[2], at=NOW - 7 * DAY)
    finalise(marks_both, done, {LO1: C, LO2: C})

    found = ageing.marking_ageing(marks_both, now=NOW)

    assert [(r.module_code, r.counts, r.oldest) for r in found.rows] == [
        ("A1", (0, 1, 0), NOW - 3 * DAY),
        ("B2", (1, 0, 1), NOW - 7 * DAY),
    ]


def test_an_assessor_counts_only_work_they_may_mark(
    world: QuizWorld, make_user: UserFactory, assessor: User
) -> None:
    """B2 is not theirs; an assessor of no module has nothing waiting."""
    submit_in_beta(new_learner(world, make_user), at=NOW - DAY)
    submitted_a1(world, make_user, DAY)

    assert [(r.module_code, r.counts) for r in ageing.marking_ageing(assessor, now=NOW).rows] == [
        ("A1", (1, 0, 0))
    ]
    assert ageing.marking_ageing(person(make_user, Role.ASSESSOR), now=NOW).rows == []


def test_the_assessor_dashboard_shows_the_ages_as_bars_with_numbers(
    app: Flask,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Numbers beside every bar, a row per module linking to its queue, the oldest's date."""
    submitted_a1(world, make_user, HOUR, 3 * DAY, 6 * DAY, 8 * DAY)
    hold_the_clock(monkeypatch, NOW)

    response = as_user(app, assessor).get("/dashboard/assessor")

    assert response.status_code == 200
    page = words(response)
    assert (
        "4 assessments are waiting for marking; the oldest was submitted 23 Nov 2026 11:00" in page
    )
    assert "Under 2 days 1 2 to 5 days 1 5 days or more 2" in page
    html = response.get_data(as_text=True)
    assert html.count('<svg class="hbar') == 3 + 1  # the three ages, and A1's total
    assert f'href="/marking/?module={module_id("A1")}"' in html
    assert '<a href="/marking/?waiting=5">The 2 waiting 5 days or more</a>' in html
    rows = table_rows(response, "queue-modules-caption")
    assert rows["A1 A module"] == "A1 A module 4 1 1 2 23 Nov 2026 11:00"


def sampled_at(learner: User, assessor: User, at: datetime) -> None:
    """The learner's A1 summative judged at `at`: its first judgements are all sampled."""
    finalise(assessor, submit_summative(learner, at=at), {LO1: C, LO2: C}, at=at)


def test_the_sample_is_counted_by_age_since_the_judgement(
    world: QuizWorld, make_user: UserFactory, assessor: User, moderator: User
) -> None:
    """Each judgement waiting in the sample counts; a moderator never counts their own."""
    sampled_at(new_learner(world, make_user), assessor, NOW - HOUR)
    sampled_at(new_learner(world, make_user), assessor, NOW - 3 * DAY)
    sampled_at(new_learner(world, make_user), assessor, NOW - 10 * DAY)

    found = ageing.sample_ageing(moderator, now=NOW)

    assert [(r.module_code, r.counts, r.oldest) for r in found.rows] == [
        ("A1", (2, 2, 2), NOW - 10 * DAY)
    ]
    both = person(make_user, Role.ASSESSOR, Role.MODERATOR, full_name="Both Roles")
    assert ageing.sample_ageing(both, now=NOW).total == 6
    assert ageing.sample_ageing(assessor, now=NOW).total == 0  # their own judgements


def test_open_appeals_are_counted_by_age_since_lodged(
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    moderator: User,
    no_sampling: None,
    in_request: None,
) -> None:
    """Open appeals by age; a decided one no longer waits."""
    lodged = []
    for age in (HOUR, 6 * DAY, 7 * DAY):
        learner = new_learner(world, make_user)
        attempt = submit_summative(learner, at=NOW - 8 * DAY)
        finalise(assessor, attempt, {LO1: C, LO2: NYC}, at=NOW - 8 * DAY)
        judgement = judgement_on(attempt, LO2)
        assert judgement.status is JudgementStatus.FINAL
        lodged.append(appeals.lodge(judgement, learner, "I named it.", now=NOW - age))
        db.session.commit()
    appeals.decide(lodged[2], moderator, upheld=False, reason="It is not named.", now=NOW)
    db.session.commit()

    found = ageing.appeal_ageing(moderator, now=NOW)

    assert [(r.module_code, r.counts, r.oldest) for r in found.rows] == [
        ("A1", (1, 0, 1), NOW - 6 * DAY)
    ]


def test_the_moderator_dashboard_shows_sample_and_appeals_by_age(
    app: Flask,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    moderator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Totals in words, each age with its number, a table per module; no appeals, no table."""
    sampled_at(new_learner(world, make_user), assessor, NOW - HOUR)
    sampled_at(new_learner(world, make_user), assessor, NOW - 6 * DAY)
    hold_the_clock(monkeypatch, NOW)

    response = as_user(app, moderator).get("/dashboard/moderator")

    assert response.status_code == 200
    page = words(response)
    assert "4 judgements wait for your check." in page
    assert "Waiting since the assessor's decision Waiting for How many Under 2 days 2 " in page
    assert "2 to 5 days 0 5 days or more 2" in page
    assert "0 open appeals." in page
    rows = table_rows(response, "sample-modules-caption")
    assert rows["A1 A module"] == "A1 A module 4 2 0 2 25 Nov 2026 11:00"
    assert 'id="appeals-modules-caption"' not in response.get_data(as_text=True)
