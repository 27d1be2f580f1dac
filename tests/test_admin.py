"""Admin pages: adding users, editing roles, deactivation, and the audit log."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lms import audit
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from tests.conftest import UserFactory, csrf_token, sign_in
from tests.test_passwords import read_outbox, reset_link


def admin_client(app: Flask, make_user: UserFactory) -> tuple[FlaskClient, User]:
    admin = make_user(Role.ADMIN, full_name="Ayesha Admin")
    return sign_in(app.test_client(), admin), admin


def stored_user(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        _ = user.role_links
        db.session.expunge(user)
        return user


def test_an_admin_adds_a_user_who_sets_a_password_by_link(
    app: Flask, make_user: UserFactory, outbox: Path
) -> None:
    """Without a password, the new user gets a welcome link; the creation is audited."""
    client, admin = admin_client(app, make_user)
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Nomvula Dlamini",
            "email": "Nomvula@Example.com",
            "roles": ["learner", "trainer"],
            "csrf_token": token,
        },
    )
    user = stored_user(app, "nomvula@example.com")
    assert response.location == f"/admin/users/{user.id}"
    assert user.roles == {Role.LEARNER, Role.TRAINER}
    [message] = read_outbox(outbox)
    assert message["To"] == "nomvula@example.com"
    assert reset_link(message).startswith("/password-reset/")
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "user.created", AuditEvent.object_id == str(user.id)
            )
        )
        assert event is not None
        assert (event.actor_id, event.details) == (admin.id, {"roles": ["learner", "trainer"]})


def test_a_duplicate_email_is_refused_on_the_field(app: Flask, make_user: UserFactory) -> None:
    """Adding a second account with the same email names the email field and adds nothing."""
    client, _ = admin_client(app, make_user)
    existing = make_user(Role.LEARNER)
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={"full_name": "Copy", "email": existing.email, "roles": ["hr"], "csrf_token": token},
    )
    assert response.status_code == 422
    assert "Email: An account with this email already exists." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_changing_roles_is_audited_with_before_and_after(
    app: Flask, make_user: UserFactory
) -> None:
    """The audit event says which roles the user had and has now."""
    client, _ = admin_client(app, make_user)
    user = make_user(Role.LEARNER)
    token = csrf_token(client, f"/admin/users/{user.id}")
    client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name": user.full_name,
            "email": user.email,
            "roles": ["assessor", "moderator"],
            "csrf_token": token,
        },
    )
    assert stored_user(app, user.email).roles == {Role.ASSESSOR, Role.MODERATOR}
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "user.roles_changed")
        )
        assert event is not None
        assert event.details == {"before": ["learner"], "after": ["assessor", "moderator"]}


def test_an_admin_cannot_lock_themselves_out(app: Flask, make_user: UserFactory) -> None:
    """Removing one's own admin role or deactivating oneself is refused with a reason."""
    client, admin = admin_client(app, make_user)
    token = csrf_token(client, f"/admin/users/{admin.id}")
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"full_name": "A", "email": admin.email, "roles": ["learner"], "csrf_token": token},
    )
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    response = client.post(
        f"/admin/users/{admin.id}/active",
        data={"active": "0", "csrf_token": token},
        follow_redirects=True,
    )
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    after = stored_user(app, admin.email)
    assert after.active and Role.ADMIN in after.roles


def test_deactivate_and_reactivate_are_audited(app: Flask, make_user: UserFactory) -> None:
    """Both changes of status leave an event naming the admin and the user."""
    client, admin = admin_client(app, make_user)
    user = make_user(Role.LEARNER)
    token = csrf_token(client, f"/admin/users/{user.id}")
    for active in ("0", "1"):
        client.post(f"/admin/users/{user.id}/active", data={"active": active, "csrf_token": token})
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_id == str(user.id), AuditEvent.actor_id == admin.id)
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["user.deactivated", "user.reactivated"]


def test_the_user_list_searches_and_pages(app: Flask, make_user: UserFactory) -> None:
    """A search narrows the list; a long list is split into pages of PAGE_SIZE."""
    client, _ = admin_client(app, make_user)
    for n in range(7):
        make_user(Role.LEARNER, full_name=f"Agent {n}", email=f"agent{n}@example.com")
    app.config["PAGE_SIZE"] = 3
    try:
        page = client.get("/admin/users?q=agent&page=3").get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = 50
    assert "Page 3 of 3" in page
    assert "agent6@example.com" in page
    assert "agent0@example.com" not in page
    only_admins = client.get("/admin/users?role=admin").get_data(as_text=True)
    assert "Ayesha Admin" in only_admins and "agent1@example.com" not in only_admins


def test_the_audit_log_filters_by_action_person_and_date(
    app: Flask, make_user: UserFactory
) -> None:
    """Each filter narrows the events shown; a bad date range is explained."""
    client, admin = admin_client(app, make_user)
    with app.app_context():
        actor = db.session.get(User, admin.id)
        audit.record("user.updated", actor=actor, target=actor, ip_address="10.1.2.3")
        audit.record("cohort.created", actor=None)
        db.session.commit()
    by_action = client.get("/admin/audit?action=cohort.created").get_data(as_text=True)
    assert "cohort.created" in by_action and "10.1.2.3" not in by_action
    by_actor = client.get(f"/admin/audit?actor={admin.email}").get_data(as_text=True)
    assert "10.1.2.3" in by_actor and "<code>cohort.created</code>" not in by_actor
    assert f'<a href="/admin/users/{admin.id}">user #{admin.id}</a>' in by_actor
    future = client.get("/admin/audit?since=2999-01-01").get_data(as_text=True)
    assert "No events match." in future
    backwards = client.get("/admin/audit?since=2026-02-01&until=2026-01-01")
    assert backwards.status_code == 400
    assert "The end date is before the start date." in backwards.get_data(as_text=True)
