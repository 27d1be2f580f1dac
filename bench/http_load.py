"""HTTP throughput and latency of the platform under gunicorn, measured with wrk.

What it measures
    Requests per second and the latency distribution (p50, p90, p95, p99) of four endpoints,
    served by gunicorn with 2 sync workers from a fresh SQLite instance holding the demo data:

    * ``/healthz``: the floor of the stack (routing, access hook, one ``SELECT 1``, JSON);
    * ``/account``: the cheapest signed-in page (the user and the layout, nothing else), shown
      for reference: every signed-in page costs at least this;
    * ``/dashboard/learner``: a real signed-in page (session cookie, user and role loading,
      access rule, Jinja layout with navigation and CSRF token, security headers);
    * ``/learn/bench-reading/<lesson>``: the learner reading a generated 900-word lesson
      (the module's lessons with the learner's progress, the lesson's stored HTML and table
      of contents, the completion form; the view is recorded at most once a minute, so
      repeated views write nothing).

    The pages are compared with ``/healthz`` on the same machine in the same run, so each
    ratio says how much the page costs above the bare stack, whatever the machine's speed.

Targets
    dashboard throughput >= 40 % of /healthz throughput, and dashboard p95 < 50 ms;
    lesson throughput >= 50 % of /healthz throughput (its p95 is reported, without a target).

How to run it (from the repository root; needs ``wrk`` on the PATH)::

    .venv/bin/python bench/http_load.py               # 10 s per endpoint, 32 connections
    .venv/bin/python bench/http_load.py --duration 5 --connections 16
    .venv/bin/python bench/http_load.py --json        # the figures as JSON on stdout

The script writes a temporary content folder (the shipped modules plus a generated module
holding the 900-word lesson: generated_content.py), starts a fresh instance on it under
gunicorn (server.py), signs in as the demo learner through the real login form, checks the
cookie opens the dashboard and the lesson, then runs wrk (after a 2 s warm-up) against each
endpoint (wrk.py). Everything temporary is removed and gunicorn always stopped; all traffic
stays on 127.0.0.1. It is a benchmark, not a test: nothing asserts timings, and the exit
status is non-zero only when the run itself is invalid (setup failed, error responses or
redirects were seen).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import machine as machine_state
from generated_content import ReadingLesson, reading_content
from server import DASHBOARD_PATH, WORKERS, check_page, log, running_server, sign_in
from wrk import WRK_THREADS, BenchError, Result, lua_script, parse_wrk, run_wrk, wrk_command

WARMUP_SECONDS = 2
DASHBOARD_MARKER = "Learner dashboard"
TARGET_DASHBOARD_RATIO_PERCENT = 40.0
TARGET_DASHBOARD_P95_MS = 50.0
TARGET_LESSON_RATIO_PERCENT = 50.0
# The cheapest signed-in page (the user's own details): what every signed-in page pays at least.
FLOOR_PATH = "/account"
FLOOR_MARKER = "My account"
REDIRECT_TOLERANCE = 0.95  # mean response size below this share of the page's: redirects
LESSON_WORDS_TOLERANCE = 20  # the page must say 900 words, give or take this many


@dataclass(frozen=True)
class Report:
    results: list[Result]
    targets: dict[str, dict[str, Any]]
    lesson: dict[str, Any]
    machine: dict[str, Any]


def measure(
    base: str, path: str, args: argparse.Namespace, lua: Path, cookie: str | None
) -> Result:
    url = base + path
    log(f"warming up {path} ({WARMUP_SECONDS} s)")
    run_wrk(wrk_command(url, WARMUP_SECONDS, args.connections, lua, cookie), WARMUP_SECONDS)
    log(f"measuring {path} ({args.duration} s, {args.connections} connections)")
    output = run_wrk(wrk_command(url, args.duration, args.connections, lua, cookie), args.duration)
    return parse_wrk(path, output)


def check_responses(result: Result, page_bytes: int = 0) -> None:
    """Refuse error responses, and redirects: wrk counts only 4xx and 5xx as errors, but a
    page redirected to /login (~0.9 kB) shows in the mean size of the responses."""
    if result.non_2xx_3xx:
        raise BenchError(f"{result.endpoint}: {result.non_2xx_3xx} non-2xx/3xx responses")
    if result.requests == 0:
        raise BenchError(f"{result.endpoint}: no request completed")
    if result.mean_bytes < REDIRECT_TOLERANCE * page_bytes:
        raise BenchError(
            f"{result.endpoint}: responses average {result.mean_bytes:.0f} bytes, not the "
            f"{page_bytes} of the page: some were redirects (did the session cookie fail?)"
        )


def check_lesson(base: str, cookie: str, lesson: ReadingLesson) -> int:
    """The lesson opens with the bare cookie and shows its ~900 words; the page's bytes."""
    page = check_page(base, lesson.path, cookie, lesson.title)
    shown = re.search(r"\((\d+) words\)", page.text)
    if shown is None or abs(int(shown.group(1)) - lesson.words) > LESSON_WORDS_TOLERANCE:
        counted = shown.group(1) if shown else "no"
        raise BenchError(f"{lesson.path} shows {counted} words, not about {lesson.words}")
    parts = {
        "table of contents": 'class="toc',
        "table": "<table",
        "list": "<ul",
        "admonition": 'class="admonition',
    }
    missing = [name for name, mark in parts.items() if mark not in page.text]
    if missing:
        raise BenchError(f"{lesson.path} has no {', no '.join(missing)}")
    return page.size


