"""The test world: one real database per run (a SQLite file, or PostgreSQL when
`LMS_TEST_DATABASE_URL` is set), built by the migrations, and emptied after every test."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, text

from lms import create_app
from lms.auth import services
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.catalogue import forget_catalogue
from lms.extensions import db, limiter

PASSWORD = "correct horse battery"

# Helpers with assertions that tests in more than one folder import.
pytest.register_assert_rewrite("tests.content.synced_rows", "tests.quiz_files")


def _reset_schema(url: str) -> None:
    """Drop whatever an earlier run left in the test database, tables and Alembic's record."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'lms-test.sqlite3'}"


def app_settings(database_url: str, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """Settings for a test app: the test database, quick hashing, mail to a temporary outbox."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "CERTIFICATE_FOLDER": str(tmp_path / "certificates"),
        "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        **overrides,
    }


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app, on a database created from empty by the migrations."""
    _reset_schema(database_url)
    app = create_app(app_settings(database_url, tmp_path_factory.mktemp("app")))
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[AppFactory]:
    """Build extra apps with other settings; their connections are closed afterwards."""
    built: list[Flask] = []

    def build(url: str | None = None, **overrides: Any) -> Flask:
        extra = create_app(app_settings(url or database_url, tmp_path, **overrides))
        built.append(extra)
        return extra

    yield build
    for extra in built:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends with empty tables and an empty throttle."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
    limiter.reset()
    forget_catalogue()  # the content it held was just deleted


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def outbox(app: Flask) -> Iterator[Path]:
    """The folder development mail is written to, empty at the start of the test."""
    path = Path(app.config["MAIL_OUTBOX"])
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.eml"):
        old.unlink()
    yield path


UserFactory = Callable[..., User]


@pytest.fixture
def make_user(app: Flask) -> UserFactory:
    """Create a committed user; returns it detached but with id, email and roles loaded."""
    counter = iter(range(1, 1_000_000))

    def make(*roles: Role, email: str | None = None, password: str = PASSWORD, **kw: Any) -> User:
        with app.app_context():
            user = services.create_user(
                email=email or f"user{next(counter)}-{'-'.join(roles) or 'none'}@example.com",
                full_name=kw.pop("full_name", "Test Person"),
                password=password,
                roles=roles,
                actor=None,
            )
            if kw.get("active") is False:
                user.active = False
            db.session.commit()
            db.session.refresh(user)
            _ = user.role_links
            db.session.expunge(user)
            return user

    return make


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Put `user` in the client's session as Flask-Login does at sign-in."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client_as(app: Flask, make_user: UserFactory) -> Callable[..., FlaskClient]:
    """A test client signed in as a new user holding the given roles."""

    def build(*roles: Role) -> FlaskClient:
        return sign_in(app.test_client(), make_user(*roles))

    return build


def csrf_token(client: FlaskClient, path: str) -> str:
    """Fetch a page and return the CSRF token of its first form."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)
