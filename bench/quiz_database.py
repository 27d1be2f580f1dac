"""The attempts benchmark's database: a scratch PostgreSQL database holding one knowledge check
and its learners, and the counts that say whether the run lost or duplicated anything.

``scratch_database`` creates an empty database beside the one ``--postgres`` names and always
drops it. ``load_programme`` brings it up to date and syncs the generated module and quiz with
the real ``lms`` commands; ``add_learners`` creates the learners in this process with the app's
own ``create_user`` (with a fast password hash, so that 200 sign-ins do not measure scrypt) and
records their lessons as done, as tests/quiz_files.py's ``finish_lessons`` does.
``database_counts`` reads what the learners left behind with plain SQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from server import BIN_DIR, REPO_ROOT, log
from wrk import BenchError

PASSWORD = "bench-attempts-password"  # noqa: S105 (throwaway accounts in a scratch database)
# Fast on purpose: 200 sign-ins with scrypt would measure password hashing, not attempts.
HASH_METHOD = "pbkdf2:sha256:1000"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
COMMAND_TIMEOUT = 300
FINISHED_STATES = ("submitted", "awaiting_marking", "marked")


@contextlib.contextmanager
def scratch_database(admin_url: str, prefix: str = "lms_bench_attempts") -> Iterator[str]:
    """A new, empty PostgreSQL database beside `admin_url`'s, dropped afterwards: its URL."""
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def lms_env(instance: Path, database_url: str, root: Path) -> dict[str, str]:
    """The environment of every `lms` command and of gunicorn: the scratch database, a
    temporary instance folder, the generated files, and cookies that travel over http."""
    env = dict(os.environ)
    env.update(
        LMS_DATABASE_URL=database_url,
        LMS_INSTANCE_PATH=str(instance),
        LMS_CONTENT_PATH=str(root / "content"),
        LMS_ASSESSMENTS_PATH=str(root / "assessments"),
        LMS_PASSWORD_HASH_METHOD=HASH_METHOD,
        LMS_SECURE_COOKIES="false",  # the session cookie must travel over plain http
    )
    return env


def run_lms(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN_DIR / "lms"), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"lms {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def load_programme(env: dict[str, str], root: Path) -> None:
    """Upgrade the empty database and sync the module and its knowledge check."""
    log("lms db upgrade")
    run_lms(["db", "upgrade"], env)
    log("lms content sync (one module, three lessons, one knowledge check)")
    out = run_lms(
        [
            "content",
            "sync",
            str(root / "content"),
            "--assessments",
            str(root / "assessments"),
            "--json",
        ],
        env,
    )
    summary = json.loads(out)
    if not summary.get("ok") or summary.get("lessons") != 3 or summary.get("quizzes") != 1:
        raise BenchError(f"the sync did not load 3 lessons and 1 quiz:\n{out}")


def add_learners(env: dict[str, str], count: int) -> list[str]:
    """Create `count` learners with every current lesson done; their emails."""
    # Imported here: the app reads LMS_* variables, which must name the scratch database.
    from sqlalchemy import select

    from lms import create_app
    from lms.auth.roles import Role
    from lms.auth.services import create_user
    from lms.content.models import LessonRevision
    from lms.database import utcnow
    from lms.extensions import db
    from lms.learning.models import LessonProgress

    log(f"creating {count} learners with their lessons done")
    os.environ["LMS_INSTANCE_PATH"] = env["LMS_INSTANCE_PATH"]
    app = create_app({"DATABASE_URL": env["LMS_DATABASE_URL"], "PASSWORD_HASH_METHOD": HASH_METHOD})
    emails = [f"bench-learner-{n:03d}@example.com" for n in range(1, count + 1)]
    with app.app_context():
        users = [
            create_user(
                email=email,
                full_name=f"Bench learner {n}",
                password=PASSWORD,
                roles=[Role.LEARNER],
                actor=None,
            )
            for n, email in enumerate(emails, start=1)
        ]
        revisions = db.session.scalars(
            select(LessonRevision).where(LessonRevision.is_current)
        ).all()
        now = utcnow()
        # As tests/quiz_files.py's finish_lessons records it, for every learner at once.
        db.session.add_all(
            LessonProgress(
                user_id=user.id,
                lesson_id=revision.lesson_id,
                started_at=now,
                started_revision_id=revision.id,
                last_viewed_at=now,
                last_viewed_revision_id=revision.id,
                completed_at=now,
                completed_revision_id=revision.id,
                completed_content_hash=revision.content_hash,
                confirmed_at=now,
            )
            for user in users
            for revision in revisions
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # no idle connection left behind to skew PostgreSQL's CPU time
    return emails


# --- Counting what the run left ---------------------------------------------------------------


def database_counts(database_url: str, learners: int, questions: int) -> list[dict[str, Any]]:
    """What must hold after every learner submitted once: each count, expected, PASS/FAIL."""
    queries = {
        "finished attempts (submitted, awaiting marking or marked)": (
            "SELECT count(*) FROM attempts WHERE state = ANY(%s)",
            (list(FINISHED_STATES),),
            learners,
        ),
        "attempts still in progress": (
            "SELECT count(*) FROM attempts WHERE state = 'in_progress'",
            (),
            0,
        ),
        "learners with a finished attempt": (
            "SELECT count(DISTINCT user_id) FROM attempts WHERE state = ANY(%s)",
            (list(FINISHED_STATES),),
            learners,
        ),
        "learners with more than one attempt": (
            "SELECT count(*) FROM (SELECT user_id FROM attempts GROUP BY user_id, quiz_id "
            "HAVING count(*) > 1) AS twice",
            (),
            0,
        ),
        "attempt.submitted audit events": (
            "SELECT count(*) FROM audit_events WHERE action = 'attempt.submitted'",
            (),
            learners,
        ),
        "attempts with more than one attempt.submitted": (
            "SELECT count(*) FROM (SELECT object_id FROM audit_events "
            "WHERE action = 'attempt.submitted' GROUP BY object_id HAVING count(*) > 1) AS twice",
            (),
            0,
        ),
        "responses with an answer": (
            # A JSON column may hold SQL NULL or JSON null for "no answer": neither counts.
            "SELECT count(*) FROM responses WHERE answer IS NOT NULL AND answer::text <> 'null'",
            (),
            learners * questions,
        ),
        "attempts scored 100 %": (
            "SELECT count(*) FROM attempts WHERE percent = 100 AND passed",
            (),
            learners,
        ),
    }
    rows = []
    with psycopg.connect(database_url) as connection:
        for name, (query, params, expected) in queries.items():
            found = connection.execute(query, params).fetchone()
            value = int(found[0]) if found else -1
            rows.append(
                {"count": name, "value": value, "expected": expected, "pass": value == expected}
            )
    return rows
