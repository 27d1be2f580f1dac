"""The cohorts benchmark's data: intake cohorts of learners at every stage of the shipped
programme, written with bulk inserts.

Cohorts start every four days over the last 400 days, so the oldest finished long ago (some of
their M4 certificates, valid 12 months, expire in the next 90 days or already have) and the
newest are in their first week. Each cohort takes the five modules, due on days 3, 6, 10, 14
and 20, with one trainer (who runs four cohorts over the year) and two of ten assessors. Each
learner works at a pace of their own: most submit each module near its due day, some later,
a few stall part-way. Where that puts them in a module decides the rows: lessons read, the
knowledge check failed and retaken, the summative awaiting marking, outcomes judged Not Yet
Competent and resubmitted, every outcome Competent, and, for most who got there, the module's
certificate. The same seed gives the same learners, paces and choices on every run; the rows
differ slightly with the time of day the run starts, since cohorts start on whole days.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

from cohort_plan import DUE_DAYS, Course, Rows, certificate_code, pace, plan_learner
from flask import Flask
from flask_migrate import upgrade
from marking_data import FIRST_NAMES, SURNAMES
from quiz_database import scratch_database as postgres_database
from server import REPO_ROOT, log
from sqlalchemy import Connection, Table, insert, select, text
from werkzeug.security import generate_password_hash
from wrk import BenchError

from lms import create_app
from lms.assessments.models import Attempt, Quiz, QuizRevision
from lms.assessments.services import KNOWLEDGE_CHECK, SUMMATIVE
from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, CohortModule, CohortStaff, Membership, StaffRole
from lms.content.catalogue import ModuleEntry, current_catalogue
from lms.content.models import Module, Outcome
from lms.extensions import Model, db
from lms.learning.models import LessonProgress
from lms.marking.models import (
    JudgementStatus,
    Marking,
    MarkingState,
    OutcomeJudgement,
    Verdict,
)
from lms.sync_cli import run_sync

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench cohorts password"  # noqa: S105 (throwaway accounts in a scratch database)
HASH_METHOD = "pbkdf2:sha256:1000"  # signing in must not measure scrypt
HR_EMAIL = "hr.bench@example.com"
COHORT_SPACING_DAYS, COHORTS_PER_TRAINER, ASSESSORS = 4, 4, 10
COHORTS_PER_ROUND = 20  # cohorts planned and written per transaction: memory stays bounded
CHUNK = 5000  # rows per executemany
SINCE = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)  # when the staff and learner accounts were made
CLIENTS = ("Vela Mobile", "Harbour & Hale", "Sizwe Life", "Kestrel Energy", "")


# --- The database and the app --------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(admin_url: str | None) -> Iterator[str]:
    """A new, empty database, removed afterwards: PostgreSQL beside `admin_url`'s, or a
    temporary SQLite file when `admin_url` is None. Its URL."""
    if admin_url is None:
        folder = Path(tempfile.mkdtemp(prefix="lms-bench-cohorts-db-"))
        try:
            yield f"sqlite:///{folder / 'lms.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    with postgres_database(admin_url, prefix="lms_bench_cohorts") as url:
        yield url


def bench_app(database_url: str, instance: Path) -> Flask:
    os.environ["LMS_INSTANCE_PATH"] = str(instance)  # read by create_app
    config = {"DATABASE_URL": database_url, "SECURE_COOKIES": False}
    return create_app({**config, "PASSWORD_HASH_METHOD": HASH_METHOD})


def load_programme() -> list[Course]:
    """Bring the empty database up to date and sync the shipped modules and assessments."""
    upgrade()
    report = run_sync(REPO_ROOT / "content" / "modules", REPO_ROOT / "assessments")
    if report.errors:
        raise BenchError(f"the shipped programme did not sync: {report.errors[0]}")
    db.session.commit()
    quizzes = db.session.execute(
        select(Quiz.module_id, QuizRevision.kind, Quiz.id, QuizRevision.id)
        .join(QuizRevision, QuizRevision.quiz_id == Quiz.id)
        .where(QuizRevision.is_current)
    )
    quiz_of = {(module, kind): (quiz, revision) for module, kind, quiz, revision in quizzes}
    outcomes_of: dict[int, list[int]] = {}
    for module_id, outcome_id in db.session.execute(
        select(Outcome.module_id, Outcome.id)
        .where(Outcome.retired_at.is_(None))
        .order_by(Outcome.position)
    ):
        outcomes_of.setdefault(module_id, []).append(outcome_id)
    courses = [_course(entry, quiz_of, outcomes_of) for entry in current_catalogue().modules]
    if len(courses) != len(DUE_DAYS):
        raise BenchError(f"the shipped programme has {len(courses)} modules, not 5")
    return courses


def _course(
    entry: ModuleEntry,
    quiz_of: dict[tuple[int, str], tuple[int, int]],
    outcomes_of: dict[int, list[int]],
) -> Course:
    module = db.session.get(Module, entry.id)
    check, summative = quiz_of.get((entry.id, KNOWLEDGE_CHECK)), quiz_of.get((entry.id, SUMMATIVE))
    if module is None or check is None or summative is None or not outcomes_of.get(entry.id):
        raise BenchError(f"{entry.code} has no knowledge check, summative or outcomes")
    return Course(
        module_id=entry.id,
        code=entry.code,
        title=entry.title,
        lessons=tuple((n.id, n.revision.id, n.revision.content_hash) for n in entry.lessons),
        outcomes=tuple(outcomes_of[entry.id]),
        check=check,
        summative=summative,
        valid_months=module.certificate_valid_months,
    )


# --- Writing the rows --------------------------------------------------------------------------


def insert_rows(
    connection: Connection, model: type[Model], rows: list[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Core executemany in chunks; the new ids, in the rows' order, if `ids`."""
    table: Table = model.__table__  # type: ignore[assignment]
    statement = insert(table)
    if ids:
        statement = statement.returning(table.c.id, sort_by_parameter_order=True)
    new_ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        result = connection.execute(statement, rows[start : start + CHUNK])
        if ids:
            new_ids.extend(result.scalars())
    return new_ids


