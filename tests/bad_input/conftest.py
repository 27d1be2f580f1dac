"""Hostile input at every form: a 4xx that names the problem, never a 500, nothing written.

Every form is posted a valid submission with one value made hostile: missing, empty, 10 kB
long, holding NUL or other control characters, of the wrong type, or sent twice. The answer
must be the form again with that field's message (422), or the error page (400, 404, 413), and
the tables must read exactly as before. Each valid submission would change a row or send mail,
so a check that stopped working shows up as a change. Bytes that are not UTF-8 are kept by
Werkzeug as literal `%XX` text; test_content_types.py pins that they are never garbled or
a 500.

This conftest holds what the test modules share: the messages, the world the forms
are aimed at, and the helpers that post, snapshot and read the answer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.auth import services
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from tests.conftest import PASSWORD, UserFactory, sign_in

LEARNER_EMAIL = "lee.learner@example.com"
ADMIN_EMAIL = "ada.admin@example.com"
NEW_PASSWORD = "a fresh start for me"

CONTROL = "This contains characters that are not allowed."
SENT_TWICE = "This was sent more than once."
CSRF_MESSAGE = "The form had expired or did not come from this site. Reload it and try again."
INCOMPLETE = "The request was incomplete; reload the page and try again."
NOT_FOUND = "There is nothing at this address. Check the link or go back."
TOO_LARGE = "What you sent is larger than this site accepts."
GENERIC_LOGIN_ERROR = "The email or password is not correct, or the account is not active."
BAD_EMAIL = "Enter an email address such as name@example.com."
BAD_DATE = "Not a valid date value."
DATE_RANGE = "Enter a date in the years 1900 to 2999."

ACCOUNT_TABLES = ("users", "user_roles", "password_reset_tokens")
ALL_TABLES = (*ACCOUNT_TABLES, "audit_events")

# A value as it is posted: text, raw bytes (sent percent-encoded, not as UTF-8), the same name
# several times, or None for a field left out.
Value = str | bytes | list[str] | None
Fields = dict[str, Value]
Snapshot = dict[str, list[dict[str, Any]]]
Case = tuple[str, Fields, str | None, str]  # id, changed fields, field shown against, message

CONTROL_CHARACTERS = {
    "nul": "\x00",
    "bell": "\x07",
    "escape": "\x1b",
    "delete": "\x7f",
    "c1-next-line": "\x85",
    "c1-csi": "\x9b",
}
NOT_UTF8 = {
    "latin-1": b"\xe9",
    "invalid-start": b"\xff\xfe",
    "encoded-surrogate": b"\xed\xa0\x80",
    "truncated": b"\xc3",
}


def longer_than(limit: int) -> str:
    """WTForms' message for a value over `limit` characters."""
    return f"Field cannot be longer than {limit} characters."


def hostile_values(
    field: str, sample: str, *, required: str | None, too_long: str, missing: bool = True
) -> list[Case]:
    """The standard hostile values for one text field, each with the message it must earn.

    `sample` is a valid value the hostile characters are put into; `required` is the message
    for an empty field, None when the field is optional.
    """
    cases: list[Case] = []
    if required is not None:
        if missing:
            cases.append((f"{field}-missing", {field: None}, field, required))
        cases.append((f"{field}-empty", {field: ""}, field, required))
        cases.append((f"{field}-blank", {field: "   "}, field, required))
    cases.append((f"{field}-10kB", {field: "x" * 10_000}, field, too_long))
    for name, character in CONTROL_CHARACTERS.items():
        cases.append(
            (f"{field}-{name}", {field: sample[:3] + character + sample[3:]}, field, CONTROL)
        )
    cases.append((f"{field}-sent-twice", {field: [sample, sample + "x"]}, field, SENT_TWICE))
    return cases


@dataclass(frozen=True)
class FormPost:
    """A submission of one form that would succeed, and who makes it."""

    sender: User | None
    page: str  # where the form is shown, for its CSRF token
    target: str
    fields: Fields


