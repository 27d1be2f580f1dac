"""gunicorn for the attempts benchmark: worker threads, an access log with each request's time
inside a worker, and a start that waits until both workers have loaded the app.

server.py's gunicorn is the HTTP benchmark's (sync workers, SQLite); this one takes the number
of threads per worker and the environment naming the scratch PostgreSQL database, and reuses
server.py's free port, health check and shutdown.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import cpu_time
from server import BIN_DIR, HOST, REPO_ROOT, free_port, stop_gunicorn, wait_until_healthy

WORKERS = 2
IDLE_TIMEOUT, IDLE_INTERVAL, IDLE_CPU_S = 20.0, 0.5, 0.05  # seconds
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, microseconds in a worker


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], threads: int, instance: Path, access_log: Path
) -> Iterator[tuple[int, int]]:
    """gunicorn serving the app on a free port of 127.0.0.1: its port and master's pid.

    Its access log holds each request's method, path, status and time inside the worker (from
    when a thread took it up to the end of the answer, in microseconds).
    """
    port = free_port()
    log_path = instance / "gunicorn.log"
    command = [
        str(BIN_DIR / "gunicorn"),
        "--workers",
        str(WORKERS),
        "--threads",
        str(threads),
        "--bind",
        f"{HOST}:{port}",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "wsgi:app",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(  # its own process group, so the workers can be killed too
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(f"http://{HOST}:{port}", process, log_path)
        wait_until_idle(process.pid)
        yield port, process.pid
    finally:
        stop_gunicorn(process)


def wait_until_idle(master: int) -> None:
    """Wait until the workers stop using CPU: /healthz answers as soon as one worker has
    loaded the app, and the other's start-up must not be counted in the run."""
    deadline = time.monotonic() + IDLE_TIMEOUT
    last = cpu_time.sample({"workers": master}, {}).processes["workers"]
    while time.monotonic() < deadline:
        time.sleep(IDLE_INTERVAL)
        now = cpu_time.sample({"workers": master}, {}).processes["workers"]
        if now - last < IDLE_CPU_S:
            return
        last = now
