"""The cohorts benchmark's measures: the work behind the pages timed in this process, the pages
timed over HTTP, and the exports run as processes of their own, with their peak memory.

An export's peak memory is its process's own ``ru_maxrss``, as a small launcher sees it with
``getrusage(RUSAGE_CHILDREN)``; over HTTP it is the gunicorn worker's ``VmHWM`` (the most it
has held since it started), read before and after each download.
"""

from __future__ import annotations

import csv
import http.cookiejar
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
from cohort_data import PASSWORD
from flask import Flask
from marking import counted_statements, spread, timed
from server import BIN_DIR, REPO_ROOT, csrf_token, opener, peak_mb, workers_of
from sqlalchemy import func, select
from wrk import BenchError

from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.matrix import cohort_matrix
from lms.cohorts.models import Cohort, Membership
from lms.cohorts.overview import organisation
from lms.cohorts.standing import standings
from lms.content.catalogue import current_catalogue
from lms.database import utcnow
from lms.extensions import db
from lms.learning.models import LessonProgress
from lms.marking.models import OutcomeJudgement

EXPORT_TIMEOUT = 600  # seconds: a hung export fails the run
FORMATS = ("csv", "xlsx")
LANDING = "/account"  # the cheapest signed-in page


# --- In this process -------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    tables = (User, Membership, LessonProgress, Attempt, OutcomeJudgement, Certificate)
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in tables
    }


def matrix_service(app: Flask, cohort_id: int, runs: int) -> dict[str, Any]:
    """`cohort_matrix` for the cohort, and `standings` for its learners alone, each in a fresh
    session as a request has; the stages found, and the SQL statements of one matrix."""
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        assert cohort is not None
        matrix = cohort_matrix(cohort, now=utcnow())
        stages = Counter(cell.stage.short for row in matrix.rows for cell in row.cells)
        learners = [row.learner.id for row in matrix.rows]

    def whole() -> None:
        with app.app_context():
            found = db.session.get(Cohort, cohort_id)
            assert found is not None
            cohort_matrix(found, now=utcnow())

    def alone() -> None:
        with app.app_context():
            standings(learners, current_catalogue().modules, now=utcnow())

    with counted_statements(app) as statements:
        whole()
    return {
        "learners": len(learners),
        "stages": dict(sorted(stages.items())),
        "statements": statements[0],
        "standings": spread(timed(alone, runs)),
        "service": spread(timed(whole, runs)),
    }


def every_standing(app: Flask) -> dict[str, Any]:
    """`standings` of every current learner in every module, once: the share of an export
    spent deciding where learners stand."""
    with app.app_context():
        learners = list(
            db.session.scalars(select(Membership.user_id).where(Membership.left_at.is_(None)))
        )
        started, cpu = time.perf_counter(), time.process_time()
        standings(learners, current_catalogue().modules, now=utcnow())
        return {
            "learners": len(learners),
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_s": round(time.process_time() - cpu, 2),
        }


def hr_service(app: Flask, runs: int) -> dict[str, Any]:
    """`overview.organisation`, the HR dashboard's figures, in a fresh session each time."""

    def figures() -> None:
        with app.app_context():
            organisation(now=utcnow())

    with counted_statements(app) as statements:
        figures()
    return {"statements": statements[0], "service": spread(timed(figures, runs))}


# --- Over HTTP -------------------------------------------------------------------------------


def signed_in(base: str, email: str) -> urllib.request.OpenerDirector:
    """A browser signed in through the login form, landing on the light account page: HR's
    dashboard at 20,000 learners would take longer than a sign-in may."""
    browser = opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(f"{base}/login?next={LANDING}", timeout=10) as response:
        token = csrf_token(response.read().decode())
    form = {"email": email, "password": PASSWORD, "csrf_token": token, "next": LANDING}
    try:
        with browser.open(f"{base}/login", urllib.parse.urlencode(form).encode(), 30) as response:
            landed = urllib.parse.urlsplit(response.url).path
            response.read()
    except urllib.error.HTTPError as error:
        raise BenchError(f"signing in as {email} was refused: {error.code}") from error
    if landed != LANDING:
        raise BenchError(f"signing in as {email} landed on {landed}, not {LANDING}")
    return browser


