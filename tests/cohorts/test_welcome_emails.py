"""Welcome emails to a cohort's new accounts: the link sets a password and signs in, and a
large intake's welcomes go out from a thread once the page has answered."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import PasswordResetToken
from lms.auth.roles import Role
from lms.cohorts import enrolment
from lms.extensions import db
from tests.cohorts.enrolment_steps import (
    body_of,
    client_for,
    confirm,
    csv_bytes,
    held_files,
    make_cohort,
    person,
    programme,
    read_outbox,
    upload,
)
from tests.conftest import UserFactory
from tests.test_auth import log_in
from tests.test_passwords import NEW_PASSWORD, set_new_password

__all__ = ["held_files", "programme"]

HEADER = "email,first_name,last_name,employee_number"


def test_the_welcome_link_sets_a_password_and_signs_in(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
    outbox: Path,
) -> None:
    """The welcome email names the cohort, its start and due dates; its link chooses a
    password, with which the new learner signs in."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme, days={"M1": 3, "M2": None})
    client = client_for(app, trainer)
    preview = upload(client, cohort.id, csv_bytes(HEADER, "thabo@example.com,Thabo,Mokoena,"))
    assert confirm(client, cohort.id, preview).status_code == 303
    [message] = read_outbox(outbox)
    assert message["To"] == "thabo@example.com"
    assert message["Subject"] == "Welcome to Induction Academy: Vela March"
    body = body_of(message)
    assert "Hello Thabo Mokoena," in body
    assert "You have a place in Vela March, which starts on 30 January 2027." in body
    assert "- M1 Module M1: due by 1 February 2027" in body
    assert "- M2 Module M2\n" in body
    assert f"within {app.config['WELCOME_LINK_DAYS']} days" in body
    link = re.search(r"http://localhost(/password-reset/\S+)", body)
    assert link, body
    learner = client_for(app)
    assert learner.get(link.group(1)).status_code == 200
    assert set_new_password(learner, link.group(1)).location == "/login"
    signed_in = log_in(client_for(app), "thabo@example.com", NEW_PASSWORD)
    assert signed_in.status_code == 302 and signed_in.location != "/login"


def test_a_large_intakes_welcomes_go_out_from_a_thread_after_the_page_answers(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
    outbox: Path,
) -> None:
    """Past WELCOME_INLINE_LIMIT new accounts the confirmation answers at once and a thread
    writes every welcome, each with its own working link."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela April", trainer, programme, days={"M1": 3})
    size = enrolment.WELCOME_INLINE_LIMIT + 1
    rows = [f"hire{n}@example.com,Hire,Number {n}" for n in range(size)]
    client = client_for(app, trainer)
    done = confirm(client, cohort.id, upload(client, cohort.id, csv_bytes(HEADER, *rows)))
    assert done.status_code == 303
    for thread in threading.enumerate():
        if thread.name == enrolment.WELCOME_THREAD:
            thread.join(timeout=120)
    messages = read_outbox(outbox)
    assert sorted(str(m["To"]) for m in messages) == sorted(r.split(",")[0] for r in rows)
    links = {re.search(r"/password-reset/\S+", body_of(m)).group(0) for m in messages}  # type: ignore[union-attr]
    assert len(links) == size
    tokens = db.session.scalar(select(func.count()).select_from(PasswordResetToken))
    assert tokens == size
