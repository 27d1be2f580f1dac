"""The marking benchmark's data: a scratch database holding the shipped programme, and learners
with three summative attempts each, written with bulk inserts.

Each learner takes one module's summative assessment three times. The first two attempts were
judged, each with at least one outcome Not Yet Competent (so a resubmission followed), and
their sampled judgements were confirmed by a moderator. The third waits for an assessor, is
held in an assessor's draft, or was just finalised with its sampled judgements waiting for a
moderator. Ten assessors mark three of the five modules each, so a typical queue holds
thousands of attempts. Every finalised judgement gets its place in its assessor's pool and its
sampling rule from `sampling.rule_for` and the pool's seed, in the order the judgements were
finalised, as `finalise` would have recorded them.
"""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from quiz_database import scratch_database as postgres_database
from server import REPO_ROOT, log
from sqlalchemy import Connection, Table, insert, select, text
from werkzeug.security import generate_password_hash
from wrk import BenchError

from lms import create_app
from lms.assessments.models import Attempt, AttemptState, Quiz, QuizRevision, Response
from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.extensions import Model, db
from lms.marking.models import (
    JudgementStatus,
    Marking,
    MarkingState,
    ModerationPool,
    ModerationReview,
    ModuleAssessor,
    OutcomeJudgement,
    ReviewVerdict,
    SampleRule,
    Verdict,
)
from lms.marking.sampling import SamplingRules, rule_for
from lms.sync_cli import run_sync

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ASSESSORS, MODERATORS, MODULES_PER_ASSESSOR = 10, 2, 3
SHARE_JUDGED, SHARE_DRAFT = 0.10, 0.10  # third attempts finalised, or held in a draft
CHUNK = 5000  # rows per executemany
_SINCE = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # accounts, assignments and pools date from here
FIRST_NAMES = ("Thandi", "Sipho", "Lerato", "Johan", "Priya", "Ayanda", "Megan", "Kabelo")
SURNAMES = ("Mokoena", "Ndlovu", "Naidoo", "van Wyk", "Dlamini", "Pillay", "Botha", "Khumalo")
WORDS = (
    "the", "customer", "called", "about", "a", "billing", "query", "and", "I", "verified",
    "them", "before", "explained", "service", "level", "agreement", "which", "says", "eighty",
    "percent", "of", "calls", "are", "answered", "within", "twenty", "seconds", "so", "team",
    "leader", "watches", "queue", "workforce", "analyst", "adds", "agents", "client", "brand",
)  # fmt: skip


# --- The database and the app --------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(admin_url: str | None) -> Iterator[str]:
    """A new, empty database, removed afterwards: PostgreSQL beside `admin_url`'s, or a
    temporary SQLite file when `admin_url` is None. Its URL."""
    if admin_url is None:
        folder = Path(tempfile.mkdtemp(prefix="lms-bench-marking-db-"))
        try:
            yield f"sqlite:///{folder / 'lms.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    with postgres_database(admin_url, prefix="lms_bench_marking") as url:
        yield url


def bench_app(database_url: str, instance: Path) -> Flask:
    """The app on the scratch database, its instance folder (secret key, outbox) temporary."""
    os.environ["LMS_INSTANCE_PATH"] = str(instance)  # read by create_app
    return create_app({"DATABASE_URL": database_url, "SECURE_COOKIES": False})


@dataclass(frozen=True)
class Summative:
    """A module's current summative assessment: its questions and the outcomes it judges."""

    module_id: int
    code: str
    quiz_id: int
    revision_id: int
    questions: tuple[int, ...]
    outcomes: tuple[int, ...]


def load_programme() -> list[Summative]:
    """Bring the empty database up to date and sync the shipped modules and assessments."""
    upgrade()
    report = run_sync(REPO_ROOT / "content" / "modules", REPO_ROOT / "assessments")
    if report.errors:
        raise BenchError(f"the shipped programme did not sync: {report.errors[0]}")
    query = (
        select(Quiz, QuizRevision)
        .join(QuizRevision, QuizRevision.quiz_id == Quiz.id)
        .where(QuizRevision.is_current, QuizRevision.kind == "summative")
        .order_by(Quiz.module_id)
    )
    summatives = []
    for quiz, revision in db.session.execute(query):
        codes = {code for question in revision.questions for code in question.outcome_codes}
        outcomes = tuple(o.id for o in quiz.module.current_outcomes if o.code in codes)
        questions = tuple(question.id for question in revision.questions)
        module = quiz.module
        summatives.append(
            Summative(module.id, module.code, quiz.id, revision.id, questions, outcomes)
        )
    db.session.commit()
    if not summatives:
        raise BenchError("the shipped programme has no summative assessment")
    return summatives


# --- What each learner did ----------------------------------------------------------------


