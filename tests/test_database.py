"""The schema comes from the migrations, and SQLite is tuned for a busy web app."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from lms.audit import AuditEvent, record
from lms.config import database_uri
from lms.extensions import db
from tests.conftest import AppFactory


def test_the_migrations_build_exactly_the_models(app: Flask) -> None:
    """Upgrading an empty database gives the schema the models describe, nothing missing."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_constraint_names_follow_the_naming_convention(app: Flask) -> None:
    """Named constraints let later migrations alter them on every database."""
    table = db.metadata.tables["user_roles"]
    names = {constraint.name for constraint in table.constraints}
    assert {"pk_user_roles", "ck_user_roles_known_role", "fk_user_roles_user_id_users"} <= names


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """A fresh SQLite database is in WAL mode with foreign keys on and a lock timeout."""
    app = make_app(f"sqlite:///{tmp_path / 'tuned.sqlite3'}")
    with app.app_context():
        upgrade()
        pragma = {
            name: db.session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}


def test_times_are_stored_and_read_back_in_utc(app: Flask, app_context: None) -> None:
    """An aware time goes in and the same aware UTC time comes out, on either database."""
    moment = datetime(2026, 11, 23, 8, 30, 15, tzinfo=UTC)
    event = record("test.event", actor=None)
    event.occurred_at = moment
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEvent, event.id)
    assert stored is not None and stored.occurred_at == moment
    assert stored.occurred_at.tzinfo is not None


def test_naive_times_are_refused(app: Flask, app_context: None) -> None:
    """A time without a zone is a bug waiting to happen; it is refused at the door."""
    event = record("test.event", actor=None)
    event.occurred_at = datetime(2026, 11, 23, 8, 30)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, expected: str) -> None:
    """Any common spelling of a PostgreSQL URL is driven by psycopg 3."""
    assert database_uri(given, Path("/srv/instance")) == expected


def test_the_default_database_is_sqlite_in_the_instance_folder() -> None:
    """With no LMS_DATABASE_URL the data lives in instance/lms.sqlite3."""
    assert database_uri(None, Path("/srv/instance")) == "sqlite:////srv/instance/lms.sqlite3"
