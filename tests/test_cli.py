"""The `lms` command: demo data, users, and the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import User
from lms.certificates.demo import CERTIFICATE_DEMO_LEARNERS
from lms.cli import main
from lms.cohorts.demo import COHORT_DEMO_ACCOUNTS
from lms.demo import DEMO_ACCOUNTS
from lms.extensions import db
from lms.marking.demo import MARKING_DEMO_LEARNERS


def run(app: Flask, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(main, list(args), input=stdin)


def user_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


# `lms demo` also adds the marking demo's learners (tests/marking/test_demo_data.py) and the
# certificate demo's (tests/certificates/test_demo_certificates.py), one of them the demo learner,
# and the cohort demo's new hires and second trainer (tests/cohorts/test_cohort_demo.py).
CERTIFICATE_HOLDERS = {story.learner.email for story in CERTIFICATE_DEMO_LEARNERS}
DEMO_USERS = (
    len({a.email for a in DEMO_ACCOUNTS} | CERTIFICATE_HOLDERS)
    + len(MARKING_DEMO_LEARNERS)
    + len(COHORT_DEMO_ACCOUNTS)
)


def test_demo_prints_one_account_per_role_and_is_idempotent(app: Flask) -> None:
    """`lms demo --json` lists six accounts that sign in and loads the shipped modules; a second
    run creates nothing."""
    first = run(app, "demo", "--json")
    assert first.exit_code == 0, first.output
    accounts = json.loads(first.stdout)["accounts"]
    assert sorted(role for a in accounts for role in a["roles"]) == sorted(
        ["learner", "trainer", "assessor", "moderator", "hr", "admin"]
    )
    assert user_count(app) == DEMO_USERS
    assert json.loads(first.stdout)["content"]["created"] > 0
    again = json.loads(run(app, "demo", "--json").stdout)
    assert again["accounts"] == accounts
    assert again["content"]["created"] == again["content"]["updated"] == 0
    assert user_count(app) == DEMO_USERS
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    admin = next(a for a in accounts if a["roles"] == ["admin"])
    response = client.post(
        "/login", data={"email": admin["email"], "password": admin["password"], "csrf_token": token}
    )
    assert response.status_code == 302


def test_users_create_reads_the_password_from_stdin(app: Flask) -> None:
    """A user created from the command line has the roles given and can be listed as JSON."""
    result = run(
        app,
        *("users", "create", "--email", "Sipho@Example.com", "--name", "Sipho Ndlovu"),
        *("--role", "trainer", "--role", "assessor", "--password-stdin"),
        stdin="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    listing = json.loads(run(app, "users", "list", "--json").stdout)["users"]
    [user] = listing
    assert user["email"] == "sipho@example.com"
    assert user["roles"] == ["trainer", "assessor"]
    assert user["active"] is True and user["last_login_at"] is None


def test_users_create_errors_go_to_stderr_with_a_nonzero_exit(app: Flask) -> None:
    """A short password or a duplicate email is explained and nothing is created."""
    short = run(
        app,
        "users",
        "create",
        "--email",
        "a@example.com",
        "--role",
        "hr",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.exit_code == 1
    assert "Use at least 10 characters." in short.stderr
    assert user_count(app) == 0
    bad_role = run(app, "users", "create", "--email", "a@example.com", "--role", "boss")
    assert bad_role.exit_code == 2
    assert "'boss' is not one of" in bad_role.stderr


def test_the_console_script_loads_the_demo_into_a_fresh_instance(tmp_path: Path) -> None:
    """The installed `lms` creates the SQLite database and loads the modules from nothing; a
    second run changes nothing."""
    lms = Path(sys.executable).with_name("lms")
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path)}
    env.pop("LMS_DATABASE_URL", None)
    outputs = [
        subprocess.run(
            [str(lms), "demo", "--json"], env=env, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    first, second = (json.loads(output) for output in outputs)
    assert first["accounts"] == second["accounts"]
    assert first["content"]["created"] > 0
    assert second["content"]["created"] == second["content"]["updated"] == 0
    assert second["content"]["unchanged"] == first["content"]["created"]
    assert (tmp_path / "lms.sqlite3").exists()
    listed = subprocess.run(
        [str(lms), "users", "list", "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert len(json.loads(listed.stdout)["users"]) == DEMO_USERS
