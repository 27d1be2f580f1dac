"""Hostile input at every form: a 4xx that names the problem, never a 500, nothing written.

Every form is posted a valid submission with one value made hostile: missing, empty, 10 kB
long, holding NUL or other control characters, of the wrong type, or sent twice. The answer
must be the form again with that field's message (422), or the error page (400, 404, 413), and
the tables must read exactly as before. Each valid submission would change a row or send mail,
so a check that stopped working shows up as a change. Bytes that are not UTF-8 are kept by
Werkzeug as literal `%XX` text; the last test pins that they are never garbled or a 500.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.auth import services
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from tests.conftest import PASSWORD, UserFactory, csrf_token, sign_in

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


def role_values(field: str = "roles") -> list[Case]:
    """Hostile values for the roles checkboxes: nothing ticked, and roles that do not exist."""
    invalid = "is not a valid choice for this field."
    return [
        (f"{field}-missing", {field: None}, field, "Give the user at least one role."),
        (f"{field}-empty", {field: ""}, field, f"'' {invalid}"),
        (f"{field}-unknown", {field: "superuser"}, field, f"'superuser' {invalid}"),
        (f"{field}-wrong-case", {field: "ADMIN"}, field, f"'ADMIN' {invalid}"),
        (
            f"{field}-one-unknown",
            {field: ["learner", "superuser"]},
            field,
            f"'superuser' {invalid}",
        ),
        (f"{field}-10kB", {field: "x" * 10_000}, field, invalid),
        (f"{field}-nul", {field: "admin\x00"}, field, CONTROL),
        (f"{field}-not-utf8", {field: b"\xffadmin"}, field, invalid),
    ]


LOGIN_CASES: list[Case] = [
    *hostile_values(
        "email", LEARNER_EMAIL, required="Enter your email.", too_long=longer_than(254)
    ),
    *hostile_values(
        "password", PASSWORD, required="Enter your password.", too_long=longer_than(1024)
    ),
    *hostile_values("next", "/account", required=None, too_long=longer_than(2048)),
    ("wrong-password", {"password": PASSWORD + "!"}, None, GENERIC_LOGIN_ERROR),
    ("unknown-email", {"email": "nobody@example.com"}, None, GENERIC_LOGIN_ERROR),
    ("email-not-an-address", {"email": "not-an-email"}, None, GENERIC_LOGIN_ERROR),
    *[
        (
            f"{field}-not-utf8-{name}",
            {field: sample[:3].encode() + raw + sample[3:].encode()},
            None,
            GENERIC_LOGIN_ERROR,
        )
        for field, sample in [("email", LEARNER_EMAIL), ("password", PASSWORD)]
        for name, raw in NOT_UTF8.items()
    ],
]

FORM_CASES: list[tuple[str, Case]] = [
    *[
        ("password-reset", case)
        for case in [
            *hostile_values(
                "email", LEARNER_EMAIL, required="Enter your email.", too_long=longer_than(254)
            ),
            ("email-not-an-address", {"email": "not-an-email"}, "email", BAD_EMAIL),
            ("email-no-local-part", {"email": "@example.com"}, "email", BAD_EMAIL),
            ("email-no-domain", {"email": "lee.learner@"}, "email", BAD_EMAIL),
            ("email-with-space", {"email": "lee learner@example.com"}, "email", BAD_EMAIL),
        ]
    ],
    *[
        ("password-reset-link", case)
        for case in [
            *hostile_values(
                "new_password",
                NEW_PASSWORD,
                required="Choose a new password.",
                too_long="Use at most 128 characters.",
            ),
            *hostile_values(
                "confirm_password",
                NEW_PASSWORD,
                required="Repeat the new password.",
                too_long="The two passwords do not match.",
            ),
            (
                "new-password-too-short",
                {"new_password": "too short", "confirm_password": "too short"},
                "new_password",
                "Use at least 10 characters.",
            ),
            (
                "passwords-differ",
                {"confirm_password": NEW_PASSWORD.upper()},
                "confirm_password",
                "The two passwords do not match.",
            ),
            (
                "new-password-is-the-email",
                {"new_password": LEARNER_EMAIL, "confirm_password": LEARNER_EMAIL},
                "new_password",
                "Your password cannot be your email address.",
            ),
        ]
    ],
    *[
        ("change-password", case)
        for case in [
            *hostile_values(
                "current_password",
                PASSWORD,
                required="Enter your current password.",
                too_long=longer_than(1024),
            ),
            *hostile_values(
                "new_password",
                NEW_PASSWORD,
                required="Choose a new password.",
                too_long="Use at most 128 characters.",
            ),
            *hostile_values(
                "confirm_password",
                NEW_PASSWORD,
                required="Repeat the new password.",
                too_long="The two passwords do not match.",
            ),
            (
                "current-password-wrong",
                {"current_password": PASSWORD + "!"},
                "current_password",
                "Your current password is not correct.",
            ),
            (
                "new-password-too-short",
                {"new_password": "too short", "confirm_password": "too short"},
                "new_password",
                "Use at least 10 characters.",
            ),
            (
                "new-password-is-the-email",
                {"new_password": LEARNER_EMAIL, "confirm_password": LEARNER_EMAIL},
                "new_password",
                "Your password cannot be your email address.",
            ),
        ]
    ],
    *[
        ("new-user", case)
        for case in [
            *hostile_values(
                "full_name",
                "Nora New",
                required="Enter the person's name.",
                too_long=longer_than(120),
            ),
            *hostile_values(
                "email",
                "nora.new@example.com",
                required="Enter an email address.",
                too_long=longer_than(254),
            ),
            *hostile_values(
                "password",
                "nora's passphrase",
                required=None,
                too_long="Use at most 128 characters.",
            ),
            *role_values(),
            ("email-not-an-address", {"email": "not-an-email"}, "email", BAD_EMAIL),
            (
                "email-taken",
                {"email": LEARNER_EMAIL},
                "email",
                "An account with this email already exists.",
            ),
            (
                "email-taken-other-case",
                {"email": LEARNER_EMAIL.upper()},
                "email",
                "An account with this email already exists.",
            ),
            (
                "password-too-short",
                {"password": "short"},
                "password",
                "Use at least 10 characters.",
            ),
            (
                "password-only-spaces",
                {"password": " " * 12},
                "password",
                "A password cannot be only spaces.",
            ),
            (
                "password-is-the-email",
                {"password": "nora.new@example.com"},
                "password",
                "Your password cannot be your email address.",
            ),
        ]
    ],
    *[
        ("edit-user", case)
        for case in [
            # A field left out of this post keeps its stored value (the form is filled from the
            # user first), so "missing" is covered by empty values here.
            *hostile_values(
                "full_name",
                "Lee Renamed",
                required="Enter the person's name.",
                too_long=longer_than(120),
                missing=False,
            ),
            *hostile_values(
                "email",
                LEARNER_EMAIL,
                required="Enter an email address.",
                too_long=longer_than(254),
                missing=False,
            ),
            *role_values(),
            ("email-not-an-address", {"email": "not-an-email"}, "email", BAD_EMAIL),
            (
                "email-taken",
                {"email": ADMIN_EMAIL},
                "email",
                "An account with this email already exists.",
            ),
        ]
    ],
    (
        "edit-own-account",
        (
            "own-admin-role-removed",
            {"roles": ["learner"]},
            "roles",
            "You cannot remove your own administrator role.",
        ),
    ),
]

ACTIVE_VALUES: list[Any] = [
    pytest.param(None, id="missing"),
    pytest.param("", id="empty"),
    pytest.param("maybe", id="maybe"),
    pytest.param("true", id="true"),
    pytest.param("2", id="two"),
    pytest.param("-1", id="minus-one"),
    pytest.param(" 0", id="padded"),
    pytest.param("0\x00", id="nul"),
    pytest.param("x" * 10_000, id="10kB"),
    pytest.param(b"\xff", id="not-utf8"),
    pytest.param(["1", "0"], id="sent-twice"),
]

FILTER_CASES: list[Any] = [
    *[
        pytest.param("/admin/users", changes, field, message, id=f"users-{name}")
        for name, changes, field, message in [
            *hostile_values("q", "Lee", required=None, too_long=longer_than(254)),
            ("role-unknown", {"role": "superuser"}, "role", "Not a valid choice."),
            ("role-wrong-case", {"role": "ADMIN"}, "role", "Not a valid choice."),
            ("role-10kB", {"role": "x" * 10_000}, "role", "Not a valid choice."),
            ("role-nul", {"role": "admin\x00"}, "role", CONTROL),
            ("role-not-utf8", {"role": b"admin\xff"}, "role", "Not a valid choice."),
            ("role-sent-twice", {"role": ["admin", "learner"]}, "role", SENT_TWICE),
        ]
    ],
    *[
        pytest.param("/admin/audit", changes, field, message, id=f"audit-{name}")
        for name, changes, field, message in [
            *hostile_values("action", "user.created", required=None, too_long=longer_than(64)),
            *hostile_values("actor", "ada", required=None, too_long=longer_than(254)),
            ("since-not-a-date", {"since": "not-a-date"}, "since", BAD_DATE),
            ("since-no-such-day", {"since": "2025-02-30"}, "since", BAD_DATE),
            ("since-no-such-month", {"since": "2025-13-01"}, "since", BAD_DATE),
            ("since-10kB", {"since": "2" * 10_000}, "since", BAD_DATE),
            ("since-nul", {"since": "2025-01-01\x00"}, "since", BAD_DATE),
            ("since-not-utf8", {"since": b"2025-01-01\xff"}, "since", BAD_DATE),
            ("since-sent-twice", {"since": ["2025-01-01", "2025-02-01"]}, "since", BAD_DATE),
            ("since-first-day", {"since": "0001-01-01"}, "since", DATE_RANGE),
            ("until-not-a-date", {"until": "not-a-date"}, "until", BAD_DATE),
            ("until-last-day", {"until": "9999-12-31"}, "until", DATE_RANGE),
            (
                "until-before-since",
                {"since": "2025-03-01", "until": "2025-02-01"},
                "until",
                "The end date is before the start date.",
            ),
        ]
    ],
]

# A user id nobody has: unused, zero, and past what 32-bit and 64-bit integer columns hold.
UNKNOWN_IDS = ["999999", "0", str(2**31), str(2**63), "9" * 30]
# Ids the URL rules themselves refuse.
MALFORMED_IDS = ["-1", "abc", "1.5", "%FF", "1%00", "1%20"]

OFF_SITE_NEXT = [
    "//evil.example",
    "https://evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "///evil.example",
    "////evil.example/x",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/\t/evil.example",
    "/\r\n//evil.example",
    "evil.example",
    "\uff0f\uff0fevil.example",
]


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


@pytest.mark.parametrize(
    ("changes", "field", "message"), [pytest.param(*case[1:], id=case[0]) for case in LOGIN_CASES]
)
def test_login_refuses_a_hostile_value_with_its_message(
    app: Flask, world: World, changes: Fields, field: str | None, message: str
) -> None:
    """A bad sign-in gets 422 and a message, signs no one in and changes no account."""
    post = world.post("login")
    client = world.client(None)
    token = csrf_token(client, post.page)
    before = snapshot(app)

    response = post_form(client, post.target, {**post.fields, **changes}, token=token)

    assert response.status_code == 422
    assert_shown(response, field, message)
    assert not is_signed_in(client)
    assert list(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")) == []
    after = snapshot(app)
    for table in ACCOUNT_TABLES:
        assert after[table] == before[table]
    # A refused sign-in is audited by design; nothing else may be.
    added = [row["action"] for row in after["audit_events"] if row not in before["audit_events"]]
    assert set(added) <= {"login.failed"}


@pytest.mark.parametrize(
    ("form", "changes", "field", "message"),
    [pytest.param(form, *case[1:], id=f"{form}-{case[0]}") for form, case in FORM_CASES],
)
def test_a_form_refuses_a_hostile_value_with_its_message(
    app: Flask, world: World, before: Snapshot, form: str, changes: Fields, field: str, message: str
) -> None:
    """Each hostile value gets 422 and its field's message; nothing is written or sent."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)

    response = post_form(client, post.target, {**post.fields, **changes}, token=token)

    assert response.status_code == 422
    assert_shown(response, field, message)
    assert_nothing_written(app, before)


