"""Many learners taking a knowledge check at once, under gunicorn on PostgreSQL: how fast the
attempts are saved and submitted, and that none is lost or counted twice.

What it measures
    A fresh PostgreSQL database is created (and dropped at the end) and brought up to date
    with ``lms db upgrade``. ``lms content sync`` loads one generated module of three lessons
    and its knowledge check of 15 questions, cycling through the six automatically marked
    types, answers shuffled, one question per page (generated_quiz.py). 200 learners are
    created, with every lesson done, so the check is open to them (quiz_database.py).

    gunicorn then serves the app with 2 workers of 4 threads each (``--threads``; 1 gives the
    sync workers of the HTTP benchmark) on 127.0.0.1 (attempt_server.py), and 200 simulated
    learners, one thread each, start at the same moment. Each, through real pages and forms
    (learner_session.py):

    1. opens ``/login`` and signs in with the page's CSRF token;
    2. opens the quiz page and presses Start (``POST .../start``);
    3. on each of the 15 pages, reads the question's fields and the choices' labels, and saves
       the right answer (``POST /attempts/<id>`` with ``page=N``, ``go=next``; ``go=finish``
       on the last page), then opens the page the redirect points to;
    4. opens the finish page ("15 of 15 questions answered"), submits, and opens the review.

    One learner in ten submits twice at the same moment, from two connections, as a double
    click or a second tab would. Both must be answered with the redirect to the review.

    Reported: the wall time of the 200 journeys; requests and learners per second; p50, p95
    and the maximum latency of every step as the learners saw it, and the time each step
    spent inside a worker (gunicorn's access log); errors by status; the CPU time used by
    gunicorn's workers, PostgreSQL and this client (they share the machine's CPUs). Then the
    database is counted: finished attempts, learners with more than one attempt,
    ``attempt.submitted`` audit events, answered responses and attempts scored 100 % must be
    exactly what 200 learners x 15 questions give: PASS or FAIL for each. Finally
    ``bench/gift_parse.py``'s figure (parsing a 2,000-question GIFT file) is taken in this
    process, for the same machine line.

How to run it (from the repository root; PostgreSQL on 127.0.0.1:5432, user postgres)::

    .venv/bin/python bench/attempts.py                      # 200 learners, 2 workers x 4 threads
    .venv/bin/python bench/attempts.py --threads 1          # gunicorn's sync workers
    .venv/bin/python bench/attempts.py --learners 50 --json
    .venv/bin/python bench/attempts.py --postgres postgresql://postgres@db.local:5432/postgres

It is a benchmark, not a test: nothing asserts timings. The exit status is 1 when the run is
invalid (setup failed) or when a count is wrong (an attempt lost or duplicated is a bug, not
noise), 130 when interrupted, 0 otherwise. The database and temporary folders are always
removed and gunicorn always stopped; all traffic stays on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import cpu_time
import gift_parse
import machine as machine_state
import psycopg
from attempt_figures import Journey, print_report, server_times, summarise
from attempt_server import WORKERS, gunicorn
from generated_quiz import MODULE_SLUG, QUIZ_SLUG, RightAnswer, quiz_programme
from learner_session import LearnerSession, PageForm, UnexpectedReply, answer_fields
from quiz_database import (
    ADMIN_URL,
    PASSWORD,
    add_learners,
    database_counts,
    lms_env,
    load_programme,
    scratch_database,
)
from server import HOST, log
from wrk import BenchError

QUESTIONS = 15
RUN_TIMEOUT = 900  # seconds for all learners; a hung server fails the run instead of the shell


# --- The learners ----------------------------------------------------------------------------


def take_quiz(
    session: LearnerSession, email: str, key: dict[int, RightAnswer], double: bool
) -> bool:
    """Sign in, start the knowledge check, answer every page, submit; whether the finish page
    showed every question answered."""
    token = PageForm(session.get("login page", "/login").text).csrf_token
    form = [("csrf_token", token), ("next", ""), ("email", email), ("password", PASSWORD)]
    session.post("login", "/login", form, expect=302)
    quiz = f"/quizzes/{MODULE_SLUG}/{QUIZ_SLUG}"
    token = PageForm(session.get("quiz page", quiz).text).csrf_token
    where = session.post("start", f"{quiz}/start", [("csrf_token", token)], expect=303).location
    attempt = where.split("?")[0]
    for number in range(1, len(key) + 1):
        page = PageForm(session.get("question page", where).text)
        go = "next" if number < len(key) else "finish"
        fields = [("csrf_token", page.csrf_token), ("page", str(number)), ("go", go)]
        fields += answer_fields(page, f"q{number}", key[number])
        where = session.post("save", attempt, fields, expect=303).location
    if where != f"{attempt}/finish":
        raise UnexpectedReply("save", 303, f"went to {where}, not the finish page")
    finish = session.get("finish page", where).text
    complete = f"{len(key)} of {len(key)} questions answered" in finish
    submit = [("csrf_token", PageForm(finish).csrf_token)]
    if double:
        where = double_submit(session, f"{attempt}/submit", submit)
    else:
        where = session.post("submit", f"{attempt}/submit", submit, expect=303).location
    session.get("review", where)
    return complete


def double_submit(session: LearnerSession, path: str, form: list[tuple[str, str]]) -> str:
    """Two submits of one attempt at the same moment, from two connections (two tabs)."""
    tabs = [session.copy(), session.copy()]
    ready = threading.Barrier(len(tabs))
    replies: list[str | UnexpectedReply] = [""] * len(tabs)

    def press(index: int) -> None:
        ready.wait()
        try:
            replies[index] = tabs[index].post("submit", path, form, expect=303).location
        except UnexpectedReply as refused:
            replies[index] = refused
        finally:
            tabs[index].close()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for tab in tabs:
        session.timings.extend(tab.timings)
        session.retries += tab.retries
    session.cookies.update(tabs[0].cookies)
    refused = [reply for reply in replies if isinstance(reply, UnexpectedReply)]
    if refused:
        raise refused[0]
    return str(replies[0])


def run_learners(
    port: int, emails: list[str], key: dict[int, RightAnswer], double_every: int
) -> tuple[list[Journey], float]:
    """Every learner's journey, all started at the same moment; and the wall time."""
    journeys = [Journey() for _ in emails]
    start = threading.Barrier(len(emails) + 1)

    def learner(index: int) -> None:
        journey, session = journeys[index], LearnerSession(HOST, port)
        double = double_every > 0 and index % double_every == 0
        start.wait()
        began = time.perf_counter()
        try:
            journey.finish_page_complete = take_quiz(session, emails[index], key, double)
        except UnexpectedReply as failure:
            journey.error = str(failure)
            journey.failed_step, journey.failed_status = failure.step, failure.status
        except BenchError as failure:  # the page lacked what a learner needs to go on
            journey.error = str(failure)
            journey.failed_step, journey.failed_status = "reading a page", None
        except Exception as failure:  # a fault of this client: counted, never mistaken for done
            journey.error = f"{type(failure).__name__}: {failure}"
            journey.failed_step, journey.failed_status = "client", None
        finally:
            session.close()
            journey.seconds = time.perf_counter() - began
            journey.timings, journey.retries = session.timings, session.retries
            if double:
                journey.double_submit_statuses = tuple(
                    t.status for t in session.timings if t.step == "submit"
                )

    threads = [
        threading.Thread(target=learner, args=(index,), daemon=True) for index in range(len(emails))
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    deadline = began + RUN_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()))
    if any(thread.is_alive() for thread in threads):
        raise BenchError(f"the learners did not finish within {RUN_TIMEOUT} s")
    return journeys, time.perf_counter() - began


