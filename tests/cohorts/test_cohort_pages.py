"""Cohort pages: a trainer creates and edits a cohort through the form (bad due values shown
on their fields), enrols, moves and withdraws learners; who sees which cohort."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services
from lms.cohorts.models import Cohort, LeavingReason
from lms.database import utcnow
from lms.extensions import db
from lms.notifications import Notification
from tests.cohorts.enrolment_steps import (
    body_of,
    client_for,
    counts,
    make_cohort,
    person,
    programme,
    read_outbox,
    words,
)
from tests.conftest import UserFactory, csrf_token

__all__ = ["programme"]


def post_form(client: FlaskClient, path: str, data: dict[str, Any], action: str | None = None):  # type: ignore[no-untyped-def]
    """Fetch `path` for its CSRF token and post `data` to `action` (or back to `path`)."""
    return client.post(action or path, data={**data, "csrf_token": csrf_token(client, path)})


def cohort_form(programme: dict[str, int], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "Vela Mobile, March intake", "start_date": "2027-01-30"}
    for code, due in fields.pop("modules", {"M1": "day 3"}).items():
        data[f"include-{programme[code]}"] = "y"
        data[f"due-{programme[code]}"] = due
    return {**data, **fields}


def field_error(page: str, programme: dict[str, int], code: str) -> str:
    """The error shown on a module's due field."""
    found = re.search(rf'id="due-{programme[code]}-error">([^<]*)<', page)
    return found.group(1) if found else ""


def cohort_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Cohort)) or 0