@pytest.mark.parametrize("active", ACTIVE_VALUES)
def test_activation_refuses_anything_but_one_zero_or_one(
    app: Flask, world: World, before: Snapshot, active: Value
) -> None:
    """The active switch takes exactly one "0" or "1"; anything else is a 400 with a message."""
    post = world.post("set-active")
    client = world.client(post.sender)
    token = csrf_token(client, post.page)

    response = post_form(client, post.target, {"active": active}, token=token)

    assert_error_page(response, 400, INCOMPLETE)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(("path", "changes", "field", "message"), FILTER_CASES)
def test_a_filter_refuses_a_hostile_value_with_its_message(
    app: Flask, world: World, before: Snapshot, path: str, changes: Fields, field: str, message: str
) -> None:
    """A bad filter on the user list or the audit log is a 400 that names the field."""
    client = world.client(world.admin)

    response = client.get(path, query_string=encode(changes))

    assert response.status_code == 400
    assert_shown(response, field, message)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("not-a-token", id="forged"),
        pytest.param("another-session", id="from-another-session"),
        pytest.param("x" * 10_000, id="10kB"),
        pytest.param("\x00", id="nul"),
    ],
)
@pytest.mark.parametrize("form", POST_FORMS)
def test_a_post_without_this_sessions_token_is_refused(
    app: Flask, world: World, before: Snapshot, form: str, token: str | None
) -> None:
    """A missing or foreign CSRF token is a 400 saying the form expired or came from elsewhere."""
    post = world.post(form)
    client = world.client(post.sender)
    csrf_token(client, post.page)  # the session has a token; the post does not carry it
    if token == "another-session":
        token = csrf_token(app.test_client(), "/login")

    response = post_form(client, post.target, post.fields, token=token)

    assert_error_page(response, 400, CSRF_MESSAGE)
    assert is_signed_in(client) == (post.sender is not None)
    assert_nothing_written(app, before)


