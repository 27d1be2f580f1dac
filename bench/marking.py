"""The marking queue and the moderation sample at scale: 5,000 learners with three summative
attempts each.

What it measures
    A fresh database (PostgreSQL by default, created beside ``--postgres`` and dropped at the
    end; ``--sqlite`` for a temporary file) is brought up to date by the migrations and the
    shipped programme is synced (five modules, each with a summative assessment of four essays
    over two or three outcomes). marking_data.py then writes, with bulk inserts, 5,000 learners
    with three attempts each at one module's summative: two judged and moderated, the third
    waiting for an assessor, held in a draft or just finalised; ten assessors marking three
    modules each, their pools numbered and sampled by ``sampling.rule_for``.

    1. The marking queue, ``GET /marking/`` through the app's test client, signed in as an
       assessor: the first page, one module filtered to attempts waiting 3 days or more, and
       page 40 (the pager's link). Each is requested 50 times after a warm-up; p50, p95 and
       the maximum are printed, with the SQL statements of one request. The queries behind the
       page alone (``paginate(queue_query(...))`` and ``markings_of``) are timed the same way,
       so the queries can be told from the rest of the request. Target: p95 under 100 ms.
    2. The sampling: (a) drawing the sample for 1,000 new judgements through ``sampling.draw``,
       marking by marking as ``finalise`` does, and writing them (rolled back afterwards); (b) an
       auditor's recomputation of every pool's sample from its seed (``check_pool``), which
       must find no mismatch; (c) the moderator's queue: page 1 of ``sample_query``,
       ``sample_count`` and, when served, ``GET /moderation/``. Target for (a) and (b): under
       2 s each; (c) has none.

How to run it (from the repository root; PostgreSQL on 127.0.0.1:5432, user postgres)::

    .venv/bin/python bench/marking.py
    .venv/bin/python bench/marking.py --sqlite
    .venv/bin/python bench/marking.py --learners 1000 --requests 20 --json

It is a benchmark, not a test: timings never change the exit status. It is 1 when the run is
invalid (setup failed, a page did not answer as expected, or a recomputed sample differs from
the stored one), 130 when interrupted, 0 otherwise. The database and the temporary instance
folder are always removed.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import machine as machine_state
import psycopg
from attempt_figures import percentile
from flask import Flask
from marking_data import (
    ADMIN_URL,
    Generated,
    bench_app,
    generate,
    load_programme,
    scratch_database,
)
from server import log
from sqlalchemy import event, func, select
from sqlalchemy.exc import SQLAlchemyError
from wrk import BenchError

from lms.assessments.models import Attempt, Response
from lms.auth.models import User
from lms.database import utcnow
from lms.extensions import db
from lms.marking import sampling
from lms.marking.marking_queue import QueueFilter, markings_of, queue_count, queue_query
from lms.marking.models import (
    JudgementStatus,
    Marking,
    ModerationPool,
    ModerationReview,
    OutcomeJudgement,
    Verdict,
)
from lms.marking.moderation import sample_count, sample_query
from lms.pagination import paginate

QUEUE_TARGET_MS = 100.0
SAMPLING_TARGET_S = 2.0
WARM_UP = 5


# --- Timing ----------------------------------------------------------------------------------


def spread(seconds: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * percentile(seconds, 0.50), 2),
        "p95_ms": round(1000 * percentile(seconds, 0.95), 2),
        "max_ms": round(1000 * max(seconds), 2),
    }


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Seconds of each of `runs` calls, after a few untimed ones (connections, caches)."""
    for _ in range(WARM_UP):
        action()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


@contextlib.contextmanager
def counted_statements(app: Flask) -> Iterator[list[int]]:
    """How many SQL statements run inside the block."""
    count = [0]

    def one(*_args: Any) -> None:
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", one)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", one)


# --- The marking queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueView:
    name: str
    path: str
    criteria: QueueFilter
    page: int


def queue_views(module_id: int) -> list[QueueView]:
    return [
        QueueView("first page", "/marking/", QueueFilter(), 1),
        QueueView(
            "one module, waiting 3+ days",
            f"/marking/?module={module_id}&waiting=3",
            QueueFilter(module_id, 3),
            1,
        ),
        # The pager's link, as an assessor follows it (it carries the empty filters).
        QueueView("page 40", "/marking/?module=&waiting=&page=40", QueueFilter(), 40),
    ]