def _people(
    connection: Connection, rng: random.Random, role: Role, emails: list[str]
) -> list[tuple[int, str]]:
    """Accounts with the benchmark's password (a fast hash): their ids and names."""
    password = generate_password_hash(PASSWORD, HASH_METHOD)
    names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in emails]
    rows = [
        {
            "email": email,
            "full_name": name,
            "employee_number": f"E{email.split('-')[-1].split('@')[0]}"
            if role is Role.LEARNER
            else None,
            "password_hash": password,
            "active": True,
            "session_token": f"{rng.getrandbits(128):032x}",
            "created_at": SINCE,
            "last_login_at": None,
        }
        for email, name in zip(emails, names, strict=True)
    ]
    ids = insert_rows(connection, User, rows, ids=True)
    insert_rows(connection, UserRole, [{"user_id": i, "role": role.value} for i in ids])
    return list(zip(ids, names, strict=True))


@dataclass
class Generated:
    """What the measures need to find again."""

    assessors: list[int] = field(default_factory=list)
    cohort_ids: list[int] = field(default_factory=list)
    trainers: dict[str, int] = field(default_factory=dict)  # email -> id
    trainer_of: dict[int, str] = field(default_factory=dict)  # cohort id -> trainer's email
    age_of: dict[int, int] = field(default_factory=dict)  # cohort id -> days since it started
    learners: int = 0
    certificates: int = 0


