"""Password hashing and the password policy, shared by forms, services and the CLI."""

from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128
# A hash of a random string, checked against when an email is unknown so that a failed login
# takes as long whether or not the account exists.
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# The hash of an account created by invitation, before its owner sets a password by link:
# no password matches it, and making one costs nothing (an intake of thousands is created at
# once, where hashing a random password each would take minutes).
NO_PASSWORD_YET = "!unset"  # noqa: S105 (a marker, not a password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Check a password; with no usable hash, spend the same time and answer False."""
    if password_hash is None or password_hash == NO_PASSWORD_YET:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        password_hash = _DUMMY_HASH.setdefault(method, generate_password_hash("x" * 16, method))
        check_password_hash(password_hash, password)
        return False
    return check_password_hash(password_hash, password)


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    if email and password.strip().lower() == email.strip().lower():
        return "Your password cannot be your email address."
    return None
