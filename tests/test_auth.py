"""Signing in and out: landing pages, generic errors, session rotation, deactivation."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.audit import AuditEvent
from lms.auth.roles import Role
from lms.extensions import db
from tests.conftest import PASSWORD, UserFactory, csrf_token, sign_in


def log_in(client: FlaskClient, email: str, password: str = PASSWORD, next_: str = ""):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, "next": next_}
    )


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_dashboard(
    client: FlaskClient, make_user: UserFactory, role: Role
) -> None:
    """After sign-in the user is sent to the dashboard of the role they hold."""
    user = make_user(role)
    response = log_in(client, user.email)
    assert response.status_code == 302
    landing = client.get(response.location, follow_redirects=True)
    assert landing.request.path == f"/dashboard/{role.value}"
    assert f"{role.label} dashboard" in landing.get_data(as_text=True)


def test_a_user_with_several_roles_lands_on_the_most_demanding(
    client: FlaskClient, make_user: UserFactory
) -> None:
    """Admin outranks trainer and learner for the landing page; the nav lists all three."""
    user = make_user(Role.LEARNER, Role.TRAINER, Role.ADMIN)
    page = client.get(log_in(client, user.email).location, follow_redirects=True)
    assert page.request.path == "/dashboard/admin"
    text = page.get_data(as_text=True)
    for label in ("Learner", "Trainer", "Administrator"):
        assert f">{label}</a>" in text


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: FlaskClient, make_user: UserFactory
) -> None:
    """The error does not reveal whether an account exists."""
    user = make_user(Role.LEARNER)
    wrong = log_in(client, user.email, "not the password")
    unknown = log_in(client, "nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    message = "The email or password is not correct, or the account is not active."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_sign_in_is_case_insensitive_on_email(client: FlaskClient, make_user: UserFactory) -> None:
    """People type their email with capitals; that must not lock them out."""
    user = make_user(Role.LEARNER, email="thandi@example.com")
    assert log_in(client, "  Thandi@Example.COM ").status_code == 302
    assert user.email == "thandi@example.com"


def test_sign_in_starts_a_fresh_session(client: FlaskClient, make_user: UserFactory) -> None:
    """Nothing placed in the session before sign-in survives it."""
    user = make_user(Role.LEARNER)
    csrf_token(client, "/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_next_is_followed_only_to_paths_of_this_site(
    client: FlaskClient, make_user: UserFactory
) -> None:
    """A local next= is honoured; an off-site one is replaced by the dashboard."""
    user = make_user(Role.LEARNER)
    assert log_in(client, user.email, next_="/account").location == "/account"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    off_site = log_in(client, user.email, next_="//evil.example/login")
    assert off_site.location == "/dashboard"


def test_a_stranger_is_sent_to_sign_in_and_back(
    client: FlaskClient, make_user: UserFactory
) -> None:
    """Opening a protected page asks for sign-in, then returns to that page."""
    user = make_user(Role.LEARNER)
    response = client.get("/account")
    assert response.status_code == 302
    assert response.location == "/login?next=/account"
    page = client.get(response.location).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account"' in page
    assert log_in(client, user.email, next_="/account").location == "/account"


def test_logout_needs_a_post_with_a_csrf_token(client: FlaskClient, make_user: UserFactory) -> None:
    """A link or a forged form cannot sign somebody out; the real button does."""
    sign_in(client, make_user(Role.LEARNER))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.location == "/login"
    assert client.get("/account").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client: FlaskClient, make_user: UserFactory) -> None:
    """The correct password of a deactivated account is refused with the generic message."""
    user = make_user(Role.LEARNER, active=False)
    response = log_in(client, user.email)
    assert response.status_code == 422
    assert "not correct, or the account is not active" in response.get_data(as_text=True)


def test_deactivation_ends_the_users_open_sessions(
    app: Flask, client: FlaskClient, make_user: UserFactory
) -> None:
    """A learner signed in elsewhere is signed out the moment an admin deactivates them."""
    learner = make_user(Role.LEARNER)
    assert log_in(client, learner.email).status_code == 302
    assert client.get("/dashboard/learner").status_code == 200
    admin = sign_in(app.test_client(), make_user(Role.ADMIN))
    token = csrf_token(admin, f"/admin/users/{learner.id}")
    admin.post(f"/admin/users/{learner.id}/active", data={"active": "0", "csrf_token": token})
    response = client.get("/dashboard/learner")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_sign_ins_and_failures_are_audited(
    app: Flask, client: FlaskClient, make_user: UserFactory
) -> None:
    """Both a failed and a successful sign-in leave an audit event with the address."""
    user = make_user(Role.LEARNER)
    log_in(client, user.email, "wrong password!")
    log_in(client, user.email)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        actions = [(e.action, e.actor_id, e.ip_address) for e in events]
    assert ("login.failed", user.id, "127.0.0.1") in actions
    assert ("login.succeeded", user.id, "127.0.0.1") in actions
