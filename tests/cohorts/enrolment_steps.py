"""Steps the cohort and enrolment tests share: a programme of three modules synced for real,
cohorts made through the services, people, CSV files, and mail read back from the outbox.

Steps run in the test's session (the `app_context` fixture) and commit as a request would.
"""

from __future__ import annotations

import email
import html
import re
from datetime import date
from email.message import Message
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services
from lms.cohorts.models import Cohort, Membership
from lms.cohorts.services import CohortDetails, ModulePlan
from lms.content.models import Module
from lms.extensions import db
from tests.conftest import UserFactory, csrf_token, sign_in
from tests.content_files import LessonFile, ModuleFile, sync, write_module

CODES = ("M1", "M2", "M3")
START = date(2027, 1, 30)


@pytest.fixture
def programme(app: Flask, tmp_path: Path) -> dict[str, int]:
    """Three published modules, M1 to M3, by code -> id."""
    root = tmp_path / "modules"
    for order, code in enumerate(CODES, start=1):
        lessons = [LessonFile(f"lesson-{code.lower()}", f"First lesson of {code}")]
        module = ModuleFile(f"0{order}-mod{order}", code, title=f"Module {code}", order=order)
        module.lessons = lessons
        write_module(root, module)
    report = sync(app, root)
    assert report.errors == []
    with app.app_context():
        return {
            code: module_id
            for code, module_id in db.session.execute(select(Module.code, Module.id))
        }


@pytest.fixture
def held_files(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder uploads wait in between preview and import, inside this test's tmp_path."""
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setattr(app, "instance_path", str(instance))
    return instance / "uploads"


def held(folder: Path) -> list[str]:
    """The names of the files waiting for confirmation."""
    return sorted(path.name for path in folder.glob("*")) if folder.exists() else []


class FreshClient(FlaskClient):
    """A test client whose every request takes its user from its own cookie. Requests share
    the test's app context, where Flask-Login keeps the last request's user in `g` (and
    Flask-WTF its CSRF token): both are forgotten before each request."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if has_app_context():
            g.pop("_login_user", None)
            g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


def client_for(app: Flask, user: User | None = None) -> FlaskClient:
    """A client signed in as `user` (or nobody), safe beside other clients in one test."""
    client = FreshClient(app, app.response_class, use_cookies=True)
    return sign_in(client, user) if user is not None else client


def person(make_user: UserFactory, *roles: Role, **kw: object) -> User:
    """A committed user, loaded in the test's session."""
    user = db.session.get(User, make_user(*roles, **kw).id)
    assert user is not None
    return user


def make_cohort(
    name: str,
    actor: User,
    modules: dict[str, int],
    *,
    start: date = START,
    days: dict[str, int | None] | None = None,
    trainers: tuple[User, ...] = (),
    assessors: tuple[User, ...] = (),
) -> Cohort:
    """A committed cohort taking every module (or those in `days`, due on those days)."""
    plan = days if days is not None else dict.fromkeys(modules)
    cohort = services.create_cohort(
        CohortDetails(
            name=name,
            start_date=start,
            modules=tuple(ModulePlan(modules[code], due_day=day) for code, day in plan.items()),
            trainer_ids=tuple(user.id for user in trainers),
            assessor_ids=tuple(user.id for user in assessors),
        ),
        actor=actor,
    )
    db.session.commit()
    return cohort


def counts() -> tuple[int, int]:
    """Users and memberships on record."""
    users = db.session.scalar(select(func.count()).select_from(User))
    memberships = db.session.scalar(select(func.count()).select_from(Membership))
    return users or 0, memberships or 0


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def upload(
    client: FlaskClient, cohort_id: int, data: bytes, name: str = "intake.csv"
) -> TestResponse:
    """Post a file to the cohort's import page as a browser would."""
    path = f"/cohorts/{cohort_id}/import"
    token = csrf_token(client, path)
    return client.post(
        path,
        data={"csrf_token": token, "file": (BytesIO(data), name, "text/csv")},
        content_type="multipart/form-data",
    )


def confirm(client: FlaskClient, cohort_id: int, page: TestResponse) -> TestResponse:
    """Press the preview's "Import" button (with the client's own CSRF token)."""
    text = page.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text)
    assert token, text
    csrf = csrf_token(client, f"/cohorts/{cohort_id}/import")
    return client.post(
        f"/cohorts/{cohort_id}/import/confirm", data={"csrf_token": csrf, "token": token.group(1)}
    )


def read_outbox(outbox: Path) -> list[Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def words(response: TestResponse) -> str:
    """A page's text with its tags and runs of white space removed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())
