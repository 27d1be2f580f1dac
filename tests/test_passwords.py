"""Changing one's password, and resetting it through a one-time emailed link."""

from __future__ import annotations

import email
import re
from datetime import timedelta
from email.message import Message
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from lms.auth import services
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from tests.conftest import PASSWORD, UserFactory, csrf_token, sign_in
from tests.test_auth import log_in

NEW_PASSWORD = "a brand new passphrase"


def read_outbox(outbox: Path) -> list[Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]


def reset_link(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    match = re.search(r"http://localhost(/password-reset/\S+)", body.decode())
    assert match, body
    return match.group(1)


def request_reset(client: FlaskClient, address: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/password-reset")
    return client.post("/password-reset", data={"email": address, "csrf_token": token})


def set_new_password(client: FlaskClient, path: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf_token(client, path)
    return client.post(
        path,
        data={"new_password": password, "confirm_password": password, "csrf_token": token},
    )


def test_changing_the_password_signs_out_other_devices(app: Flask, make_user: UserFactory) -> None:
    """The device that changed it stays signed in; every other session ends."""
    user = make_user(Role.LEARNER)
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, user.email)
    log_in(elsewhere, user.email)
    token = csrf_token(here, "/account/password")
    response = here.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.location == "/account"
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert log_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert log_in(app.test_client(), user.email, PASSWORD).status_code == 422


def test_a_wrong_current_password_changes_nothing(
    app: Flask, client: FlaskClient, make_user: UserFactory
) -> None:
    """The form names the field that was wrong and the old password still works."""
    user = make_user(Role.LEARNER)
    sign_in(client, user)
    token = csrf_token(client, "/account/password")
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "Your current password is not correct." in response.get_data(as_text=True)
    assert log_in(app.test_client(), user.email, PASSWORD).status_code == 302


def test_a_short_or_mismatched_new_password_is_refused(
    client: FlaskClient, make_user: UserFactory
) -> None:
    """The policy and the confirmation are checked, each with its own message."""
    sign_in(client, make_user(Role.LEARNER))
    token = csrf_token(client, "/account/password")
    data = {"current_password": PASSWORD, "csrf_token": token}
    short = client.post(
        "/account/password", data={**data, "new_password": "short", "confirm_password": "short"}
    )
    assert "Use at least 10 characters." in short.get_data(as_text=True)
    mismatch = client.post(
        "/account/password",
        data={**data, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"},
    )
    assert "The two passwords do not match." in mismatch.get_data(as_text=True)


def test_password_reset_by_emailed_link(
    app: Flask, client: FlaskClient, make_user: UserFactory, outbox: Path
) -> None:
    """The link in the .eml file sets a new password once; the old password stops working."""
    user = make_user(Role.LEARNER)
    response = request_reset(client, user.email)
    assert response.location == "/login"
    [message] = read_outbox(outbox)
    assert message["To"] == user.email
    path = reset_link(message)
    assert set_new_password(client, path).location == "/login"
    assert log_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert log_in(app.test_client(), user.email, PASSWORD).status_code == 422
    used_again = client.get(path)
    assert used_again.status_code == 404
    assert "This link no longer works" in used_again.get_data(as_text=True)


def test_an_unknown_email_gets_the_same_answer_and_no_mail(
    client: FlaskClient, make_user: UserFactory, outbox: Path
) -> None:
    """Asking for a reset does not reveal whether the account exists."""
    user = make_user(Role.LEARNER)
    known = request_reset(client, user.email)
    unknown = request_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert len(read_outbox(outbox)) == 1


def test_a_reset_link_expires(app: Flask, client: FlaskClient, make_user: UserFactory) -> None:
    """A link older than its lifetime is refused and the password is unchanged."""
    user = make_user(Role.LEARNER)
    with app.app_context():
        started = services.start_password_reset(
            user.email, valid_for=timedelta(minutes=60), now=utcnow() - timedelta(minutes=61)
        )
        assert started is not None
        db.session.commit()
    path = f"/password-reset/{started[1]}"
    assert client.get(path).status_code == 404
    token = csrf_token(client, "/password-reset")
    response = client.post(
        path,
        data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 404
    assert log_in(app.test_client(), user.email, PASSWORD).status_code == 302


def test_a_new_password_ends_every_outstanding_link(
    app: Flask, client: FlaskClient, make_user: UserFactory, outbox: Path
) -> None:
    """Two links were sent; using one makes the other useless too."""
    user = make_user(Role.LEARNER)
    request_reset(client, user.email)
    request_reset(client, user.email)
    first, second = (reset_link(m) for m in read_outbox(outbox))
    assert set_new_password(client, second).status_code == 302
    assert client.get(first).status_code == 404