def page(browser: urllib.request.OpenerDirector, url: str, runs: int, marker: str = "") -> Any:
    """p50, p95 and the maximum of `runs` requests of the page, one after another; each must
    answer 200 without a redirect and contain `marker`."""

    def one() -> None:
        try:
            with browser.open(url, timeout=120) as response:
                body = response.read().decode()
                landed = response.url
        except urllib.error.HTTPError as error:
            raise BenchError(f"{url} answered {error.code}") from error
        if landed != url:
            raise BenchError(f"{url} was redirected to {landed}")
        if marker not in body:
            raise BenchError(f"{url} answered without {marker!r}")

    return spread(timed(one, runs))


def http_exports(browser: urllib.request.OpenerDirector, base: str, master: int) -> Any:
    """Each format downloaded in 64 KB chunks; the one worker's peak memory after each."""
    worker = workers_of(master)[0]
    figures: dict[str, Any] = {"start_mb": peak_mb(worker)}
    for fmt in FORMATS:
        url = f"{base}/records/export.{fmt}"
        body, started, first_byte = io.BytesIO(), time.perf_counter(), None
        try:
            with browser.open(url, timeout=EXPORT_TIMEOUT) as response:
                while chunk := response.read(64 * 1024):
                    first_byte = first_byte or time.perf_counter()
                    body.write(chunk)
        except urllib.error.HTTPError as error:
            raise BenchError(f"{url} answered {error.code}") from error
        seconds = time.perf_counter() - started
        figures[fmt] = {
            "mb": round(body.getbuffer().nbytes / 2**20, 1),
            "rows": count_rows(fmt, body),
            "seconds": round(seconds, 2),
            "first_byte_ms": round(1000 * ((first_byte or started) - started)),
            "peak_mb": peak_mb(worker),
        }
    return figures


# --- The command line ------------------------------------------------------------------------


def cli_exports(env: dict[str, str], folder: Path) -> dict[str, Any]:
    """`lms export records` in each format, as a process of its own, every record."""
    figures = {}
    for fmt in FORMATS:
        target = folder / f"records.{fmt}"
        used = run_lms(["export", "records", "--format", fmt, "-o", str(target)], env)
        with target.open("rb") as handle:
            rows = count_rows(fmt, handle)
        figures[fmt] = {"rows": rows, "mb": round(target.stat().st_size / 2**20, 1), **used}
        target.unlink()
    return figures


def check_rows(exports: dict[str, Any], expected: int) -> None:
    """The latest exports hold one row per learner and module, or the run is refused."""
    latest = exports.get("http") or exports.get("all") or exports["first"]
    for fmt in FORMATS:
        if latest[fmt]["rows"] != expected:
            raise BenchError(
                f"the {fmt} export held {latest[fmt]['rows']:,} rows, not {expected:,}"
            )


def run_lms(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run `lms <args>` from a small launcher: its wall time, CPU time and peak memory.

    Linux counts in a child's peak the memory of the process it was forked from (its copy of
    that image, before `exec`), and this process holds the generated data: forked from here,
    every export would seem to need what this process holds. The launcher forks it from a
    bare Python instead, and reports its resource usage.
    """
    log_path = Path(env["LMS_INSTANCE_PATH"]) / "lms-command.log"
    with log_path.open("wb") as output:
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(BIN_DIR / "lms"), *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=output,
            timeout=EXPORT_TIMEOUT,
            check=False,
        )
    if done.returncode != 0:
        raise BenchError(f"lms {' '.join(args)} failed:\n{log_path.read_text()}")
    return dict(json.loads(done.stdout.decode().splitlines()[-1]))


LAUNCHER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=sys.stderr)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": round(seconds, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                  "peak_mb": round(usage.ru_maxrss / 1024, 1)}))
sys.exit(code)
"""


def count_rows(fmt: str, content: Any) -> int:
    """Data rows in an exported file (its header not counted), read back."""
    content.seek(0)
    if fmt == "csv":
        text = io.TextIOWrapper(content, "utf-8-sig", newline="")
        rows = sum(1 for _ in csv.reader(text)) - 1
        text.detach()  # the caller's file stays open
        return rows
    book = openpyxl.load_workbook(content, read_only=True)
    try:
        return int(book.worksheets[0].max_row or 0) - 1  # the dimension XlsxWriter records
    finally:
        book.close()
