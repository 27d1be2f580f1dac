"""The HR dashboard: completion by cohort (learners, modules complete, overdue, floor ready) and
by module across every current learner, self-paced ones included and withdrawn ones left out,
and certificates expiring within 30, 60 and 90 days, each count a link to exactly those
certificates in the register."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import overview
from lms.cohorts import services as cohorts
from lms.cohorts.due_dates import deadline, local_day
from lms.cohorts.standing import standings
from lms.content.catalogue import current_catalogue
from lms.database import utcnow
from lms.extensions import db
from lms.learning.models import ModuleRestart
from tests.certificates.test_register_world import stored_certificate
from tests.cohorts.dashboard_steps import (
    NOW,
    competent_in_a1,
    enrol,
    hold_the_clock,
    make_cohort,
    person,
    table_rows,
    two_module_world,
    words,
)
from tests.conftest import UserFactory
from tests.marking.conftest import assessor
from tests.marking.marking_steps import NYC, C, as_user, finalise, new_learner, submit_summative
from tests.marking.steps_marking import (
    DAY,
    LO1,
    LO2,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    sampling_switched_off,  # noqa: F401 - the `no_sampling` fixture
)
from tests.quiz_files import QuizWorld

__all__ = ["assessor"]


@pytest.fixture(name="world")
def programme(app: Flask, tmp_path: Path) -> QuizWorld:
    return two_module_world(app, tmp_path / "programme")


@pytest.fixture
def trainer(app_context: None, make_user: UserFactory) -> User:
    return person(make_user, Role.TRAINER, full_name="Sipho Ndlovu")


@pytest.fixture
def hr(app_context: None, make_user: UserFactory) -> User:
    return person(make_user, Role.HR, full_name="Lerato Molefe")


@pytest.fixture(name="organisation")
def two_cohorts_and_a_self_paced_learner(
    world: QuizWorld,
    make_user: UserFactory,
    trainer: User,
    assessor: User,
    no_sampling: None,
    in_request: None,
) -> None:
    """North takes A1 (due 6 November, past) and B2 (due in January): three learners, two
    Competent in A1, one overdue in it. South takes A1 (due 12 December): one Competent, so
    floor ready, and one who has not started. A self-paced learner is Competent in A1. A
    learner withdrawn from North, Competent in A1, counts nowhere."""
    north = make_cohort(
        trainer, "North intake", date(2026, 11, 2), {"A1": 5, "B2": date(2027, 1, 15)}
    )
    south = make_cohort(trainer, "South intake", date(2026, 11, 23), {"A1": 20})
    learner = person(make_user, Role.LEARNER)
    north_c, north_late, north_c2, south_c, withdrawn, alone = (
        new_learner(world, make_user) for _ in range(6)
    )
    enrol(north, trainer, north_c, north_late, north_c2, withdrawn)
    enrol(south, trainer, south_c, learner)
    for competent in (north_c, north_c2, south_c, withdrawn, alone):
        competent_in_a1(competent, assessor, at=NOW - 3 * DAY)
    membership = cohorts.current_membership(withdrawn.id)
    assert membership is not None
    cohorts.withdraw(membership, actor=trainer, now=NOW - DAY, note="Left the company.")
    db.session.commit()


def test_completion_is_counted_by_cohort_by_module_and_in_all(organisation: None) -> None:
    """Pairs of learner and module complete, learners overdue and floor ready, as known."""
    found = overview.organisation(now=NOW)

    by_cohort = {row.cohort.name: row.figures for row in found.cohorts}
    north, south = by_cohort["North intake"], by_cohort["South intake"]
    assert (north.learners, north.pairs, north.complete, north.percent) == (3, 6, 2, 33)
    assert (north.overdue, north.floor_ready) == (1, 0)
    assert (south.learners, south.pairs, south.complete, south.percent) == (2, 2, 1, 50)
    assert (south.overdue, south.floor_ready) == (0, 1)
    alone = found.self_paced
    assert (alone.learners, alone.pairs, alone.complete, alone.overdue) == (1, 2, 1, 0)
    by_module = {row.module.code: row.figures for row in found.modules}
    a1, b2 = by_module["A1"], by_module["B2"]
    assert (a1.learners, a1.complete, a1.percent, a1.overdue) == (6, 4, 67, 1)
    assert (b2.learners, b2.complete, b2.percent, b2.overdue) == (4, 0, 0, 0)
    total = found.total
    assert (total.learners, total.pairs, total.complete, total.percent) == (6, 10, 4, 40)
    assert (total.overdue, total.floor_ready) == (1, 1)


def test_completion_agrees_with_the_learners_standings(
    app: Flask,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    in_request: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HR's count of complete modules follows `standings`: waiting in the sample, Not Yet
    Competent then Competent on resubmission, Competent then restarted, and never judged."""
    sampled = new_learner(world, make_user)
    competent_in_a1(sampled, assessor, at=NOW - 3 * DAY)  # first judgements: in the sample
    monkeypatch.setitem(app.config, "MODERATE_ALL_NOT_YET_COMPETENT", False)
    monkeypatch.setitem(app.config, "MODERATE_FIRST_JUDGEMENTS", 0)
    monkeypatch.setitem(app.config, "MODERATION_RATE_PERCENT", 0)
    resubmitted, restarted, competent, untouched = (new_learner(world, make_user) for _ in range(4))
    first = submit_summative(resubmitted, at=NOW - 3 * DAY)
    finalise(assessor, first, {LO1: C, LO2: NYC}, at=NOW - 3 * DAY)
    finalise(assessor, submit_summative(resubmitted, at=NOW - DAY), {LO2: C}, at=NOW - DAY)
    for learner in (restarted, competent):
        competent_in_a1(learner, assessor, at=NOW - 3 * DAY)
    a1 = next(m for m in current_catalogue().modules if m.code == "A1")
    db.session.add(
        ModuleRestart(learner_id=restarted.id, module_id=a1.id, restarted_at=NOW, reason="Test")
    )
    db.session.commit()
    modules = current_catalogue().modules
    learners = [sampled, resubmitted, restarted, competent, untouched]

    found = standings([learner.id for learner in learners], modules, now=NOW)

    assert overview.completed(modules) == {key for key, s in found.items() if s.complete}
    assert overview.completed(modules) == {(resubmitted.id, a1.id), (competent.id, a1.id)}