@dataclass
class PlannedJudgement:
    outcome_id: int
    verdict: Verdict | None
    sequence: int | None = None
    rule: SampleRule | None = None


@dataclass
class PlannedAttempt:
    """One summative attempt and, once an assessor opened it, its marking."""

    learner_id: int
    summative: Summative
    number: int
    submitted_at: datetime
    to_judge: list[int]  # outcome ids not yet Competent
    assessor_id: int | None = None
    opened_at: datetime | None = None
    finalised_at: datetime | None = None
    reviewed_at: datetime | None = None  # when a moderator checked its sampled judgements
    judgements: list[PlannedJudgement] = field(default_factory=list)
    id: int = 0

    def status(self, judgement: PlannedJudgement) -> JudgementStatus:
        if self.finalised_at is None:
            return JudgementStatus.DRAFT
        if judgement.rule is None or self.reviewed_at is not None:
            return JudgementStatus.FINAL
        return JudgementStatus.IN_SAMPLE

    def released_at(self, judgement: PlannedJudgement) -> datetime | None:
        if self.status(judgement) is not JudgementStatus.FINAL:
            return None
        return self.finalised_at if judgement.rule is None else self.reviewed_at

    @property
    def marked_at(self) -> datetime | None:
        released = [self.released_at(j) for j in self.judgements]
        return None if not released or None in released else max(filter(None, released))

    @property
    def passed(self) -> bool | None:
        if self.marked_at is None:
            return None
        return all(j.verdict is Verdict.COMPETENT for j in self.judgements)


def _days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def _verdicts(
    rng: random.Random, outcomes: Sequence[int], nyc: float, *, one_nyc: bool
) -> list[PlannedJudgement]:
    """A verdict per outcome; with `one_nyc`, at least one Not Yet Competent."""
    verdicts = [
        Verdict.NOT_YET_COMPETENT if rng.random() < nyc else Verdict.COMPETENT for _ in outcomes
    ]
    if one_nyc and Verdict.NOT_YET_COMPETENT not in verdicts:
        verdicts[rng.randrange(len(verdicts))] = Verdict.NOT_YET_COMPETENT
    return [PlannedJudgement(o, v) for o, v in zip(outcomes, verdicts, strict=True)]


def plan_learner(
    rng: random.Random, learner_id: int, summative: Summative, assessors: list[int], now: datetime
) -> list[PlannedAttempt]:
    """Three attempts, laid out backwards from the third's submission (0-21 days ago)."""
    # Never within an hour of a whole number of days: "waiting N days" keeps its total all run.
    waiting = timedelta(days=rng.randrange(21), hours=rng.uniform(1, 23))
    third = PlannedAttempt(learner_id, summative, 3, now - waiting, [])
    attempts = [third]
    for number in (2, 1):
        reviewed = attempts[0].submitted_at - _days(rng, 1, 7)
        finalised = reviewed - _days(rng, 0.5, 3)
        submitted = finalised - _days(rng, 0.2, 4)
        attempt = PlannedAttempt(learner_id, summative, number, submitted, [])
        attempt.assessor_id, attempt.opened_at = rng.choice(assessors), finalised
        attempt.finalised_at, attempt.reviewed_at = finalised, reviewed
        attempts.insert(0, attempt)
    to_judge = list(summative.outcomes)
    for attempt in attempts[:2]:
        attempt.to_judge = to_judge
        attempt.judgements = _verdicts(rng, to_judge, 0.5, one_nyc=True)
        to_judge = [j.outcome_id for j in attempt.judgements if j.verdict is not Verdict.COMPETENT]
    third.to_judge = to_judge
    _third_attempt(rng, third, assessors, waiting)
    return attempts


def _third_attempt(
    rng: random.Random, third: PlannedAttempt, assessors: list[int], waiting: timedelta
) -> None:
    """Left in the queue, held in a draft (about half decided), or just finalised."""
    chance = rng.random()
    if chance >= SHARE_JUDGED + SHARE_DRAFT:
        return
    third.assessor_id = rng.choice(assessors)
    third.opened_at = third.submitted_at + waiting * rng.random()
    if chance < SHARE_JUDGED:
        third.finalised_at = third.opened_at
        third.judgements = _verdicts(rng, third.to_judge, 0.3, one_nyc=False)
        return
    verdicts = (None, Verdict.COMPETENT, Verdict.NOT_YET_COMPETENT)
    third.judgements = [
        PlannedJudgement(o, verdicts[rng.randrange(3)] if rng.random() < 0.5 else None)
        for o in third.to_judge
    ]


