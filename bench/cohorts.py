"""Cohorts at scale: the trainer's matrix, the HR dashboard and the completion-record exports
with 100 cohorts of 50 learners, then 100,000 records.

What it measures
    A fresh database (PostgreSQL by default, created beside ``--postgres`` and dropped at the
    end; ``--sqlite`` for a temporary file) is brought up to date by the migrations and the
    shipped programme is synced (five modules of seven lessons, each with a knowledge check
    and a summative). cohort_data.py writes, with bulk inserts, 100 cohorts of 50 learners
    (5,000 learners, 25,000 learner-module records) at every stage, started every four days
    over the last 400 days.

    1. The trainer's matrix, ``GET /cohorts/<id>/progress``, for a 50-learner cohort 12 days
       into its programme, through gunicorn (2 sync workers) signed in as its trainer through
       the login form: ``--requests`` requests one after another after a warm-up; p50, p95 and
       the maximum. The work behind the page alone (``cohort_matrix`` and, inside it,
       ``standings`` for the 50 learners) is timed in this process too, with its SQL
       statements. Target: page p95 under 150 ms.
    2. The HR dashboard, ``GET /dashboard/hr`` (completion of every cohort and module, overdue
       counts, certificates expiring in 30/60/90 days), signed in as HR, and
       ``overview.organisation`` alone, at 100 cohorts and (alone) at 400. No target.
    3. The exports: ``lms export records --format csv|xlsx -o FILE`` run as a process of its
       own, first on the 25,000 records, then after 300 more cohorts (20,000 learners,
       100,000 records). Wall time, CPU time and the process's peak resident memory (its
       ``ru_maxrss``, seen by a small launcher: see cohort_measures.run_lms); the file is read
       back to count its rows. Targets: 100,000 rows in under 3 s (CSV) and 15 s (XLSX), and
       flat memory: the 100,000-row peak under 20 MB above the 25,000-row one. ``standings``
       for the 20,000 learners is timed alone, in this process, to show its share. Then
       ``GET /records/export.csv`` and ``.xlsx`` through a one-worker gunicorn as HR: time to
       the first byte, the whole download, and the worker's peak memory (``VmHWM``).

How to run it (from the repository root; PostgreSQL on 127.0.0.1:5432, user postgres)::

    make bench-cohorts
    .venv/bin/python bench/cohorts.py --sqlite
    .venv/bin/python bench/cohorts.py --requests 50 --json

It is a benchmark, not a test: timings never change the exit status. It is 1 when the run is
invalid (setup failed, a page or an export did not answer as it should), 130 when
interrupted, 0 otherwise. The database, the instance folder and gunicorn are always removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import cohort_measures as measures
import machine as machine_state
import psycopg
from cohort_data import (
    ADMIN_URL,
    HASH_METHOD,
    HR_EMAIL,
    Course,
    Generated,
    add_cohorts,
    add_staff,
    bench_app,
    load_programme,
    scratch_database,
)
from flask import Flask
from server import gunicorn_serving, log, server_env
from sqlalchemy.exc import SQLAlchemyError
from wrk import BenchError

from lms.database import utcnow
from lms.extensions import db

MATRIX_TARGET_MS = 150.0
EXPORT_TARGET_S = {"csv": 3.0, "xlsx": 15.0}
FLAT_MB = 20.0  # what four times the rows may add to an export's peak memory
PER_COHORT, FIRST_COHORTS, EXPORT_COHORTS = 50, 100, 400
MATRIX_COHORT_AGE = 12  # days: the cohort whose matrix is timed is mid-programme


# --- The run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine, started = machine_state.before(), time.perf_counter()
    instance = Path(tempfile.mkdtemp(prefix="lms-bench-cohorts-"))
    try:
        with scratch_database(None if args.sqlite else args.postgres) as database_url:
            app = bench_app(database_url, instance)
            env = server_env(instance)
            env.update(LMS_DATABASE_URL=database_url, LMS_PASSWORD_HASH_METHOD=HASH_METHOD)
            try:
                report = measure(app, env, instance, args)
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


def measure(app: Flask, env: dict[str, str], instance: Path, args: argparse.Namespace) -> Any:
    data, now = Generated(), utcnow()
    with app.app_context():
        log("migrations and the shipped programme")
        courses = load_programme()
        add_staff(data, args.seed)
        database = db.engine.dialect.name
    report: dict[str, Any] = {
        "settings": {"database": database, "requests": args.requests, "hr": args.hr_requests},
        "counts": {},
        "setup": {},
    }
    grow(app, (data, courses, now), report, FIRST_COHORTS, "first", args.seed)
    report["matrix"], report["hr"] = pages(app, env, instance, data, args)
    log(f"exports of the first {data.learners * len(courses):,} records")
    report["exports"] = {"first": measures.cli_exports(env, instance)}
    measures.check_rows(report["exports"], data.learners * len(courses))
    grow(app, (data, courses, now), report, EXPORT_COHORTS - FIRST_COHORTS, "all", args.seed)
    log(f"exports of all {data.learners * len(courses):,} records")
    report["exports"]["all"] = measures.cli_exports(env, instance)
    measures.check_rows(report["exports"], data.learners * len(courses))
    report["exports"]["standings"] = measures.every_standing(app)
    report["hr"]["all"] = measures.hr_service(app, max(3, args.hr_requests // 4))
    log("the exports through gunicorn")
    with gunicorn_serving(instance, env, 1) as (base, process):
        hr = measures.signed_in(base, HR_EMAIL)
        report["exports"]["http"] = measures.http_exports(hr, base, process.pid)
    measures.check_rows(report["exports"], data.learners * len(courses))
    return report


def grow(
    app: Flask,
    world: tuple[Generated, list[Course], datetime],
    report: dict[str, Any],
    cohorts: int,
    name: str,
    seed: int,
) -> None:
    """Add `cohorts` cohorts as they stand at the run's start; the time taken and the tables'
    sizes go in the report."""
    data, courses, now = world
    log(f"{cohorts} cohorts x {PER_COHORT} learners")
    with app.app_context():
        began = time.perf_counter()
        add_cohorts(data, courses, cohorts, PER_COHORT, seed=seed, now=now)
        report["setup"][f"{name}_s"] = round(time.perf_counter() - began, 1)
        report["counts"][name] = measures.row_counts()


def pages(
    app: Flask, env: dict[str, str], instance: Path, data: Generated, args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The matrix of a cohort mid-programme and the HR dashboard: the work behind each in this
    process, then the pages through gunicorn."""
    cohort = min(data.cohort_ids, key=lambda c: abs(data.age_of[c] - MATRIX_COHORT_AGE))
    path = f"/cohorts/{cohort}/progress"
    log("the matrix and the HR dashboard, in this process")
    matrix = measures.matrix_service(app, cohort, args.requests)
    matrix |= {"age_days": data.age_of[cohort], "path": path}
    hr = {"first": measures.hr_service(app, args.hr_requests)}
    log("the same pages through gunicorn")
    with gunicorn_serving(instance, env) as (base, _process):
        trainer = measures.signed_in(base, data.trainer_of[cohort])
        matrix["page"] = measures.page(trainer, base + path, args.requests, "Learners and")
        browser = measures.signed_in(base, HR_EMAIL)
        url = base + "/dashboard/hr"
        hr["first"]["page"] = measures.page(browser, url, args.hr_requests, "Certificates expiring")
    return matrix, hr


