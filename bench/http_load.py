"""HTTP throughput and latency of the platform under gunicorn, measured with wrk.

What it measures
    Requests per second and the latency distribution (p50, p90, p95, p99) of two endpoints,
    served by gunicorn with 2 sync workers from a fresh SQLite instance holding the demo data:

    * ``/healthz``: the floor of the stack (routing, access hook, one ``SELECT 1``, JSON);
    * ``/dashboard/learner``: a real signed-in page (session cookie, user and role loading,
      access rule, Jinja layout with navigation and CSRF token, security headers).

    The dashboard is compared with ``/healthz`` on the same machine in the same run, so the
    ratio says how much the page costs above the bare stack, whatever the machine's speed.

Targets
    dashboard throughput >= 40 % of /healthz throughput, and dashboard p95 < 50 ms.

How to run it (from the repository root; needs ``wrk`` on the PATH)::

    .venv/bin/python bench/http_load.py               # 10 s per endpoint, 32 connections
    .venv/bin/python bench/http_load.py --duration 5 --connections 16
    .venv/bin/python bench/http_load.py --json        # the figures as JSON on stdout

The script creates a temporary instance folder (``LMS_INSTANCE_PATH``; ``LMS_DATABASE_URL``
is ignored so no real database is touched), loads the demo data with ``lms demo --json``,
starts gunicorn on a free port of 127.0.0.1, signs in as the demo learner through the real
login form, checks the cookie opens the dashboard, then runs wrk (after a 2 s warm-up) against
each endpoint. gunicorn is always stopped and the folder removed. All traffic stays on
127.0.0.1. It is a benchmark, not a test: nothing asserts timings, and the exit status is
non-zero only when the run itself is invalid (setup failed, or error responses were seen).
Building the wrk command and its Lua hook, running wrk and reading its output are in wrk.py.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from wrk import (
    USER_AGENT,
    WRK_THREADS,
    BenchError,
    Result,
    lua_script,
    parse_wrk,
    run_wrk,
    wrk_command,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
HOST = "127.0.0.1"
WORKERS = 2
WARMUP_SECONDS = 2
STARTUP_TIMEOUT = 30.0
DASHBOARD_PATH = "/dashboard/learner"
DASHBOARD_MARKER = "Learner dashboard"
TARGET_RATIO_PERCENT = 40.0
TARGET_DASHBOARD_P95_MS = 50.0
REDIRECT_TOLERANCE = 0.95  # mean response size below this share of the page's: redirects


@dataclass(frozen=True)
class Report:
    results: list[Result]
    targets: dict[str, Any]
    machine: dict[str, Any]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LMS_DATABASE_URL", None)  # always the temporary SQLite file, never a real database
    env["LMS_INSTANCE_PATH"] = str(instance)
    env["LMS_SECURE_COOKIES"] = "false"  # the session cookie must travel over plain http
    return env


def load_demo(env: dict[str, str]) -> dict[str, str]:
    """Load the demo data into the instance; the learner's account."""
    done = subprocess.run(
        [str(BIN_DIR / "lms"), "demo", "--json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"lms demo failed:\n{done.stderr}")
    try:
        accounts = json.loads(done.stdout)["accounts"]
        learner = next(a for a in accounts if a["roles"] == ["learner"])
        return {"email": learner["email"], "password": learner["password"]}
    except (ValueError, KeyError, TypeError, StopIteration) as error:
        raise BenchError(f"no learner account in lms demo's output:\n{done.stdout}") from error


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    command = [str(BIN_DIR / "gunicorn"), "-w", str(WORKERS), "-b", f"{HOST}:{port}", "wsgi:app"]
    with log_path.open("wb") as log_file:
        return subprocess.Popen(  # its own process group, so the workers can be killed too
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    """Terminate gracefully, then kill whatever is left of its process group."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # workers still running, or a stuck master
    process.wait(timeout=10)


def wait_until_healthy(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited early:\n{log_path.read_text()}")
        try:
            with opener().open(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise BenchError(f"/healthz did not answer 200 within {STARTUP_TIMEOUT:.0f} s")


@contextlib.contextmanager
def running_server() -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh instance with the demo data, served by gunicorn: its base URL and the learner."""
    instance = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        env = server_env(instance)
        learner = load_demo(env)
        port = free_port()
        base = f"http://{HOST}:{port}"
        log_path = instance / "gunicorn.log"
        process = start_gunicorn(env, port, log_path)
        wait_until_healthy(base, process, log_path)
        yield base, learner
    finally:
        if process is not None:
            stop_gunicorn(process)
        shutil.rmtree(instance, ignore_errors=True)


# --- Signing in -------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def opener(*handlers: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
    """A urllib opener that ignores any proxy settings: traffic stays on 127.0.0.1."""
    built = urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers)
    built.addheaders = [("User-Agent", USER_AGENT)]
    return built


def csrf_token(page: str) -> str:
    tag = re.search(r"<input[^>]*\bname=\"csrf_token\"[^>]*>", page)
    value = re.search(r"\bvalue=\"([^\"]+)\"", tag.group(0)) if tag else None
    if value is None:
        raise BenchError("no csrf_token hidden input on /login")
    return value.group(1)


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the login form, as a browser would; the `session` cookie's value."""
    jar = http.cookiejar.CookieJar()
    browser = opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(base + "/login", timeout=10) as response:
        token = csrf_token(response.read().decode())
    form = {"email": email, "password": password, "csrf_token": token}
    data = urllib.parse.urlencode(form).encode()
    try:
        with browser.open(base + "/login", data=data, timeout=30) as response:
            landed = urllib.parse.urlsplit(response.url).path
            response.read()
    except urllib.error.HTTPError as error:  # 422: the form was refused
        raise BenchError(f"signing in as {email} was refused: {error.code}") from error
    if landed != DASHBOARD_PATH:
        raise BenchError(f"signing in landed on {landed}, not {DASHBOARD_PATH}")
    # Taken after the dashboard was shown, so the cookie already holds its CSRF token, as a
    # browser's would: wrk cannot store the cookie the server sends back.
    cookie = next((c.value for c in jar if c.name == "session"), None)
    if not cookie:
        raise BenchError("no session cookie after signing in")
    return cookie


def check_dashboard(base: str, cookie: str) -> int:
    """The dashboard answers 200 to the bare cookie, as wrk sends it; the response's bytes."""
    request = urllib.request.Request(base + DASHBOARD_PATH, headers={"Cookie": f"session={cookie}"})
    try:
        with opener(_NoRedirect()).open(request, timeout=10) as response:
            body = response.read()
            headers = response.headers.items()
    except urllib.error.HTTPError as error:
        where = error.headers.get("Location", "")
        raise BenchError(f"the session cookie failed: {error.code} {where}".rstrip()) from error
    if DASHBOARD_MARKER not in body.decode():
        raise BenchError(f"the dashboard answered 200 without {DASHBOARD_MARKER!r}")
    status_line, blank_line = len("HTTP/1.1 200 OK\r\n"), 2
    return status_line + sum(len(f"{k}: {v}\r\n") for k, v in headers) + blank_line + len(body)


# --- wrk --------------------------------------------------------------------------------------


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
    dashboard redirected to /login (~0.9 kB) shows in the mean size of the responses."""
    if result.non_2xx_3xx:
        raise BenchError(f"{result.endpoint}: {result.non_2xx_3xx} non-2xx/3xx responses")
    if result.requests == 0:
        raise BenchError(f"{result.endpoint}: no request completed")
    if result.mean_bytes < REDIRECT_TOLERANCE * page_bytes:
        raise BenchError(
            f"{result.endpoint}: responses average {result.mean_bytes:.0f} bytes, not the "
            f"{page_bytes} of the page: some were redirects (did the session cookie fail?)"
        )


# --- Report -----------------------------------------------------------------------------------


def verdicts(health: Result, dashboard: Result) -> dict[str, Any]:
    ratio = 100 * dashboard.requests_per_sec / health.requests_per_sec
    return {
        "throughput_ratio_percent": round(ratio, 1),
        "ratio_target_percent": TARGET_RATIO_PERCENT,
        "ratio_pass": ratio >= TARGET_RATIO_PERCENT,
        "dashboard_p95_ms": dashboard.p95_ms,
        "p95_target_ms": TARGET_DASHBOARD_P95_MS,
        "p95_pass": dashboard.p95_ms < TARGET_DASHBOARD_P95_MS,
    }


def print_table(report: Report, args: argparse.Namespace) -> None:
    machine, targets = report.machine, report.targets
    print(f"wrk -t{WRK_THREADS} -c{args.connections} -d{args.duration}s, gunicorn -w {WORKERS}")
    print(
        f"{machine['cpus']} CPUs, load average {machine['load_before']} before and "
        f"{machine['load_after']} after (other work on the machine makes the figures noisy)"
    )
    print()
    print(f"{'endpoint':<20} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for r in report.results:
        print(
            f"{r.endpoint:<20} {r.requests_per_sec:>9.1f} {r.p50_ms:>8.2f} {r.p90_ms:>8.2f} "
            f"{r.p95_ms:>8.2f} {r.p99_ms:>8.2f}"
        )
        if r.socket_errors:
            print(f"  {r.socket_errors} socket errors (connect, read, write or timeout)")
    print()
    ratio, p95 = targets["throughput_ratio_percent"], targets["dashboard_p95_ms"]
    print(
        f"dashboard / healthz throughput {ratio:>6.1f} %   target >= {TARGET_RATIO_PERCENT:.0f} %"
        f"   {'PASS' if targets['ratio_pass'] else 'MISS'}"
    )
    print(
        f"dashboard p95                  {p95:>6.1f} ms  target <  {TARGET_DASHBOARD_P95_MS:.0f} ms"
        f"  {'PASS' if targets['p95_pass'] else 'MISS'}"
    )


def machine_load() -> float:
    """The one-minute load average: above ~0.5 before a run, other work shares the CPUs."""
    return round(os.getloadavg()[0], 2)


def run(args: argparse.Namespace) -> Report:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    machine: dict[str, Any] = {"cpus": os.cpu_count(), "load_before": machine_load()}
    with lua_script() as lua, running_server() as (base, learner):
        log(f"gunicorn ready at {base}; signing in as {learner['email']}")
        cookie = sign_in(base, learner["email"], learner["password"])
        page_bytes = check_dashboard(base, cookie)
        health = measure(base, "/healthz", args, lua, None)
        check_responses(health)
        dashboard = measure(base, DASHBOARD_PATH, args, lua, cookie)
        check_responses(dashboard, page_bytes)
        check_dashboard(base, cookie)  # the cookie still works after the run
    machine["load_after"] = machine_load()
    return Report([health, dashboard], verdicts(health, dashboard), machine)


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
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the server and folder are already gone
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