# --- The run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine = machine_state.before()
    instance = Path(tempfile.mkdtemp(prefix="lms-bench-attempts-"))
    try:
        with (
            quiz_programme(QUESTIONS) as (root, key),
            scratch_database(args.postgres) as database_url,
        ):
            env = lms_env(instance, database_url, root)
            load_programme(env, root)
            emails = add_learners(env, args.learners)
            access_log = instance / "access.log"
            with gunicorn(env, args.threads, instance, access_log) as (port, master):
                log(f"gunicorn ready on port {port}; {args.learners} learners start now")
                groups = {"gunicorn_workers_cpu_s": master}
                named = {"postgresql_cpu_s": "postgres"}
                before, client_before = cpu_time.sample(groups, named), _own_cpu()
                journeys, wall = run_learners(port, emails, key, args.double_submit_every)
                cpu = cpu_time.between(before, cpu_time.sample(groups, named))
                cpu["client_cpu_s"] = round(_own_cpu() - client_before, 1)
            in_worker = server_times(access_log)
            log("counting attempts, audit events and responses")
            counts = database_counts(database_url, args.learners, QUESTIONS)
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    gift = None
    if args.gift_runs:
        log(f"bench/gift_parse.py: 2,000 questions, {args.gift_runs} runs")
        gift = gift_parse.run(2000, args.gift_runs)
        gift = {k: gift[k] for k in ("questions", "best_s", "median_s", "questions_per_s")}
    machine["load_after"] = machine_state.load()
    settings = {
        "learners": args.learners,
        "questions": QUESTIONS,
        "workers": WORKERS,
        "threads": args.threads,
        "double_submit_every": args.double_submit_every,
    }
    return {
        "settings": settings,
        "run": summarise(journeys, wall, in_worker),
        "cpu": cpu,
        "counts": counts,
        "gift_parse": gift,
        "machine": machine,
    }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=200, help="simulated learners (200)")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (4; 1: sync workers)"
    )
    parser.add_argument(
        "--double-submit-every",
        type=int,
        default=10,
        metavar="N",
        help="one learner in N submits twice at once (10; 0: none)",
    )
    parser.add_argument(
        "--gift-runs", type=int, default=5, help="runs of bench/gift_parse.py (5; 0: skip it)"
    )
    parser.add_argument(
        "--postgres",
        default=ADMIN_URL,
        help=f"a database to create the scratch one from ({ADMIN_URL})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 1000:
        parser.error("--learners must be between 1 and 1000")
    if not 1 <= args.threads <= 64:
        parser.error("--threads must be between 1 and 64")
    if args.double_submit_every < 0 or args.gift_runs < 0:
        parser.error("--double-submit-every and --gift-runs must be 0 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args)
    except (BenchError, OSError, subprocess.SubprocessError, psycopg.Error) as error:
        log(f"benchmark failed: {error}")
        return 1
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the server, database and folders are gone
        log("benchmark interrupted")
        return 130
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0 if all(row["pass"] for row in report["counts"]) else 1


if __name__ == "__main__":
    for signum in (signal.SIGINT, signal.SIGTERM):  # clean up however the run is stopped
        signal.signal(signum, signal.default_int_handler)
    sys.exit(main())