@dataclass(frozen=True)
class World:
    """The people and the reset link the forms are aimed at."""

    app: Flask
    admin: User
    learner: User
    reset_token: str

    def client(self, sender: User | None) -> FlaskClient:
        client = self.app.test_client()
        return sign_in(client, sender) if sender is not None else client

    def post(self, form: str) -> FormPost:
        """A valid post of `form`: each would change a row or send mail if it were accepted."""
        learner, admin = self.learner, self.admin
        reset = f"/password-reset/{self.reset_token}"
        passwords = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
        posts = {
            "login": FormPost(
                None, "/login", "/login", {"email": LEARNER_EMAIL, "password": PASSWORD}
            ),
            "password-reset": FormPost(
                None, "/password-reset", "/password-reset", {"email": LEARNER_EMAIL}
            ),
            "password-reset-link": FormPost(None, reset, reset, passwords),
            "change-password": FormPost(
                learner,
                "/account/password",
                "/account/password",
                {"current_password": PASSWORD, **passwords},
            ),
            "new-user": FormPost(
                admin,
                "/admin/users/new",
                "/admin/users/new",
                {
                    "full_name": "Nora New",
                    "email": "nora.new@example.com",
                    "roles": ["learner"],
                    "password": "",
                },
            ),
            "edit-user": FormPost(
                admin,
                f"/admin/users/{learner.id}",
                f"/admin/users/{learner.id}",
                {"full_name": "Lee Renamed", "email": LEARNER_EMAIL, "roles": ["learner"]},
            ),
            "edit-own-account": FormPost(
                admin,
                f"/admin/users/{admin.id}",
                f"/admin/users/{admin.id}",
                {"full_name": "Ada Renamed", "email": ADMIN_EMAIL, "roles": ["admin"]},
            ),
            "set-active": FormPost(
                admin,
                f"/admin/users/{learner.id}",
                f"/admin/users/{learner.id}/active",
                {"active": "0"},
            ),
            "password-link": FormPost(
                admin,
                f"/admin/users/{learner.id}",
                f"/admin/users/{learner.id}/password-link",
                {},
            ),
            "logout": FormPost(learner, "/account", "/logout", {}),
        }
        return posts[form]


POST_FORMS = [
    "login",
    "password-reset",
    "password-reset-link",
    "change-password",
    "new-user",
    "edit-user",
    "set-active",
    "password-link",
    "logout",
]


@pytest.fixture
def world(app: Flask, make_user: UserFactory, outbox: Path) -> World:
    """An admin, a learner, a live reset link for the learner, and an empty outbox."""
    admin = make_user(Role.ADMIN, email=ADMIN_EMAIL, full_name="Ada Admin")
    learner = make_user(Role.LEARNER, email=LEARNER_EMAIL, full_name="Lee Learner")
    with app.app_context():
        started = services.start_password_reset(LEARNER_EMAIL, valid_for=timedelta(hours=1))
        assert started is not None
        db.session.commit()
    return World(app=app, admin=admin, learner=learner, reset_token=started[1])


@pytest.fixture
def before(app: Flask, world: World) -> Snapshot:
    """The tables as the world left them, before the test's requests."""
    return snapshot(app)


def snapshot(app: Flask, tables: tuple[str, ...] = ALL_TABLES) -> Snapshot:
    """Every row of the account and audit tables, read on a connection of its own."""
    with app.app_context(), db.engine.connect() as connection:
        rows = {}
        for name in tables:
            table = db.metadata.tables[name]
            query = select(table).order_by(*table.primary_key.columns)
            rows[name] = [row._asdict() for row in connection.execute(query)]
        return rows


def assert_nothing_written(app: Flask, before: Snapshot) -> None:
    """No row was added, changed or removed, and no mail was sent."""
    assert snapshot(app) == before
    assert list(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")) == []


def encode(fields: Fields) -> str:
    """Url-encode as a browser does; bytes go as they are, so they need not be UTF-8."""
    present = {name: value for name, value in fields.items() if value is not None}
    return urlencode(present, doseq=True)


def post_form(
    client: FlaskClient,
    path: str,
    fields: Fields,
    *,
    token: str | None,
    headers: dict[str, str] | None = None,
) -> TestResponse:
    """Post `fields` (and the CSRF token, unless None) as an HTML form does."""
    if token is not None:
        fields = {**fields, "csrf_token": token}
    return client.post(
        path,
        data=encode(fields),
        content_type="application/x-www-form-urlencoded",
        headers=headers or {},
    )


def error_summary(response: TestResponse) -> dict[str | None, list[str]]:
    """The page's error summary as read: messages by the field they link to (None: the form)."""
    page = response.get_data(as_text=True)
    match = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    assert match, "the page shows no error summary"
    found: dict[str | None, list[str]] = {}
    for item in re.findall(r"<li>(.*?)</li>", match.group(0), re.S):
        link = re.fullmatch(r'<a href="#([^"]+)">(.*)</a>', item, re.S)
        field, text = (link.group(1), link.group(2)) if link else (None, item)
        found.setdefault(field, []).append(html.unescape(text))
    return found


def assert_shown(response: TestResponse, field: str | None, message: str) -> None:
    """`message` is in the error summary, linked to `field` (or for the form as a whole)."""
    messages = error_summary(response).get(field, [])
    assert any(message in text for text in messages), f"{message!r} not among {messages!r}"


def assert_error_page(response: TestResponse, status: int, message: str) -> None:
    assert response.status_code == status
    assert f"Error {status}" in response.get_data(as_text=True)
    assert message in html.unescape(response.get_data(as_text=True))


def is_signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session