@pytest.mark.parametrize("wants_json", [False, True], ids=["page", "json"])
@pytest.mark.parametrize("form", POST_FORMS)
def test_a_body_over_the_size_limit_is_refused(
    app: Flask, world: World, before: Snapshot, form: str, wants_json: bool
) -> None:
    """A post larger than MAX_CONTENT_LENGTH is a 413, even with a good token and fields."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)
    padding = "x" * int(app.config["MAX_CONTENT_LENGTH"])
    headers = {"Accept": "application/json"} if wants_json else {}

    response = post_form(
        client, post.target, {**post.fields, "padding": padding}, token=token, headers=headers
    )

    if wants_json:
        assert response.status_code == 413
        assert response.json == {"error": "Too large", "message": TOO_LARGE, "status": 413}
    else:
        assert_error_page(response, 413, TOO_LARGE)
    assert_nothing_written(app, before)


@pytest.mark.parametrize("user_id", UNKNOWN_IDS + MALFORMED_IDS)
@pytest.mark.parametrize(
    ("method", "path", "fields"),
    [
        pytest.param("GET", "/admin/users/{}", {}, id="view"),
        pytest.param(
            "POST",
            "/admin/users/{}",
            {"full_name": "X Y", "email": "x@example.com", "roles": "hr"},
            id="edit",
        ),
        pytest.param("POST", "/admin/users/{}/active", {"active": "0"}, id="set-active"),
        pytest.param("POST", "/admin/users/{}/password-link", {}, id="password-link"),
    ],
)
def test_an_unknown_user_id_is_not_found(
    app: Flask, world: World, before: Snapshot, method: str, path: str, fields: Fields, user_id: str
) -> None:
    """A user id that names nobody, however large or odd, is a 404, never a 500."""
    client = world.client(world.admin)
    url = path.format(user_id)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/admin/users/new")
        response = post_form(client, url, fields, token=token)

    assert_error_page(response, 404, NOT_FOUND)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    "token",
    ["no-such-token", "x" * 129, "x" * 10_000, "%00", "abc%00", "%FF%FE"],
)
def test_a_bad_reset_link_is_not_found(
    app: Flask, world: World, before: Snapshot, token: str
) -> None:
    """A reset link that is not a live one says so with a 404; the live one stays unused."""
    post = world.post("password-reset-link")
    client = world.client(None)
    csrf = csrf_token(client, post.page)

    response = post_form(client, f"/password-reset/{token}", post.fields, token=csrf)

    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    ("form", "body", "field", "message"),
    [
        pytest.param(
            "login",
            {"email": 5, "password": PASSWORD},
            "email",
            "Enter your email.",
            id="login-number",
        ),
        pytest.param(
            "login", [LEARNER_EMAIL, PASSWORD], "email", "Enter your email.", id="login-list"
        ),
        pytest.param("login", 5, "email", "Enter your email.", id="login-bare-number"),
        pytest.param(
            "login",
            {"email": {"a": 1}, "password": None},
            "email",
            "Enter your email.",
            id="login-object",
        ),
        pytest.param(
            "new-user",
            {"full_name": 5, "email": [1], "roles": {"admin": True}},
            "full_name",
            "Enter the person's name.",
            id="new-user-wrong-types",
        ),
        pytest.param(
            "change-password",
            {"current_password": 1, "new_password": 1e99},
            "current_password",
            "Enter your current password.",
            id="change-password-numbers",
        ),
    ],
)
def test_a_json_body_is_not_read_as_the_form(
    app: Flask, world: World, before: Snapshot, form: str, body: Any, field: str, message: str
) -> None:
    """The forms take form posts: JSON values of any type are not fields, so fields are missing."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)

    response = client.post(post.target, json=body, headers={"X-CSRFToken": token})

    assert response.status_code == 422
    assert_shown(response, field, message)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        pytest.param("login", "email", "Enter your email.", id="login"),
        pytest.param("password-reset", "email", "Enter your email.", id="password-reset"),
        pytest.param("new-user", "full_name", "Enter the person's name.", id="new-user"),
        pytest.param(
            "change-password",
            "current_password",
            "Enter your current password.",
            id="change-password",
        ),
    ],
)
def test_a_file_is_not_taken_for_a_text_field(
    app: Flask, world: World, before: Snapshot, form: str, field: str, message: str
) -> None:
    """An upload where text is expected is no value at all: 422 with the field's message."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)
    fields: dict[str, Any] = {k: v for k, v in post.fields.items() if v is not None}
    fields[field] = (io.BytesIO(b"lee.learner@example.com"), "value.txt")

    response = client.post(post.target, data={**fields, "csrf_token": token})

    assert response.status_code == 422
    assert_shown(response, field, message)
    assert_nothing_written(app, before)


def _is_local(location: str | None) -> bool:
    parts = urlsplit(location or "")
    return (
        bool(location)
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
    )


@pytest.mark.parametrize("target", OFF_SITE_NEXT)
def test_sign_in_never_redirects_off_site(world: World, target: str) -> None:
    """A `next` that leads to another site is dropped: the person lands on their dashboard."""
    post = world.post("login")
    client = world.client(None)
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "evil.example" not in page
    token = csrf_token(client, post.page)

    response = post_form(client, post.target, {**post.fields, "next": target}, token=token)

    assert response.status_code == 302
    assert response.location == "/dashboard"
    assert is_signed_in(client)


@pytest.mark.parametrize("target", OFF_SITE_NEXT)
def test_a_signed_in_visit_to_login_never_redirects_off_site(world: World, target: str) -> None:
    """Someone already signed in who follows a login link with a hostile `next` stays here."""
    client = world.client(world.learner)

    response = client.get("/login", query_string={"next": target})

    assert response.status_code == 302
    assert response.location == "/dashboard"


@pytest.mark.parametrize(
    "target", ["/account/password", "/admin/users?q=lee&role=learner", "/%2F%2Fevil.example"]
)
def test_sign_in_follows_a_local_next(world: World, target: str) -> None:
    """A `next` on this site is followed, and stays a path on this site."""
    post = world.post("login")
    client = world.client(None)
    token = csrf_token(client, post.page)

    response = post_form(client, post.target, {**post.fields, "next": target}, token=token)

    assert response.status_code == 302
    assert response.location == target
    assert _is_local(response.location)


@pytest.mark.parametrize(
    ("form", "fields", "token", "status", "title", "message"),
    [
        ("set-active", {"active": "maybe"}, True, 400, "Bad request", INCOMPLETE),
        ("new-user", {}, False, 400, "Bad request", CSRF_MESSAGE),
        ("logout", {}, False, 400, "Bad request", CSRF_MESSAGE),
    ],
)
def test_a_json_client_gets_a_json_error(
    app: Flask,
    world: World,
    before: Snapshot,
    form: str,
    fields: Fields,
    token: bool,
    status: int,
    title: str,
    message: str,
) -> None:
    """A client that asks for JSON gets the refusal as JSON, with the same message."""
    post = world.post(form)
    client = world.client(post.sender)
    csrf = csrf_token(client, post.page)

    response = post_form(
        client,
        post.target,
        {**post.fields, **fields},
        token=csrf if token else None,
        headers={"Accept": "application/json"},
    )

    assert response.status_code == status
    assert response.json == {"error": title, "message": message, "status": status}
    assert_nothing_written(app, before)


def test_a_json_client_asking_for_an_unknown_user_gets_a_json_404(
    app: Flask, world: World, before: Snapshot
) -> None:
    """An unknown id answers a JSON client with a JSON 404."""
    client = world.client(world.admin)

    response = client.get("/admin/users/999999", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.json == {"error": "Page not found", "message": NOT_FOUND, "status": 404}
    assert_nothing_written(app, before)


@pytest.mark.parametrize("raw", list(NOT_UTF8.values()), ids=list(NOT_UTF8))
def test_bytes_that_are_not_utf8_are_kept_as_their_escapes(
    app: Flask, world: World, raw: bytes
) -> None:
    """Bytes that are not UTF-8 are not guessed at, nor a 500: they stay literal `%XX` text."""
    escaped = "".join(f"%{byte:02X}" for byte in raw)
    client = world.client(world.admin)
    token = csrf_token(client, "/admin/users/new")

    search = client.get("/admin/users", query_string=encode({"q": b"Lee" + raw}))
    created = post_form(
        client,
        "/admin/users/new",
        {"full_name": b"Nora " + raw, "email": "nora.new@example.com", "roles": "learner"},
        token=token,
    )

    assert search.status_code == 200
    assert f'value="Lee{escaped}"' in search.get_data(as_text=True)
    assert created.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(User.full_name).where(User.email.startswith("nora.")))
    assert stored == f"Nora {escaped}"
