"""`lms demo` loads two intake waves on a fresh database: learners at every stage, overdue and
floor ready, reached through the real rules; a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates.models import PROGRAMME, Certificate
from lms.cohorts import services
from lms.cohorts.demo import (
    COHORT_DEMO_LEARNERS,
    HARBOUR,
    SECOND_TRAINER,
    TRAINER_PASSWORD,
    VELA,
    WITHDRAWAL_NOTE,
)
from lms.cohorts.due_dates import due_status, local_day
from lms.cohorts.models import Cohort, LeavingReason, Membership
from lms.cohorts.standing import Stage, Standing, standings
from lms.content.catalogue import current_catalogue
from lms.database import utcnow
from lms.extensions import db
from lms.marking.demo import PASSWORD
from tests.conftest import csrf_token
from tests.marking.test_demo_data import row_counts, run_demo


def cohort_named(name: str) -> Cohort:
    found = db.session.scalar(select(Cohort).where(Cohort.name == name))
    assert found is not None, name
    return found


def email_of(user_id: int) -> str:
    user = db.session.get(User, user_id)
    assert user is not None
    return user.email


def standings_of(cohort: Cohort) -> dict[str, list[Standing]]:
    """Each current learner's standings in the cohort's modules, by email, in module order."""
    ids = [m.user_id for m in services.members(cohort)]
    taken = {link.module_id for link in cohort.modules}
    modules = [m for m in current_catalogue().modules if m.id in taken]
    found = standings(ids, modules, now=utcnow())
    return {email_of(i): [found[i, m.id] for m in modules] for i in ids}


def overdue_learners(cohort: Cohort, table: dict[str, list[Standing]]) -> set[str]:
    due = services.due_dates(cohort)
    now = utcnow()
    return {
        email
        for email, row in table.items()
        for standing in row
        if not standing.complete
        and (day := due[standing.module_id]) is not None
        and due_status(day, now).overdue
    }


def signed_in(app: Flask, email: str, password: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 302, email
    return client


def test_the_demo_cohort_has_learners_at_every_stage_overdue_and_floor_ready_once(
    app: Flask,
) -> None:
    """Vela Mobile's wave covers every stage of the matrix; some learners are overdue and
    Nomvula, certified in every module, is floor ready; Themba was withdrawn. A second run
    changes no table's row count."""
    output = run_demo(app).output
    with app.app_context():
        the_vela_mobile_wave_is_at_every_stage()
        db.session.remove()
    counts = row_counts(app)
    assert counts["cohorts"] == 2
    assert counts["cohort_memberships"] == 10 + 1 + 3  # Themba's closed membership too

    run_demo(app)

    assert row_counts(app) == counts
    assert f"Cohort demo: {VELA} (trainer trainer@example.com;" in output


def the_vela_mobile_wave_is_at_every_stage() -> None:
    vela = cohort_named(VELA)
    assert [u.email for u in vela.trainers] == ["trainer@example.com"]
    assert [u.email for u in vela.assessors] == ["assessor@example.com"]
    assert vela.client == "Vela Mobile" and len(vela.modules) == 5
    table = standings_of(vela)
    assert {s.stage for row in table.values() for s in row} == set(Stage)
    ready = {email for email, row in table.items() if all(s.complete for s in row)}
    assert ready == {"nomvula@example.com"}
    overdue = overdue_learners(vela, table)
    assert "karabo@example.com" in overdue and "learner@example.com" in overdue
    assert "nomvula@example.com" not in overdue
    # One module falls due in two days, so the first `lms reminders send` has news.
    left = {due_status(day, utcnow()).days_left for day in services.due_dates(vela).values() if day}
    assert 2 in left and any(days < 0 for days in left)

    [withdrawn] = db.session.scalars(
        select(Membership).where(Membership.left_at.is_not(None), Membership.cohort_id == vela.id)
    )
    assert email_of(withdrawn.user_id) == "themba@example.com"
    assert withdrawn.leaving_reason is LeavingReason.WITHDRAWN
    assert withdrawn.leaving_note == WITHDRAWAL_NOTE

    nomvula = db.session.scalar(select(User).where(User.email == "nomvula@example.com"))
    assert nomvula is not None
    held = db.session.scalars(select(Certificate.subject_key).where(Certificate.learner == nomvula))
    assert sorted(held) == ["M1", "M2", "M3", "M4", "M5", PROGRAMME]


def test_the_second_cohort_belongs_to_another_trainer_who_sees_only_it(app: Flask) -> None:
    """Harbour & Hale's wave has its own trainer, who signs in with the trainer's demo
    password and reaches her cohort's progress page but not Vela Mobile's; every new hire
    signs in with the demo learners' password."""
    run_demo(app)
    with app.app_context():
        harbour, vela = cohort_named(HARBOUR), cohort_named(VELA)
        assert [u.email for u in harbour.trainers] == [SECOND_TRAINER.email]
        table = standings_of(harbour)
        assert set(table) == {"naledi@example.com", "ruan@example.com", "aisha@example.com"}
        assert harbour.start_date == local_day(utcnow()) - timedelta(days=7)
        harbour_id, vela_id = harbour.id, vela.id
        db.session.remove()

    anele = signed_in(app, SECOND_TRAINER.email, TRAINER_PASSWORD)
    assert anele.get(f"/cohorts/{harbour_id}/progress").status_code == 200
    assert anele.get(f"/cohorts/{vela_id}/progress").status_code == 404
    for hire in COHORT_DEMO_LEARNERS:
        signed_in(app, hire.learner.email, PASSWORD)