# --- The report ------------------------------------------------------------------------------


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def triple(figures: dict[str, float]) -> str:
    return f"{figures['p50_ms']:.1f} / {figures['p95_ms']:.1f} / {figures['max_ms']:.1f}"


def print_report(report: dict[str, Any]) -> None:
    settings, counts = report["settings"], report["counts"]
    print(
        f"Cohorts at scale, {settings['database']}: {FIRST_COHORTS} cohorts x {PER_COHORT} "
        f"learners written in {report['setup']['first_s']} s, {EXPORT_COHORTS - FIRST_COHORTS} "
        f"more in {report['setup']['all_s']} s; whole run {report['run_s']} s"
    )
    print(machine_state.describe(report["machine"]))
    for name, table in counts.items():
        print(f"  rows ({name}): " + ", ".join(f"{k} {v:,}" for k, v in table.items()))
    print()
    matrix = report["matrix"]
    stages = ", ".join(f"{k} {v}" for k, v in matrix["stages"].items())
    print(
        f"Trainer's matrix: cohort of {matrix['learners']} learners, day {matrix['age_days']} "
        f"({stages}); p50 / p95 / max ms, {settings['requests']} requests"
    )
    print(f"  standings() alone            {triple(matrix['standings'])}")
    print(
        f"  cohort_matrix() alone        {triple(matrix['service'])}   "
        f"{matrix['statements']} SQL statements"
    )
    passed = matrix["page"]["p95_ms"] < MATRIX_TARGET_MS
    print(
        f"  GET {matrix['path']:<24} {triple(matrix['page'])}   "
        f"target p95 < {MATRIX_TARGET_MS:.0f} ms  {verdict(passed)}"
    )
    print()
    first, everyone = report["hr"]["first"], report["hr"]["all"]
    print("HR dashboard, p50 / p95 / max ms (no target)")
    print(
        f"  {FIRST_COHORTS} cohorts: organisation() {triple(first['service'])} "
        f"({first['statements']} SQL); GET /dashboard/hr {triple(first['page'])}"
    )
    print(
        f"  {EXPORT_COHORTS} cohorts: organisation() {triple(everyone['service'])} "
        f"({everyone['statements']} SQL)"
    )
    print()
    print_exports(report["exports"])