def number_judgements(
    attempts: list[PlannedAttempt], seeds: dict[int, str], rules: SamplingRules
) -> Counter[int]:
    """Each finalised judgement's place in its assessor's pool, in the order of finalising,
    and the rule that samples it: the pools' counts of judgements."""
    order = sorted((a.finalised_at, n) for n, a in enumerate(attempts) if a.finalised_at)
    judged: Counter[int] = Counter()
    for _, n in order:
        attempt = attempts[n]
        assert attempt.assessor_id is not None
        seed = seeds[attempt.assessor_id]
        for judgement in attempt.judgements:  # one marking's outcomes, in the module's order
            judged[attempt.assessor_id] += 1
            judgement.sequence = judged[attempt.assessor_id]
            assert judgement.verdict is not None
            judgement.rule = rule_for(judgement.verdict, judgement.sequence, seed, rules)
    return judged


# --- Writing the rows -----------------------------------------------------------------------


@dataclass
class Generated:
    assessors: list[int]
    moderators: list[int]
    assessors_of: dict[int, list[int]]  # module id -> its assessors
    attempts: list[PlannedAttempt]

    def waiting(self) -> list[PlannedAttempt]:
        """Third attempts nobody has opened: what a fresh batch of finalisations would judge."""
        return [a for a in self.attempts if a.number == 3 and a.assessor_id is None]


