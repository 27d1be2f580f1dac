"""The HTTP benchmark's server: a fresh instance served by gunicorn, and a signed-in learner.

``running_server`` creates a temporary instance folder (``LMS_INSTANCE_PATH``;
``LMS_DATABASE_URL`` is ignored so no real database is touched), optionally points
``LMS_CONTENT_PATH`` at a content folder, loads the demo data with ``lms demo --json`` (which
also syncs that content), starts gunicorn on a free port of 127.0.0.1 and waits for
``/healthz``. gunicorn is always stopped and the folder removed. ``sign_in`` goes through the
real login form; ``check_page`` opens a page with the bare cookie, as wrk will send it.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wrk import USER_AGENT, BenchError

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
HOST = "127.0.0.1"
WORKERS = 2
STARTUP_TIMEOUT = 30.0
DASHBOARD_PATH = "/dashboard/learner"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(instance: Path, content: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LMS_DATABASE_URL", None)  # always the temporary SQLite file, never a real database
    env["LMS_INSTANCE_PATH"] = str(instance)
    env["LMS_SECURE_COOKIES"] = "false"  # the session cookie must travel over plain http
    if content is not None:
        env["LMS_CONTENT_PATH"] = str(content)
    else:
        env.pop("LMS_CONTENT_PATH", None)
    return env


def load_demo(env: dict[str, str]) -> dict[str, str]:
    """Load the demo data and sync the content folder; the learner's account."""
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


def start_gunicorn(
    env: dict[str, str], port: int, log_path: Path, workers: int = WORKERS
) -> subprocess.Popen[bytes]:
    command = [str(BIN_DIR / "gunicorn"), "-w", str(workers), "-b", f"{HOST}:{port}", "wsgi:app"]
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
def gunicorn_serving(
    instance: Path, env: dict[str, str], workers: int = WORKERS
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn on a free port of 127.0.0.1 for `instance`, healthy: its base URL and process;
    stopped (with its workers) however the block ends."""
    port = free_port()
    base, log_path = f"http://{HOST}:{port}", instance / f"gunicorn-{workers}.log"
    process = start_gunicorn(env, port, log_path, workers)
    try:
        wait_until_healthy(base, process, log_path)
        yield base, process
    finally:
        stop_gunicorn(process)


@contextlib.contextmanager
def running_server(content: Path | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh instance with the demo data (and `content`, when given, synced), served by
    gunicorn: its base URL and the learner's account."""
    instance = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    try:
        env = server_env(instance, content)
        learner = load_demo(env)
        with gunicorn_serving(instance, env) as (base, _process):
            yield base, learner
    finally:
        shutil.rmtree(instance, ignore_errors=True)


# --- Signing in and checking pages ------------------------------------------------------------


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
    return browser_signed_in(base, email, password)[1]


def browser_signed_in(
    base: str, email: str, password: str, *, landing: str = DASHBOARD_PATH
) -> tuple[urllib.request.OpenerDirector, str]:
    """Sign in through the login form; the browser (its cookies kept) and its session cookie."""
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
    if landed != landing:
        raise BenchError(f"signing in landed on {landed}, not {landing}")
    # Taken after the dashboard was shown, so the cookie already holds its CSRF token, as a
    # browser's would: wrk cannot store the cookie the server sends back.
    cookie = next((c.value for c in jar if c.name == "session"), None)
    if not cookie:
        raise BenchError("no session cookie after signing in")
    return browser, cookie


@dataclass(frozen=True)
class Page:
    text: str
    size: int  # bytes on the wire: status line, headers and body, as wrk counts them


def check_page(base: str, path: str, cookie: str, marker: str) -> Page:
    """The page answers 200, without a redirect, to the bare cookie as wrk sends it, and
    contains `marker`."""
    request = urllib.request.Request(base + path, headers={"Cookie": f"session={cookie}"})
    try:
        with opener(_NoRedirect()).open(request, timeout=10) as response:
            body = response.read()
            headers = response.headers.items()
    except urllib.error.HTTPError as error:
        where = error.headers.get("Location", "")
        raise BenchError(
            f"{path} with the session cookie: {error.code} {where}".rstrip()
        ) from error
    text = body.decode()
    if marker not in text:
        raise BenchError(f"{path} answered 200 without {marker!r}")
    status_line, blank_line = len("HTTP/1.1 200 OK\r\n"), 2
    size = status_line + sum(len(f"{k}: {v}\r\n") for k, v in headers) + blank_line + len(body)
    return Page(text, size)


# --- Memory of a served process ------------------------------------------------------------


def workers_of(master: int) -> list[int]:
    """The gunicorn master's child processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if not children:
        raise BenchError("gunicorn has no worker process")
    return [int(pid) for pid in children]


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise BenchError(f"no VmHWM for process {pid}")
