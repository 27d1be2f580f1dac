"""Hostile values in each field of each form: 422 and the field's message, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.bad_input.conftest import (
    ACCOUNT_TABLES,
    ADMIN_EMAIL,
    BAD_EMAIL,
    CONTROL,
    GENERIC_LOGIN_ERROR,
    INCOMPLETE,
    LEARNER_EMAIL,
    NEW_PASSWORD,
    NOT_UTF8,
    Case,
    Fields,
    Snapshot,
    Value,
    World,
    assert_error_page,
    assert_nothing_written,
    assert_shown,
    hostile_values,
    is_signed_in,
    longer_than,
    post_form,
    snapshot,
)
from tests.conftest import PASSWORD, csrf_token


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

# The new-password pair behaves the same on the reset link and on the change form.
NEW_PASSWORD_CASES: list[Case] = [
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
        "new-password-is-the-email",
        {"new_password": LEARNER_EMAIL, "confirm_password": LEARNER_EMAIL},
        "new_password",
        "Your password cannot be your email address.",
    ),
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
            *NEW_PASSWORD_CASES,
            (
                "passwords-differ",
                {"confirm_password": NEW_PASSWORD.upper()},
                "confirm_password",
                "The two passwords do not match.",
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
            *NEW_PASSWORD_CASES,
            (
                "current-password-wrong",
                {"current_password": PASSWORD + "!"},
                "current_password",
                "Your current password is not correct.",
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