WIDTHS = (8, 8, 7, 12, 8)


def print_exports(exports: dict[str, Any]) -> None:
    print("Exports: lms export records, a process of its own")
    print(
        f"  {'format':<7} {'rows':>8} {'wall s':>8} {'CPU s':>7} {'peak RSS MB':>12} {'file MB':>8}"
    )
    for fmt in EXPORT_TARGET_S:
        for size in ("first", "all"):
            got = exports[size][fmt]
            print(
                f"  {fmt:<7} {got['rows']:>{WIDTHS[0]},} {got['seconds']:>{WIDTHS[1]}.2f} "
                f"{got['cpu_s']:>{WIDTHS[2]}.2f} {got['peak_mb']:>{WIDTHS[3]}.1f} "
                f"{got['mb']:>{WIDTHS[4]}.1f}"
            )
    for fmt, target in EXPORT_TARGET_S.items():
        small, large = exports["first"][fmt], exports["all"][fmt]
        growth = large["peak_mb"] - small["peak_mb"]
        print(
            f"  {fmt}: {large['rows']:,} rows in {large['seconds']:.2f} s, target < {target:.0f} s "
            f"{verdict(large['seconds'] < target)}; peak memory {growth:+.1f} MB from "
            f"{small['rows']:,} rows, target flat (< {FLAT_MB:.0f} MB) {verdict(growth < FLAT_MB)}"
        )
    alone = exports["standings"]
    print(
        f"  of which deciding where learners stand: standings() for all {alone['learners']:,} "
        f"learners alone, in this process, {alone['seconds']:.2f} s ({alone['cpu_s']:.2f} s CPU)"
    )
    http = exports["http"]
    print(f"Exports through gunicorn, one worker (peak RSS {http['start_mb']} MB after start)")
    for fmt in EXPORT_TARGET_S:
        got = http[fmt]
        print(
            f"  GET /records/export.{fmt}: {got['rows']:,} rows, {got['mb']:.1f} MB in "
            f"{got['seconds']:.2f} s, first byte after {got['first_byte_ms']:,} ms; "
            f"worker peak RSS {got['peak_mb']} MB"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="matrix requests (200)")
    parser.add_argument("--hr-requests", type=int, default=20, help="HR dashboards (20)")
    parser.add_argument("--seed", type=int, default=2026, help="of the generated data (2026)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument(
        "--postgres", default=ADMIN_URL, help=f"the scratch database's neighbour ({ADMIN_URL})"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.hr_requests < 1:
        parser.error("--requests and --hr-requests must be 1 or more")
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
    return 0


if __name__ == "__main__":
    for signum in (signal.SIGINT, signal.SIGTERM):  # clean up however the run is stopped
        signal.signal(signum, signal.default_int_handler)
    sys.exit(main())