def queue_service(app: Flask, assessor_id: int, view: QueueView) -> Callable[[], int]:
    """The queries behind the page, without the page: its total."""

    def run() -> int:
        with app.app_context():
            assessor = db.session.get(User, assessor_id)
            assert assessor is not None
            query = queue_query(assessor, view.criteria, now=utcnow())
            page = paginate(query, view.page, app.config["PAGE_SIZE"])
            markings_of([attempt.id for attempt in page.items])
            return page.total

    return run


def signed_in_client(app: Flask, user_id: int) -> Any:
    """A test client whose session holds the user, as Flask-Login leaves it at sign-in."""
    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        login_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = login_id, True
    return client


def queue_page(client: Any, path: str, total: int) -> Callable[[], None]:
    """One request of the page, which must answer 200 and show the queue's total."""

    def run() -> None:
        response = client.get(path)
        page = response.get_data(as_text=True)
        if response.status_code != 200:
            raise BenchError(f"GET {path} answered {response.status_code}")
        if f"{total}" not in page and f"{total:,}" not in page:
            raise BenchError(f"GET {path} does not show the queue's total, {total}")

    return run


def measure_queue(app: Flask, data: Generated, runs: int) -> dict[str, Any]:
    assessor = data.assessors[0]
    module_id = next(m for m, marking in data.assessors_of.items() if assessor in marking)
    served = any(rule.rule == "/marking/" for rule in app.url_map.iter_rules())
    client = signed_in_client(app, assessor)
    rows = []
    for view in queue_views(module_id):
        service = queue_service(app, assessor, view)
        total = service()
        row: dict[str, Any] = {"view": view.name, "path": view.path, "total": total}
        row["service"] = spread(timed(service, runs))
        if served:
            request = queue_page(client, view.path, total)
            with counted_statements(app) as statements:
                request()
            row["statements"] = statements[0]
            row["page"] = spread(timed(request, runs))
            row["pass"] = row["page"]["p95_ms"] < QUEUE_TARGET_MS
        log(f"  {view.name}: {total} attempts")
        rows.append(row)
    with app.app_context():
        user = db.session.get(User, assessor)
        assert user is not None
        in_queue = queue_count(user)
    return {"assessor_queue": in_queue, "page_served": served, "views": rows}


# --- The sample ------------------------------------------------------------------------------


def fresh_judgements(data: Generated, now: datetime) -> Iterator[OutcomeJudgement]:
    """Judgements of the attempts nobody has opened, as their assessors would finalise them;
    one marking in four Not Yet Competent."""
    for n, attempt in enumerate(data.waiting()):
        assessors = data.assessors_of[attempt.summative.module_id]
        verdict = Verdict.NOT_YET_COMPETENT if n % 4 == 0 else Verdict.COMPETENT
        for outcome_id in attempt.to_judge:
            yield OutcomeJudgement(
                attempt_id=attempt.id,
                outcome_id=outcome_id,
                learner_id=attempt.learner_id,
                assessor_id=assessors[n % len(assessors)],
                verdict=verdict,
                status=JudgementStatus.DRAFT,
                created_at=now,
                finalised_at=now,
            )


def measure_draws(app: Flask, data: Generated, count: int) -> dict[str, Any]:
    """(a) New judgements drawn marking by marking, as `finalise` does, and written; rolled
    back, so the other figures see the generated data only."""
    with app.app_context():
        rules, drawing = sampling.SamplingRules.from_config(), 0.0
        sampling._picked.cache_clear()  # a worker that has drawn nothing yet
        started = time.perf_counter()
        judgements = list(itertools.islice(fresh_judgements(data, utcnow()), count))
        for _, marking in itertools.groupby(judgements, key=lambda j: j.attempt_id):
            batch = list(marking)
            db.session.add_all(batch)
            began = time.perf_counter()
            sampling.draw(batch, rules)
            drawing += time.perf_counter() - began
            for judgement in batch:
                in_sample = judgement.sample_rule is not None
                judgement.status = JudgementStatus.IN_SAMPLE if in_sample else JudgementStatus.FINAL
        db.session.flush()
        seconds = time.perf_counter() - started
        sampled = sum(j.status is JudgementStatus.IN_SAMPLE for j in judgements)
        db.session.rollback()
    return {
        "judgements": len(judgements),
        "sampled": sampled,
        "seconds": round(seconds, 3),  # drawing and writing them, as finalising pays
        "in_draw_s": round(drawing, 3),
        "per_judgement_ms": round(1000 * seconds / max(1, len(judgements)), 3),
        "pass": seconds < SAMPLING_TARGET_S,
    }