def test_a_trainer_creates_a_cohort_with_the_form(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Name, client, start, staff and modules with a day and a date; the trainer runs it."""
    trainer = person(make_user, Role.TRAINER, full_name="Thandi Nkosi")
    assessor = person(make_user, Role.ASSESSOR, full_name="Sipho Dlamini")
    client = client_for(app, trainer)
    page = client.get("/cohorts/new")
    assert page.status_code == 200
    assert "M3 Module M3" in words(page)
    data = cohort_form(
        programme,
        client="Vela Mobile",
        assessors=[str(assessor.id)],
        modules={"M1": "day 3", "M2": "2027-02-15"},
    )
    created = post_form(client, "/cohorts/new", data)
    assert created.status_code == 303
    cohort = db.session.scalars(select(Cohort)).one()
    assert created.location == f"/cohorts/{cohort.id}"
    assert (cohort.name, cohort.client) == ("Vela Mobile, March intake", "Vela Mobile")
    assert cohort.trainers == [trainer] and cohort.assessors == [assessor]
    assert {link.module.code: (link.due_day, link.due_on) for link in cohort.modules} == {
        "M1": (3, None),
        "M2": (None, date(2027, 2, 15)),
    }
    detail = words(client.get(created.location))
    assert "M1 Module M1 1 Feb 2027 (day 3)" in detail
    assert "M2 Module M2 15 Feb 2027" in detail
    assert "Thandi Nkosi" in detail and "Sipho Dlamini" in detail


def test_the_whole_programme_box_includes_every_module(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Ticking "whole programme" takes every module, keeping the due dates typed."""
    client = client_for(app, person(make_user, Role.ADMIN))
    data = cohort_form(programme, modules={"M2": "5"}, whole_programme="y")
    data.pop(f"include-{programme['M2']}")
    assert post_form(client, "/cohorts/new", data).status_code == 303
    cohort = db.session.scalars(select(Cohort)).one()
    assert {link.module.code: link.due_day for link in cohort.modules} == {
        "M1": None,
        "M2": 5,
        "M3": None,
    }
    assert cohort.trainers == []  # an administrator does not become its trainer


def test_bad_due_values_are_shown_on_their_fields_and_nothing_is_saved(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Each module's due field carries its own message; the page answers 422."""
    client = client_for(app, person(make_user, Role.TRAINER))
    data = cohort_form(programme, modules={"M1": "day 0", "M2": "2027-02-30", "M3": "2027-01-01"})
    refused = post_form(client, "/cohorts/new", data)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert field_error(page, programme, "M1") == "M1: due day must be 1–366."  # noqa: RUF001
    assert field_error(page, programme, "M2") == "M2: 2027-02-30 is not a date."
    assert field_error(page, programme, "M3") == "M3: due 2027-01-01, before the start date."
    assert 'aria-invalid="true"' in page
    assert cohort_count() == 0

    words_only = cohort_form(programme, modules={"M1": "by Friday", "M2": "3000-01-01"}, name="")
    refused = post_form(client, "/cohorts/new", words_only)
    page = refused.get_data(as_text=True)
    assert field_error(page, programme, "M1").startswith("M1: not a date")
    assert field_error(page, programme, "M2") == "M2: give a date in the years 1900 to 2999."
    assert "Give the cohort a name." in page
    not_included = cohort_form(programme)
    not_included[f"due-{programme['M2']}"] = "day 4"
    page = post_form(client, "/cohorts/new", not_included).get_data(as_text=True)
    assert (
        field_error(page, programme, "M2")
        == "M2: not included; tick Include or clear the due date."
    )
    none = cohort_form(programme, modules={})
    page = post_form(client, "/cohorts/new", none).get_data(as_text=True)
    assert "Choose at least one module, or the whole programme." in page
    assert cohort_count() == 0


def test_a_trainer_edits_their_cohort(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """The form shows the stored plan ("day 3") and saves changes."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme, days={"M1": 3})
    client = client_for(app, trainer)
    path = f"/cohorts/{cohort.id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'value="day 3"' in page and 'value="Vela March"' in page
    data = cohort_form(programme, name="Vela March", trainers=[str(trainer.id)])
    data.update(cohort_form(programme, modules={"M1": "day 5", "M3": "2027-03-01"}))
    data["name"] = "Vela March (renamed)"
    assert post_form(client, path, data).status_code == 303
    db.session.expire_all()
    assert cohort.name == "Vela March (renamed)"
    assert {link.module.code: link.due_day for link in cohort.modules} == {"M1": 5, "M3": None}


def test_a_trainer_who_hands_over_a_cohort_returns_to_the_list(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Taking oneself off a cohort's trainers saves, then leads to the list (the cohort's page
    is no longer theirs to see)."""
    leaving = person(make_user, Role.TRAINER)
    taking_over = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", leaving, programme)
    client = client_for(app, leaving)
    path = f"/cohorts/{cohort.id}/edit"
    data = cohort_form(programme, name="Vela March", trainers=[str(taking_over.id)])
    handed_over = post_form(client, path, data)
    assert (handed_over.status_code, handed_over.location) == (303, "/cohorts/")
    db.session.expire_all()
    assert cohort.trainers == [taking_over]
    assert client.get(f"/cohorts/{cohort.id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cohorts/{id}",
        "/cohorts/{id}/edit",
        "/cohorts/{id}/import",
        "/cohorts/{id}/learners/{membership}",
        "/cohorts/999999",
        "/cohorts/99999999999",
    ],
)
def test_a_trainer_of_another_cohort_gets_404(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int], path: str
) -> None:
    """Another trainer's cohort does not exist for them: no page, no hint it is there."""
    ours = person(make_user, Role.TRAINER)
    cohort = make_cohort("Theirs", person(make_user, Role.TRAINER), programme)
    membership = services.enrol(cohort, person(make_user, Role.LEARNER), actor=ours, now=utcnow())
    db.session.commit()
    client = client_for(app, ours)
    assert client.get(path.format(id=cohort.id, membership=membership.id)).status_code == 404
    assert "Theirs" not in words(client.get("/cohorts/"))


def test_a_trainer_of_another_cohort_cannot_post_to_it(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Enrolling into or withdrawing from another trainer's cohort answers 404."""
    ours = person(make_user, Role.TRAINER)
    make_cohort("Ours", ours, programme)
    cohort = make_cohort("Theirs", person(make_user, Role.TRAINER), programme)
    membership = services.enrol(cohort, person(make_user, Role.LEARNER), actor=ours, now=utcnow())
    db.session.commit()
    client = client_for(app, ours)
    enrol = {"email": "x@example.com", "first_name": "X", "last_name": "Y"}
    assert post_form(client, "/cohorts/", enrol, f"/cohorts/{cohort.id}/enrol").status_code == 404
    withdraw = f"/cohorts/{cohort.id}/learners/{membership.id}/withdraw"
    assert post_form(client, "/cohorts/", {"reason": "No"}, withdraw).status_code == 404
    assert membership.current and counts()[1] == 1


def test_hr_sees_every_cohort_but_changes_none(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """HR reads the list and each cohort, without edit, enrol or move controls, and is refused
    the pages that change a cohort."""
    first = make_cohort("First", person(make_user, Role.TRAINER), programme)
    make_cohort("Second", person(make_user, Role.TRAINER), programme)
    client = client_for(app, person(make_user, Role.HR))
    listing = words(client.get("/cohorts/"))
    assert "First" in listing and "Second" in listing and "New cohort" not in listing
    detail = client.get(f"/cohorts/{first.id}")
    assert detail.status_code == 200
    assert "Edit cohort" not in words(detail) and "Enrol a learner" not in words(detail)
    assert client.get(f"/cohorts/{first.id}/edit").status_code == 403
    assert client.get(f"/cohorts/{first.id}/import").status_code == 403
    assert client.get("/cohorts/new").status_code == 403


def test_an_assessor_sees_the_cohorts_they_mark(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """An assessor named on a cohort opens it; other cohorts are not there for them."""
    assessor = person(make_user, Role.ASSESSOR)
    trainer = person(make_user, Role.TRAINER)
    theirs = make_cohort("Marked", trainer, programme, assessors=(assessor,))
    other = make_cohort("Unmarked", trainer, programme)
    client = client_for(app, assessor)
    assert client.get(f"/cohorts/{theirs.id}").status_code == 200
    assert client.get(f"/cohorts/{other.id}").status_code == 404
    assert "Unmarked" not in words(client.get("/cohorts/"))


def test_a_learner_is_refused_the_cohort_pages(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Cohort pages are for staff: a learner gets 403, even for their own cohort."""
    learner = person(make_user, Role.LEARNER)
    cohort = make_cohort("Theirs", person(make_user, Role.ADMIN), programme)
    services.enrol(cohort, learner, actor=learner, now=utcnow())
    db.session.commit()
    client = client_for(app, learner)
    assert client.get("/cohorts/").status_code == 403
    assert client.get(f"/cohorts/{cohort.id}").status_code == 403


def test_enrolling_one_learner_from_the_cohort_page(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    outbox: Path,
) -> None:
    """A new email gets an account and a welcome email; a known learner gets a dashboard note;
    someone in another cohort is refused on the email field, and nothing changes."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme)
    other = make_cohort("Sizwe Life", trainer, programme)
    known = person(make_user, Role.LEARNER, email="known@example.com", full_name="Known Person")
    busy = person(make_user, Role.LEARNER, email="busy@example.com")
    services.enrol(other, busy, actor=trainer, now=utcnow())
    db.session.commit()
    client = client_for(app, trainer)
    path, action = f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}/enrol"
    new = {"email": "New.Hire@Example.com", "first_name": "Ayanda", "last_name": "Dube"}
    added = post_form(client, path, {**new, "employee_number": "E-31"}, action)
    assert added.status_code == 303
    assert (
        post_form(
            client, path, {"email": known.email, "first_name": "K", "last_name": "P"}, action
        ).status_code
        == 303
    )
    db.session.expire_all()
    members = {m.user.email for m in services.members(cohort)}
    assert members == {"new.hire@example.com", "known@example.com"}
    welcome, note = read_outbox(outbox)
    assert welcome["To"] == "new.hire@example.com" and "Vela March" in body_of(welcome)
    assert note["To"] == "known@example.com" and note["Subject"] == "You are enrolled in Vela March"
    assert db.session.scalar(select(func.count()).where(Notification.user_id == known.id)) == 1

    before = counts()
    refused = post_form(
        client, path, {"email": busy.email, "first_name": "B", "last_name": "Z"}, action
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r'id="email-error">[^<]*busy@example.com is in Sizwe Life', page)
    bad = post_form(client, path, {"email": "nope", "first_name": "", "last_name": "Z"}, action)
    assert bad.status_code == 422
    assert "Enter an email address such as name@example.com." in bad.get_data(as_text=True)
    assert counts() == before and len(read_outbox(outbox)) == 2
    learners = {m.user.email for m in services.members(cohort)}
    assert "busy@example.com" not in learners


def test_moving_and_withdrawing_from_the_pages(
    app: Flask, app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Withdrawing needs a reason; moving offers only cohorts the trainer runs; both leave the
    learner on the list of those who left, with when and why."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme)
    mine = make_cohort("Vela April", trainer, programme)
    foreign = make_cohort("Not mine", person(make_user, Role.TRAINER), programme)
    staying = person(make_user, Role.LEARNER, full_name="Zanele Mthembu")
    leaving = person(make_user, Role.LEARNER, full_name="Bongani Cele")
    first = services.enrol(cohort, staying, actor=trainer, now=utcnow())
    second = services.enrol(cohort, leaving, actor=trainer, now=utcnow())
    db.session.commit()
    client = client_for(app, trainer)
    page = f"/cohorts/{cohort.id}/learners/{first.id}"
    form = client.get(page).get_data(as_text=True)
    assert "Vela April" in form and "Not mine" not in form

    no_reason = post_form(client, page, {"reason": "  "}, page + "/withdraw")
    assert no_reason.status_code == 422
    assert "Say why the learner is withdrawn." in no_reason.get_data(as_text=True)
    foreign_move = post_form(client, page, {"cohort": str(foreign.id)}, page + "/move")
    assert foreign_move.status_code == 422
    db.session.expire_all()
    assert first.current

    assert (
        post_form(
            client, page, {"cohort": str(mine.id), "note": "Night shift"}, page + "/move"
        ).status_code
        == 303
    )
    other_page = f"/cohorts/{cohort.id}/learners/{second.id}"
    withdrawn = post_form(client, other_page, {"reason": "Resigned"}, other_page + "/withdraw")
    assert withdrawn.status_code == 303
    db.session.expire_all()
    assert first.leaving_reason is LeavingReason.MOVED
    assert services.current_membership(staying.id).cohort_id == mine.id  # type: ignore[union-attr]
    assert second.leaving_reason is LeavingReason.WITHDRAWN
    detail = words(client.get(f"/cohorts/{cohort.id}"))
    assert "Learners who left" in detail
    assert "Zanele Mthembu" in detail and "Moved to another cohort Night shift" in detail
    assert "Bongani Cele" in detail and "Withdrawn Resigned" in detail
    assert client.get(page).status_code == 404  # a learner who left cannot be moved again
    assert db.session.get(User, leaving.id) is not None
