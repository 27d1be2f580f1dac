"""Settings: defaults here, overridden by `LMS_*` variables, then by `create_app(config)`.

Every setting is documented in the README's settings table; keep the two in step.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "SITE_NAME": "Induction Academy",
    # The public address, e.g. https://academy.example.com: certificates' QR codes, badges and
    # emails link to it. None: the address of the request, or http://127.0.0.1:5000/.
    "SITE_URL": None,
    "DATABASE_URL": None,  # None: SQLite file instance/lms.sqlite3
    "SECRET_KEY": None,  # None: a random key kept in instance/secret_key
    "SECURE_COOKIES": None,  # None: on unless debug
    "TIMEZONE": "Africa/Johannesburg",
    "PROXY_COUNT": 0,
    "PASSWORD_HASH_METHOD": "scrypt",
    "PASSWORD_RESET_MINUTES": 60,
    # Days the set-password link in a new learner's welcome email works (enrolment in a
    # cohort creates the account; a new hire may open the email only on their first day).
    "WELCOME_LINK_DAYS": 7,
    "RATELIMIT_STORAGE_URI": "memory://",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per minute; 300 per hour",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute; 20 per hour",
    "MAIL_SERVER": None,  # None: mail is written as .eml files in instance/outbox/
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_SENDER": "Induction Academy <no-reply@localhost>",
    "MAIL_OUTBOX": None,  # None: instance/outbox
    "PAGE_SIZE": 50,
    "CONTENT_PATH": None,  # None: content/modules beside the lms package
    "ASSESSMENTS_PATH": None,  # None: assessments/ beside the lms package
    # Seconds after a quiz's time limit in which answers still save (a slow network's last save).
    "ATTEMPT_GRACE_SECONDS": 30,
    # Marking (docs/ASSESSORS.md): resubmissions after the first summative attempt, days to
    # appeal a final Not Yet Competent, and the moderation sampling rules.
    "RESUBMISSION_LIMIT": 2,
    "APPEAL_DAYS": 10,
    "MODERATE_ALL_NOT_YET_COMPETENT": True,
    "MODERATE_FIRST_JUDGEMENTS": 20,
    "MODERATION_RATE_PERCENT": 25,
    # Certificates (docs/CERTIFICATES.md): the programme's printed title, the months its
    # certificate stays valid (None: no expiry; a module's comes from its module.md), the days
    # before expiry on which reminders go out, and lookups per address on the public pages.
    "PROGRAMME_TITLE": "Contact Centre & BPO Induction",
    "PROGRAMME_CERTIFICATE_VALID_MONTHS": None,
    "CERTIFICATE_REMINDER_DAYS": (30, 7, 0),
    "VERIFY_LIMIT_PER_ADDRESS": "30 per minute; 300 per hour",
    "CERTIFICATE_FOLDER": None,  # None: instance/certificates (the stored PDFs)
    # Due-date reminders (docs/OPERATIONS.md): `lms reminders send` emails a learner this many
    # calendar days before a module they have not completed is due.
    "DUE_REMINDER_DAYS": 2,
    # Fixed Flask and extension behaviour.
    "WTF_CSRF_TIME_LIMIT": None,  # a long quiz must not lose its token
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",
}


def load_settings(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply defaults, then `LMS_*` variables, then `overrides`; derive what follows."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("LMS")
    if overrides:
        app.config.from_mapping(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
        app.config["DATABASE_URL"], Path(app.instance_path)
    )
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A server connection can drop while pooled; a local SQLite file cannot.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    secure = app.config["SECURE_COOKIES"]
    if secure is None:
        secure = not app.debug and not app.testing
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    checkout = Path(__file__).resolve().parent.parent
    if not app.config["CONTENT_PATH"]:
        app.config["CONTENT_PATH"] = str(checkout / "content" / "modules")
    if not app.config["ASSESSMENTS_PATH"]:
        app.config["ASSESSMENTS_PATH"] = str(checkout / "assessments")
    if not app.config["CERTIFICATE_FOLDER"]:
        app.config["CERTIFICATE_FOLDER"] = str(Path(app.instance_path) / "certificates")
    if not app.config["MAIL_OUTBOX"]:
        app.config["MAIL_OUTBOX"] = str(Path(app.instance_path) / "outbox")


def database_uri(url: str | None, instance: Path) -> str:
    """The SQLAlchemy URL: SQLite in the instance folder by default, psycopg 3 for PostgreSQL."""
    if not url:
        return f"sqlite:///{instance / 'lms.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _instance_secret_key(instance: Path) -> str:
    """A random key created once, so development sessions survive restarts."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(48)
        handle.write(key)
    return key