# --- Report -----------------------------------------------------------------------------------


def verdict(
    health: Result, page: Result, ratio_target: float | None, p95_target: float | None
) -> dict[str, Any]:
    ratio = 100 * page.requests_per_sec / health.requests_per_sec
    return {
        "endpoint": page.endpoint,
        "throughput_ratio_percent": round(ratio, 1),
        "ratio_target_percent": ratio_target,
        "ratio_pass": None if ratio_target is None else ratio >= ratio_target,
        "p95_ms": page.p95_ms,
        "p95_target_ms": p95_target,
        "p95_pass": None if p95_target is None else page.p95_ms < p95_target,
    }


def _mark(passed: bool | None) -> str:
    return "" if passed is None else ("PASS" if passed else "MISS")


def print_table(report: Report, args: argparse.Namespace) -> None:
    machine, lesson = report.machine, report.lesson
    print(f"wrk -t{WRK_THREADS} -c{args.connections} -d{args.duration}s, gunicorn -w {WORKERS}")
    print(machine_state.describe(machine))
    print(f"lesson: {lesson['path']} ({lesson['words']} words, {lesson['page_bytes']} bytes)")
    print()
    print(f"{'endpoint':<20} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for r in report.results:
        name = "/learn/<lesson>" if r.endpoint == lesson["path"] else r.endpoint
        print(
            f"{name:<20} {r.requests_per_sec:>9.1f} {r.p50_ms:>8.2f} {r.p90_ms:>8.2f} "
            f"{r.p95_ms:>8.2f} {r.p99_ms:>8.2f}"
        )
        if r.socket_errors:
            print(f"  {r.socket_errors} socket errors (connect, read, write or timeout)")
    print()
    for name, target in report.targets.items():
        ratio, goal = target["throughput_ratio_percent"], target["ratio_target_percent"]
        label = f"{name} / healthz throughput"
        wanted = f"target >= {goal:.0f} %   " if goal is not None else "(reference)"
        print(f"{label:<36} {ratio:>6.1f} %   {wanted}{_mark(target['ratio_pass'])}".rstrip())
        p95, p95_goal = target["p95_ms"], target["p95_target_ms"]
        wanted = f"target <  {p95_goal:.0f} ms  " if p95_goal is not None else "(no target)"
        print(f"{name + ' p95':<36} {p95:>6.1f} ms  {wanted}{_mark(target['p95_pass'])}".rstrip())


def run(args: argparse.Namespace) -> Report:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    machine = machine_state.before()
    with (
        lua_script() as lua,
        reading_content() as (content, lesson),
        running_server(content) as (base, learner),
    ):
        log(f"gunicorn ready at {base}; signing in as {learner['email']}")
        cookie = sign_in(base, learner["email"], learner["password"])
        dashboard_bytes = check_page(base, DASHBOARD_PATH, cookie, DASHBOARD_MARKER).size
        lesson_bytes = check_lesson(base, cookie, lesson)
        floor_bytes = check_page(base, FLOOR_PATH, cookie, FLOOR_MARKER).size
        health = measure(base, "/healthz", args, lua, None)
        check_responses(health)
        floor = measure(base, FLOOR_PATH, args, lua, cookie)
        check_responses(floor, floor_bytes)
        dashboard = measure(base, DASHBOARD_PATH, args, lua, cookie)
        check_responses(dashboard, dashboard_bytes)
        reading = measure(base, lesson.path, args, lua, cookie)
        check_responses(reading, lesson_bytes)
        check_page(base, DASHBOARD_PATH, cookie, DASHBOARD_MARKER)  # the cookie still works
        check_page(base, lesson.path, cookie, lesson.title)
    machine["load_after"] = machine_state.load()
    targets = {
        "signed-in floor": verdict(health, floor, None, None),
        "dashboard": verdict(
            health, dashboard, TARGET_DASHBOARD_RATIO_PERCENT, TARGET_DASHBOARD_P95_MS
        ),
        "lesson": verdict(health, reading, TARGET_LESSON_RATIO_PERCENT, None),
    }
    about = {**asdict(lesson), "page_bytes": lesson_bytes}
    return Report([health, floor, dashboard, reading], targets, about, machine)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint (10)")
    parser.add_argument("--connections", type=int, default=32, help="open connections (32)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if not WRK_THREADS <= args.connections <= 1000:
        parser.error(f"--connections must be between {WRK_THREADS} and 1000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args)
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        log(f"benchmark failed: {error}")
        return 1
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the server and folders are already gone
        log("benchmark interrupted")
        return 130
    if args.json:
        settings = {"connections": args.connections, "duration_s": args.duration}
        print(json.dumps({"settings": settings, **asdict(report)}, indent=2))
    else:
        print_table(report, args)
    return 0


if __name__ == "__main__":
    for signum in (signal.SIGINT, signal.SIGTERM):  # clean up however the run is stopped
        signal.signal(signum, signal.default_int_handler)
    sys.exit(main())