def add_staff(data: Generated, seed: int) -> None:
    """HR (HR_EMAIL) and the ten assessors."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, the same on every run)
    with db.engine.begin() as connection:
        _people(connection, rng, Role.HR, [HR_EMAIL])
        emails = [f"bench-assessor-{n:02d}@example.com" for n in range(1, ASSESSORS + 1)]
        data.assessors = [i for i, _ in _people(connection, rng, Role.ASSESSOR, emails)]


def add_cohorts(
    data: Generated,
    courses: list[Course],
    cohorts: int,
    per_cohort: int,
    *,
    seed: int,
    now: datetime,
) -> None:
    """`cohorts` more cohorts of `per_cohort` learners, numbered after those in `data`,
    written COHORTS_PER_ROUND at a time."""
    first, started = len(data.cohort_ids), time.perf_counter()
    for start in range(first, first + cohorts, COHORTS_PER_ROUND):
        numbers = range(start, min(start + COHORTS_PER_ROUND, first + cohorts))
        rng = random.Random(seed * 100_003 + start)  # noqa: S311 (made-up, repeatable)
        with db.engine.begin() as connection:
            _round(connection, rng, data, courses, numbers, per_cohort, now)
        log(
            f"  cohorts {start + 1:,}-{numbers[-1] + 1:,} written, "
            f"{time.perf_counter() - started:.1f} s"
        )
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:  # the planner's statistics, as autovacuum would
            connection.execute(text("ANALYZE"))


def _round(
    connection: Connection,
    rng: random.Random,
    data: Generated,
    courses: list[Course],
    numbers: range,
    per_cohort: int,
    now: datetime,
) -> None:
    emails = [f"bench-trainer-{n // COHORTS_PER_TRAINER + 1:03d}@example.com" for n in numbers]
    new = sorted(set(emails) - set(data.trainers))
    people = _people(connection, rng, Role.TRAINER, new)
    data.trainers |= {email: user_id for email, (user_id, _) in zip(new, people, strict=True)}
    learner_emails = [
        f"bench-learner-{n * per_cohort + k + 1:06d}@example.com"
        for n in numbers
        for k in range(per_cohort)
    ]
    learners = _people(connection, rng, Role.LEARNER, learner_emails)
    rows = Rows()
    for place, number in enumerate(numbers):
        cohort, began = _cohort(connection, data, courses, number, emails[place], now)
        assessors = [data.assessors[(number + k) % len(data.assessors)] for k in (0, 1)]
        for user_id, name in learners[place * per_cohort : (place + 1) * per_cohort]:
            rows.memberships.append(
                _membership(cohort, user_id, began, data.trainers[emails[place]])
            )
            learner = pace(rng, user_id, name, began, now)
            plan_learner(rows, rng, learner, courses, assessors)
    _write(connection, rows, data.certificates)
    data.learners += len(learners)
    data.certificates += len(rows.certificates)


def _cohort(
    connection: Connection,
    data: Generated,
    courses: list[Course],
    number: int,
    trainer_email: str,
    now: datetime,
) -> tuple[int, datetime]:
    """One cohort, its staff and its modules: its id and first morning."""
    age = (number % 100) * COHORT_SPACING_DAYS + number // 100  # the 2nd hundred a day later
    start = (now - timedelta(days=age)).date()
    trainer = data.trainers[trainer_email]
    cohort = insert_rows(
        connection,
        Cohort,
        [
            {
                "name": f"Intake {start.isoformat()} #{number + 1:03d}",
                "client": CLIENTS[number % len(CLIENTS)],
                "start_date": start,
                "created_at": datetime.combine(start, time_of_day(7), UTC) - timedelta(days=7),
                "created_by_id": trainer,
            }
        ],
        ids=True,
    )[0]
    assessors = [data.assessors[(number + k) % len(data.assessors)] for k in (0, 1)]
    crew = [(trainer, StaffRole.TRAINER), *((a, StaffRole.ASSESSOR) for a in assessors)]
    insert_rows(
        connection, CohortStaff, [{"cohort_id": cohort, "user_id": u, "role": r} for u, r in crew]
    )
    plans = zip(courses, DUE_DAYS, strict=True)
    insert_rows(
        connection,
        CohortModule,
        [
            {"cohort_id": cohort, "module_id": c.module_id, "due_day": day, "due_on": None}
            for c, day in plans
        ],
    )
    data.cohort_ids.append(cohort)
    data.trainer_of[cohort], data.age_of[cohort] = trainer_email, age
    return cohort, datetime.combine(start, time_of_day(8), UTC)


def _membership(cohort: int, user_id: int, began: datetime, trainer: int) -> dict[str, Any]:
    return {
        "cohort_id": cohort,
        "user_id": user_id,
        "enrolled_at": began - timedelta(days=2),
        "enrolled_by_id": trainer,
        "left_at": None,
        "left_by_id": None,
        "leaving_reason": None,
        "leaving_note": "",
    }


def _write(connection: Connection, rows: Rows, certificates_before: int) -> None:
    insert_rows(connection, Membership, rows.memberships)
    insert_rows(connection, LessonProgress, rows.progress)
    ids = insert_rows(connection, Attempt, rows.attempts, ids=True)
    markings, judgements = [], []
    for place, assessor, verdicts, decided in rows.judged:
        attempt, learner = ids[place], rows.attempts[place]["user_id"]
        markings.append(
            {
                "attempt_id": attempt,
                "assessor_id": assessor,
                "state": MarkingState.FINALISED,
                "started_at": decided - timedelta(minutes=40),
                "updated_at": decided,
                "finalised_at": decided,
                "version": 3,
            }
        )
        judgements += [
            {
                "attempt_id": attempt,
                "outcome_id": outcome,
                "learner_id": learner,
                "assessor_id": assessor,
                "verdict": verdict,
                "status": JudgementStatus.FINAL,
                "comment": ""
                if verdict is Verdict.COMPETENT
                else "Give a figure for each objective.",
                "evidence": "",
                "created_at": decided - timedelta(minutes=40),
                "finalised_at": decided,
                "released_at": decided,
                "pool_id": None,
                "sequence": None,
                "sample_rule": None,
                "from_appeal": False,
            }
            for outcome, verdict in verdicts
        ]
    insert_rows(connection, Marking, markings)
    insert_rows(connection, OutcomeJudgement, judgements)
    for n, certificate in enumerate(rows.certificates):
        certificate["code"] = certificate_code(certificates_before + n)
    insert_rows(connection, Certificate, rows.certificates)