def write_rows(
    connection: Connection, model: type[Model], rows: list[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Insert `rows` into the model's table with executemany in chunks (Core, not the ORM),
    showing progress; their new ids if `ids`."""
    table: Table = model.__table__  # type: ignore[assignment]
    statement = insert(table)
    if ids:
        statement = statement.returning(table.c.id, sort_by_parameter_order=True)
    new_ids: list[int] = []
    started = time.perf_counter()
    for start in range(0, len(rows), CHUNK):
        result = connection.execute(statement, rows[start : start + CHUNK])
        if ids:
            new_ids.extend(result.scalars())
        done = min(len(rows), start + CHUNK)
        progress(table.name, done, len(rows), time.perf_counter() - started)
    return new_ids


def progress(name: str, done: int, total: int, seconds: float) -> None:
    """A percentage line, rewritten in place on a terminal; in a log, only the last one."""
    line = f"  {name}: {done:,} of {total:,} rows, {100 * done // max(1, total)} %, {seconds:.1f} s"
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{line}" + ("\n" if done == total else ""))
    elif done == total:
        sys.stderr.write(f"{line}\n")


def _users(connection: Connection, rng: random.Random, count: int, role: Role) -> list[int]:
    password = generate_password_hash(secrets.token_hex(8), "pbkdf2:sha256:1000")  # unused
    rows = [
        {
            "email": f"bench-{role.value}-{n:05d}@example.com",
            "full_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            "password_hash": password,
            "active": True,
            "session_token": f"{rng.getrandbits(128):032x}",
            "created_at": _SINCE,
            "last_login_at": None,
        }
        for n in range(1, count + 1)
    ]
    ids = write_rows(connection, User, rows, ids=True)
    roles = [{"user_id": user_id, "role": role.value} for user_id in ids]
    write_rows(connection, UserRole, roles)
    return ids


def _assign(
    connection: Connection, summatives: list[Summative], assessors: list[int]
) -> dict[int, list[int]]:
    """Assessor k marks modules k, k+1 and k+2 (round the five)."""
    assessors_of: dict[int, list[int]] = {s.module_id: [] for s in summatives}
    rows = []
    for k, assessor in enumerate(assessors):
        for step in range(MODULES_PER_ASSESSOR):
            module_id = summatives[(k + step) % len(summatives)].module_id
            assessors_of[module_id].append(assessor)
            rows.append({"module_id": module_id, "user_id": assessor, "assigned_at": _SINCE})
    write_rows(connection, ModuleAssessor, rows)
    return assessors_of


def essays(rng: random.Random, count: int = 16) -> list[str]:
    """Answers of 150-300 words, reused across responses."""
    return [" ".join(rng.choices(WORDS, k=rng.randint(150, 300))) for _ in range(count)]


def _attempt_row(attempt: PlannedAttempt) -> dict[str, Any]:
    submitted, marked = attempt.submitted_at, attempt.marked_at
    return {
        "user_id": attempt.learner_id,
        "quiz_id": attempt.summative.quiz_id,
        "revision_id": attempt.summative.revision_id,
        "number": attempt.number,
        "state": AttemptState.MARKED if marked else AttemptState.AWAITING_MARKING,
        "started_at": submitted - timedelta(minutes=50),
        "deadline": None,
        "last_saved_at": submitted,
        "submitted_at": submitted,
        "auto_submitted": False,
        "marked_at": marked,
        "score": 0.0,
        "max_score": 0.0,
        "percent": None,
        "passed": attempt.passed,
        "page": 1,
        "version": 3,
    }


def _response_rows(rng: random.Random, attempts: list[PlannedAttempt]) -> list[dict[str, Any]]:
    texts = essays(rng)
    return [
        {
            "attempt_id": attempt.id,
            "question_id": question_id,
            "position": position,
            "choice_order": [],
            "answer": {"text": texts[(attempt.id + position) % len(texts)]},
            "saved_at": attempt.submitted_at,
            "points": 0.0,
            "max_points": 1.0,
            "outcome": "needs-marking",
            "feedback": [],
        }
        for attempt in attempts
        for position, question_id in enumerate(attempt.summative.questions, start=1)
    ]


def _marking_row(attempt: PlannedAttempt) -> dict[str, Any]:
    finalised = attempt.finalised_at
    return {
        "attempt_id": attempt.id,
        "assessor_id": attempt.assessor_id,
        "state": MarkingState.FINALISED if finalised else MarkingState.DRAFT,
        "started_at": attempt.opened_at,
        "updated_at": finalised or attempt.opened_at,
        "finalised_at": finalised,
        "version": 3 if finalised else 2,
    }


def _judgement_row(
    attempt: PlannedAttempt, j: PlannedJudgement, pools: dict[int, int]
) -> dict[str, Any]:
    nyc, assessor = j.verdict is Verdict.NOT_YET_COMPETENT, attempt.assessor_id
    assert assessor is not None  # only opened attempts are judged
    return {
        "attempt_id": attempt.id,
        "outcome_id": j.outcome_id,
        "learner_id": attempt.learner_id,
        "assessor_id": assessor,
        "verdict": j.verdict,
        "status": attempt.status(j),
        "comment": "Give a figure for each objective, then resubmit." if nyc else "",
        "evidence": "",
        "created_at": attempt.opened_at,
        "finalised_at": attempt.finalised_at,
        "released_at": attempt.released_at(j),
        "pool_id": pools[assessor] if j.sequence else None,
        "sequence": j.sequence,
        "sample_rule": j.rule,
        "from_appeal": False,
    }


def _pools(connection: Connection, seeds: dict[int, str], judged: Counter[int]) -> dict[int, int]:
    rows = [
        {
            "assessor_id": assessor,
            "cohort_key": "",
            "seed": seed,
            "judged": judged[assessor],
            "created_at": _SINCE,
        }
        for assessor, seed in seeds.items()
    ]
    ids = write_rows(connection, ModerationPool, rows, ids=True)
    return dict(zip(seeds, ids, strict=True))


def _judgements(
    connection: Connection,
    rng: random.Random,
    marked: list[PlannedAttempt],
    pools: dict[int, int],
    moderators: list[int],
) -> None:
    pairs = [(a, j) for a in marked for j in a.judgements]
    rows = [_judgement_row(a, j, pools) for a, j in pairs]
    ids = write_rows(connection, OutcomeJudgement, rows, ids=True)
    reviews = [
        {
            "judgement_id": judgement_id,
            "moderator_id": rng.choice(moderators),
            "verdict": ReviewVerdict.CONFIRMED,
            "reason": "",
            "reviewed_at": attempt.reviewed_at,
        }
        for judgement_id, (attempt, j) in zip(ids, pairs, strict=True)
        if j.rule is not None and attempt.reviewed_at is not None
    ]
    write_rows(connection, ModerationReview, reviews)


def generate(learners: int, seed: int, now: datetime, summatives: list[Summative]) -> Generated:
    """Write the people, assignments, pools, attempts, responses, markings and judgements."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, the same on every run)
    with db.engine.begin() as connection:
        learner_ids = _users(connection, rng, learners, Role.LEARNER)
        assessors = _users(connection, rng, ASSESSORS, Role.ASSESSOR)
        moderators = _users(connection, rng, MODERATORS, Role.MODERATOR)
        assessors_of = _assign(connection, summatives, assessors)
        attempts = []
        for n, learner in enumerate(learner_ids):  # learners spread evenly over the modules
            summative = summatives[n % len(summatives)]
            assigned = assessors_of[summative.module_id]
            attempts += plan_learner(rng, learner, summative, assigned, now)
        seeds = {assessor: f"{rng.getrandbits(128):032x}" for assessor in assessors}
        judged = number_judgements(attempts, seeds, SamplingRules.from_config())
        pools = _pools(connection, seeds, judged)
        rows = [_attempt_row(attempt) for attempt in attempts]
        ids = write_rows(connection, Attempt, rows, ids=True)
        for attempt, attempt_id in zip(attempts, ids, strict=True):
            attempt.id = attempt_id
        write_rows(connection, Response, _response_rows(rng, attempts))
        opened = [a for a in attempts if a.assessor_id is not None]
        write_rows(connection, Marking, [_marking_row(a) for a in opened])
        _judgements(connection, rng, opened, pools, moderators)
    if db.engine.dialect.name == "postgresql":
        log("  ANALYZE: the planner's statistics, as autovacuum would gather after a bulk load")
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return Generated(assessors, moderators, assessors_of, attempts)
