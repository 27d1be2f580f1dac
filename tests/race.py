"""Racing requests: each contender in its own thread with its own request context, session and
connection, released together by a barrier, committing as its request would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from lms.extensions import db

# What a contender does before the barrier (load what its request loads); it returns the step
# to take once every contender is ready.
Contender = Callable[[], Callable[[], object]]
WAIT = 30  # seconds: far longer than any race here takes, short enough to fail a hang


@dataclass
class Result:
    value: object = None
    error: Exception | None = None


def race(app: Flask, *contenders: Contender) -> list[Result]:
    """Run the contenders in threads, released together; each step is committed as its request
    would, or rolled back when it raises."""
    barrier = threading.Barrier(len(contenders))
    results = [Result() for _ in contenders]

    def run(result: Result, contender: Contender) -> None:
        with app.test_request_context():
            try:
                step = contender()
            except Exception as error:
                barrier.abort()
                result.error = error
                return
            try:
                barrier.wait(timeout=WAIT)
                result.value = step()
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                result.error = error
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=run, args=(result, contender), daemon=True)
        for result, contender in zip(results, contenders, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads), "a contender hung"
    return results
