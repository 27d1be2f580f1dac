"""Account services: creating users, signing in, roles, password changes and resets."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from lms import audit
from lms.auth.models import PasswordResetToken, User, UserRole, new_session_token
from lms.auth.passwords import (
    NO_PASSWORD_YET,
    hash_password,
    password_matches,
    password_problem,
)
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# Built once: a statement made afresh per request costs more to build than to run.
SESSION_USER = (
    select(User).where(User.id == bindparam("user_id")).options(joinedload(User.role_links))
)


def load_session_user(session_id: str) -> User | None:
    """The user behind a login cookie, if it is still valid: active, and token unchanged."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    # One query for the user and their roles: this runs on every signed-in request.
    found = db.session.scalars(SESSION_USER, {"user_id": int(user_id)}).unique()
    user = found.one_or_none()
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def create_user(
    *, email: str, full_name: str, password: str, roles: Iterable[Role], actor: User | None
) -> User:
    """Create an active account with the given roles."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError("An account with this email already exists.", field="email")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, field="password")
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password))
    user.role_links = [UserRole(role=Role(role).value) for role in set(roles)]
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor, target=user, details={"roles": sorted(user.roles)})
    return user


def invite_user(
    *,
    email: str,
    full_name: str,
    roles: Iterable[Role],
    actor: User | None,
    employee_number: str | None = None,
) -> User:
    """Create an account with no password: its owner sets one from a welcome link."""
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        password_hash=NO_PASSWORD_YET,
        employee_number=employee_number or None,
    )
    user.role_links = [UserRole(role=Role(role).value) for role in set(roles)]
    db.session.add(user)
    db.session.flush()
    audit.record("user.invited", actor=actor, target=user, details={"roles": sorted(user.roles)})
    return user


def update_profile(user: User, *, email: str, full_name: str, actor: User) -> None:
    """Change a user's email or name."""
    email = normalise_email(email)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise AccountError("An account with this email already exists.", field="email")
    changes = {}
    if user.email != email:
        changes["email"] = [user.email, email]
    if user.full_name != full_name.strip():
        changes["full_name"] = [user.full_name, full_name.strip()]
    if changes:
        user.email, user.full_name = email, full_name.strip()
        audit.record("user.updated", actor=actor, target=user, details=changes)


def set_roles(user: User, roles: Iterable[Role], *, actor: User) -> None:
    """Replace a user's roles; an admin cannot take the admin role from themselves."""
    wanted = frozenset(Role(role) for role in roles)
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in wanted:
        raise AccountError("You cannot remove your own administrator role.", field="roles")
    if wanted == user.roles:
        return
    before = sorted(user.roles)
    user.role_links = [link for link in user.role_links if Role(link.role) in wanted]
    user.role_links += [UserRole(role=role.value) for role in wanted - user.roles]
    audit.record(
        "user.roles_changed",
        actor=actor,
        target=user,
        details={"before": before, "after": sorted(wanted)},
    )


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    if user.id == actor.id and not active:
        raise AccountError("You cannot deactivate your own account.")
    if user.active == active:
        return
    user.active = active
    user.session_token = new_session_token()
    audit.record("user.reactivated" if active else "user.deactivated", actor=actor, target=user)


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User | None:
    """The user these credentials belong to, or None; failures are audited, successes too."""
    user = find_user_by_email(email)
    if not password_matches(user.password_hash if user else None, password):
        audit.record("login.failed", actor=user, details={"email": normalise_email(email)[:254]})
        return None
    assert user is not None
    if not user.active:
        audit.record("login.refused_inactive", actor=user, target=user)
        return None
    user.last_login_at = now or utcnow()
    audit.record("login.succeeded", actor=user, target=user)
    return user


def change_password(user: User, *, current: str, new: str) -> None:
    """Change one's own password; every other session of the user ends."""
    if not password_matches(user.password_hash, current):
        raise AccountError("Your current password is not correct.", field="current_password")
    _set_password(user, new)
    audit.record("user.password_changed", actor=user, target=user)


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, field="password")
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()


def reset_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(
    email: str, *, valid_for: timedelta, now: datetime | None = None
) -> tuple[User, str] | None:
    """Make a one-time reset token for an active account; None when there is none to reset.

    Returns the user and the secret to put in the link; only its hash is stored.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user=user,
            token_hash=reset_token_digest(token),
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    audit.record("password_reset.requested", actor=None, target=user)
    return user, token


def usable_reset_token(token: str, *, now: datetime | None = None) -> PasswordResetToken | None:
    """The stored reset token for this secret, if it is unused and unexpired."""
    if not token or len(token) > 128:
        return None
    stored = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == reset_token_digest(token))
    )
    if stored is None or not stored.usable(now or utcnow()) or not stored.user.active:
        return None
    return stored


def complete_password_reset(token: str, new_password: str, *, now: datetime | None = None) -> User:
    """Set a new password through a reset link, using the link up and ending other sessions."""
    now = now or utcnow()
    stored = usable_reset_token(token, now=now)
    if stored is None:
        raise AccountError("This reset link has expired or has already been used.")
    _set_password(stored.user, new_password)
    # Every outstanding link of this user dies with this one.
    for other in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == stored.user_id, PasswordResetToken.used_at.is_(None)
        )
    ):
        other.used_at = now
    audit.record("password_reset.completed", actor=stored.user, target=stored.user)
    return stored.user


def users_query(search: str | None = None, role: Role | None = None) -> Select[User]:
    """Users by name, narrowed by a search on name or email and by role."""
    query = select(User).order_by(func.lower(User.full_name), User.id)
    if search:
        query = query.where(
            or_(
                User.email.contains(search.lower(), autoescape=True),
                func.lower(User.full_name).contains(search.lower(), autoescape=True),
            )
        )
    if role:
        query = query.where(User.role_links.any(UserRole.role == role.value))
    return query


def unguessable_password() -> str:
    """A password nobody knows, for an account whose owner will set theirs by link."""
    return secrets.token_urlsafe(32)