def measure_audit(app: Flask) -> dict[str, Any]:
    """(b) Every pool's sample recomputed from its seed, from a cold cache."""
    with app.app_context():
        rules = sampling.SamplingRules.from_config()
        pools = list(db.session.scalars(select(ModerationPool)))
        sampling._picked.cache_clear()  # an auditor's fresh process
        started = time.perf_counter()
        checks = [sampling.check_pool(pool, rules) for pool in pools]
        seconds = time.perf_counter() - started
        stored = db.session.scalar(
            select(func.count()).where(OutcomeJudgement.sample_rule.is_not(None))
        )
    return {
        "pools": len(checks),
        "judgements": sum(check.judgements for check in checks),
        "sampled": sum(check.sampled for check in checks),
        "sampled_stored": stored,
        "mismatches": sum(len(check.mismatches) for check in checks),
        "seconds": round(seconds, 3),
        "pass": seconds < SAMPLING_TARGET_S,
    }


def measure_moderation(app: Flask, moderator_id: int, runs: int) -> dict[str, Any]:
    """(c) The moderator's queue: its first page and its count, and the page when served."""

    def first_page() -> int:
        with app.app_context():
            moderator = db.session.get(User, moderator_id)
            assert moderator is not None
            return paginate(sample_query(moderator), 1, app.config["PAGE_SIZE"]).total

    def count() -> int:
        with app.app_context():
            moderator = db.session.get(User, moderator_id)
            assert moderator is not None
            return sample_count(moderator)

    waiting = count()
    if first_page() != waiting:
        raise BenchError("the moderator's first page and count disagree")
    figures = {
        "waiting": waiting,
        "first_page": spread(timed(first_page, runs)),
        "count": spread(timed(count, runs)),
    }
    if any(rule.rule == "/moderation/" for rule in app.url_map.iter_rules()):
        request = queue_page(signed_in_client(app, moderator_id), "/moderation/", waiting)
        figures["page"] = spread(timed(request, runs))
    return figures


# --- Counting ----------------------------------------------------------------------------------


def row_counts(app: Flask) -> dict[str, Any]:
    with app.app_context():

        def by(column: Any) -> dict[str, int]:
            rows = db.session.execute(select(column, func.count()).group_by(column))
            return {str(getattr(value, "value", value)): n for value, n in rows}

        tables = (
            User,
            Attempt,
            Response,
            Marking,
            OutcomeJudgement,
            ModerationReview,
            ModerationPool,
        )
        counts: dict[str, Any] = {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in tables
        }
        counts["attempts by state"] = by(Attempt.state)
        counts["markings by state"] = by(Marking.state)
        counts["judgements by status"] = by(OutcomeJudgement.status)
    return counts


# --- The run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine, started = machine_state.before(), time.perf_counter()
    instance = Path(tempfile.mkdtemp(prefix="lms-bench-marking-"))
    try:
        with scratch_database(None if args.sqlite else args.postgres) as database_url:
            app = bench_app(database_url, instance)
            try:
                report = measure(app, args)
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()  # the database can then be dropped
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    machine["load_after"] = machine_state.load()
    report["machine"] = machine
    report["run_s"] = round(time.perf_counter() - started, 1)
    return report