def test_a_module_becomes_overdue_after_the_end_of_its_local_day(organisation: None) -> None:
    """South's A1 is due 12 December: not overdue at 23:59 that day in Johannesburg, overdue
    a minute later (21:59 and 22:00 UTC)."""
    due = deadline(date(2026, 12, 12))

    before = overview.organisation(now=due - timedelta(minutes=1))
    after = overview.organisation(now=due)

    assert [row.figures.overdue for row in before.cohorts] == [0, 1]  # South, North
    assert [row.figures.overdue for row in after.cohorts] == [1, 1]


def test_the_hr_dashboard_shows_the_figures_with_bars(
    app: Flask, organisation: None, hr: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each cohort and module as a row: numbers, a bar beside each share, overdue links."""
    hold_the_clock(monkeypatch, NOW)

    response = as_user(app, hr).get("/dashboard/hr")

    assert response.status_code == 200
    page = words(response)
    assert "Learners 6 (5 in cohorts, 1 self-paced)" in page
    assert "Modules complete 40% 4 of 10 learner modules" in page
    assert "Overdue 1 learner past a due date" in page
    assert "Floor ready 1 learner has every module of their cohort complete" in page
    cohorts_table = table_rows(response, "cohorts-caption")
    assert list(cohorts_table) == [
        "South intake",
        "North intake",
        "Self-paced (in no cohort: the whole programme, no due dates)",
    ]
    assert cohorts_table["North intake"] == (
        "North intake 02 Nov 2026 3 33% 1 overdue in North intake 0"
    )
    assert cohorts_table["South intake"] == "South intake 23 Nov 2026 2 50% 0 1"
    modules_table = table_rows(response, "modules-caption")
    assert modules_table["A1 A module"] == "A1 A module 6 67% 1 overdue in A1"
    assert modules_table["B2 Beta module"] == "B2 Beta module 4 0% 0"
    html = response.get_data(as_text=True)
    north = next(
        r.cohort for r in overview.organisation(now=NOW).cohorts if "North" in r.cohort.name
    )
    assert re.search(r'href="/records/\?cohort=\d+&amp;status=overdue"', html)
    assert 'href="/records/?module=A1&amp;status=overdue"' in html
    assert f'href="/cohorts/{north.id}/progress"' in html
    # A bar beside each share (three cohort rows, two module rows, the organisation's), and
    # one per expiry window.
    assert html.count('<svg class="hbar') == 3 + 2 + 1 + 3


def test_certificates_expiring_are_counted_in_each_window_and_listed_by_its_link(
    app: Flask, world: QuizWorld, make_user: UserFactory, hr: User
) -> None:
    """Valid certificates only, up to the end of the window's last local day; following a
    window's link lists exactly the certificates counted (the register's own clock runs)."""
    now = utcnow()
    today = local_day(now)
    end_of = {days: deadline(today + timedelta(days=days)) for days in (30, 60, 90)}
    learner = person(make_user, Role.LEARNER, full_name="Ayşe Kaya")
    minute = timedelta(minutes=1)
    windows = {
        30: [now + 2 * DAY, end_of[30] - minute],
        60: [end_of[30] + minute, now + 45 * DAY],
        90: [end_of[90] - minute],
    }
    codes = {
        days: [
            stored_certificate(learner, expires_at=at, cycle=i).code
            for i, at in enumerate(at_list, start=days)
        ]
        for days, at_list in windows.items()
    }
    stored_certificate(learner, expires_at=end_of[90] + minute, cycle=1)  # beyond 90 days
    stored_certificate(learner, expires_at=now - minute, cycle=2)  # expired
    stored_certificate(learner, expires_at=None, cycle=3)  # never expires
    stored_certificate(learner, expires_at=now + DAY, revoked_at=now, cycle=4)  # revoked

    found = overview.expiring_certificates(now=now)

    assert [(w.days, w.count) for w in found] == [(30, 2), (60, 4), (90, 5)]
    client = as_user(app, hr)
    html = client.get("/dashboard/hr").get_data(as_text=True)
    links = re.findall(r'<a class="hbar-link" href="([^"]+)">', html)
    assert len(links) == 3
    expected = {
        30: codes[30],
        60: codes[30] + codes[60],
        90: [c for cs in codes.values() for c in cs],
    }
    for link, days in zip(links, (30, 60, 90), strict=True):
        assert f"expires_from={today.isoformat()}" in link
        assert f"expires_to={(today + timedelta(days=days)).isoformat()}" in link
        register = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        listed = set(re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", register))
        assert listed == set(expected[days]), days
    assert "5 certificates expiring within 90 days" in words(client.get("/dashboard/hr"))