def measure(app: Flask, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    with app.app_context():
        log("migrations and the shipped programme")
        summatives = load_programme()
        log(f"{args.learners:,} learners with 3 summative attempts each")
        data = generate(args.learners, args.seed, utcnow(), summatives)
        database = db.engine.dialect.name
    setup = round(time.perf_counter() - started, 1)
    log(f"data ready in {setup} s; counting rows")
    counts = row_counts(app)
    log(f"the marking queue, {args.requests} requests per view")
    queue = measure_queue(app, data, args.requests)
    log("the moderator's queue")
    moderation = measure_moderation(app, data.moderators[0], args.requests)
    log("recomputing every pool's sample")
    audit = measure_audit(app)
    log(f"drawing the sample for {args.draws:,} new judgements")
    draws = measure_draws(app, data, args.draws)
    return {
        "settings": {"learners": args.learners, "requests": args.requests, "database": database},
        "setup_s": setup,
        "counts": counts,
        "queue": queue,
        "moderation": moderation,
        "audit": audit,
        "draws": draws,
    }


# --- The report ------------------------------------------------------------------------------


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def print_report(report: dict[str, Any]) -> None:
    settings, counts = report["settings"], report["counts"]
    print(
        f"Marking at scale: {settings['learners']:,} learners x 3 summative attempts, "
        f"{settings['database']}; data written in {report['setup_s']} s, whole run "
        f"{report['run_s']} s"
    )
    print(machine_state.describe(report["machine"]))
    print()
    for name, value in counts.items():
        shown = (
            ", ".join(f"{k} {v:,}" for k, v in value.items())
            if isinstance(value, dict)
            else f"{value:,}"
        )
        print(f"  {name:<22} {shown}")
    print()
    print_queue(report["queue"], settings["requests"])
    print()
    print_sampling(report)


def triple(figures: dict[str, float]) -> str:
    return f"{figures['p50_ms']:.1f} / {figures['p95_ms']:.1f} / {figures['max_ms']:.1f}"


def print_queue(queue: dict[str, Any], runs: int) -> None:
    print(
        f"Marking queue of one assessor ({queue['assessor_queue']:,} attempts waiting), "
        f"{runs} requests each, ms; target: page p95 < {QUEUE_TARGET_MS:.0f} ms"
    )
    query, page = "queries p50 / p95 / max", "page p50 / p95 / max"
    print(f"  {'view':<28} {'total':>6}  {query:>23}  {page:>22}  SQL")
    for row in queue["views"]:
        line = f"  {row['view']:<28} {row['total']:>6}  {triple(row['service']):>23}"
        if "page" in row:
            line += f"  {triple(row['page']):>22}  {row['statements']:>3}  {verdict(row['pass'])}"
        else:
            line += "  (/marking/ is not served yet: the queries alone)"
        print(line)


def print_sampling(report: dict[str, Any]) -> None:
    draws, audit, moderation = report["draws"], report["audit"], report["moderation"]
    print(f"Sampling, target < {SAMPLING_TARGET_S:.0f} s")
    print(
        f"  (a) draw and write {draws['judgements']:,} new judgements, marking by marking: "
        f"{draws['seconds']:.3f} s ({draws['per_judgement_ms']:.2f} ms each, "
        f"{draws['in_draw_s']:.3f} s in draw; {draws['sampled']} sampled)   "
        f"{verdict(draws['pass'])}"
    )
    print(
        f"  (b) recompute {audit['pools']} pools, {audit['judgements']:,} judgements: "
        f"{audit['seconds']:.3f} s ({audit['sampled']:,} sampled, "
        f"{audit['mismatches']} mismatches)   {verdict(audit['pass'])}"
    )
    print(
        f"  (c) moderator's queue ({moderation['waiting']:,} waiting), p50 / p95 / max ms: "
        f"page 1 of sample_query {triple(moderation['first_page'])}; "
        f"sample_count {triple(moderation['count'])}"
    )
    if "page" in moderation:
        print(f"      GET /moderation/ {triple(moderation['page'])}")
    print(f"  the stored sample matches the recomputation: {verdict(audit['mismatches'] == 0)}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=5000, help="learners (5,000)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per view (50)")
    parser.add_argument("--draws", type=int, default=1000, help="new judgements drawn (1,000)")
    parser.add_argument("--seed", type=int, default=2026, help="of the generated data (2026)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument(
        "--postgres",
        default=ADMIN_URL,
        help=f"a database to create the scratch one from ({ADMIN_URL})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 50 <= args.learners <= 50_000:
        parser.error("--learners must be between 50 and 50,000")
    if args.requests < 1 or args.draws < 1:
        parser.error("--requests and --draws must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args)
    except (BenchError, OSError, psycopg.Error, SQLAlchemyError) as error:
        log(f"benchmark failed: {error}")
        return 1
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the database and folder are gone
        log("benchmark interrupted")
        return 130
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_report(report)
    return 0 if report["audit"]["mismatches"] == 0 else 1


if __name__ == "__main__":
    for signum in (signal.SIGINT, signal.SIGTERM):  # clean up however the run is stopped
        signal.signal(signum, signal.default_int_handler)
    sys.exit(main())
