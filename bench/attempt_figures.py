"""The benchmark of many learners taking a quiz: each learner's journey, the figures per step
(as the learners saw them and inside gunicorn's workers), and the printed report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import machine as machine_state
from learner_session import Timing

STEPS = (
    "login page",
    "login",
    "quiz page",
    "start",
    "question page",
    "save",
    "finish page",
    "submit",
    "review",
)


@dataclass
class Journey:
    """What one learner did: every request's timing, and where it stopped if it failed."""

    timings: list[Timing] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    failed_step: str | None = None
    failed_status: int | None = None
    finish_page_complete: bool = False
    double_submit_statuses: tuple[int, ...] = ()
    retries: int = 0


# --- The time inside the workers -------------------------------------------------------------


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Seconds each request spent inside a worker, by step, from gunicorn's access log."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        method, path, _status, micros = line.split()
        step = step_of(method, path)
        if step is not None:
            times.setdefault(step, []).append(int(micros) / 1e6)
    return times


def step_of(method: str, path: str) -> str | None:
    """The learner's step a request belongs to (None for the start-up's /healthz)."""
    parts = path.strip("/").split("/")
    if parts == ["login"]:
        return "login page" if method == "GET" else "login"
    if parts[0] == "quizzes":
        return "start" if parts[-1] == "start" else "quiz page"
    if parts[0] == "attempts" and len(parts) == 2:
        return "question page" if method == "GET" else "save"
    if parts[0] == "attempts":
        return {"finish": "finish page", "submit": "submit", "review": "review"}.get(parts[-1])
    return None


# --- The figures -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` between 0 and 1) of `values`."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def step_figures(
    journeys: list[Journey], in_worker: dict[str, list[float]]
) -> list[dict[str, Any]]:
    """Per step: latency as the learners saw it, and the time inside a gunicorn worker."""
    by_step: dict[str, list[float]] = {step: [] for step in STEPS}
    for journey in journeys:
        for timing in journey.timings:
            by_step.setdefault(timing.step, []).append(timing.seconds)
    rows = []
    for step, seconds in by_step.items():
        if not seconds:
            continue
        served = in_worker.get(step) or [0.0]
        rows.append(
            {
                "step": step,
                "requests": len(seconds),
                "p50_ms": round(1000 * percentile(seconds, 0.50), 1),
                "p95_ms": round(1000 * percentile(seconds, 0.95), 1),
                "max_ms": round(1000 * max(seconds), 1),
                "worker_p50_ms": round(1000 * percentile(served, 0.50), 1),
                "worker_p95_ms": round(1000 * percentile(served, 0.95), 1),
                "worker_total_s": round(sum(served), 1),
            }
        )
    return rows


def unexpected_statuses(journeys: list[Journey]) -> dict[str, int]:
    """Requests answered otherwise than expected, by step and status (0: no answer)."""
    counted = Counter(
        f"{journey.failed_step} {journey.failed_status}"
        for journey in journeys
        if journey.error is not None
    )
    return dict(sorted(counted.items()))


def summarise(
    journeys: list[Journey], wall: float, in_worker: dict[str, list[float]]
) -> dict[str, Any]:
    requests = sum(len(journey.timings) for journey in journeys)
    finished = [journey for journey in journeys if journey.error is None]
    doubles = [journey for journey in journeys if journey.double_submit_statuses]
    journey_seconds = [journey.seconds for journey in finished] or [0.0]
    return {
        "learners": len(journeys),
        "learners_finished": len(finished),
        "wall_s": round(wall, 2),
        "requests": requests,
        "requests_per_s": round(requests / wall, 1),
        "learners_per_s": round(len(finished) / wall, 2),
        "journey_p50_s": round(percentile(journey_seconds, 0.5), 2),
        "journey_max_s": round(max(journey_seconds), 2),
        "steps": step_figures(journeys, in_worker),
        "errors": unexpected_statuses(journeys),
        "error_examples": sorted({j.error for j in journeys if j.error})[:5],
        "finish_pages_incomplete": sum(1 for j in finished if not j.finish_page_complete),
        "double_submits": len(doubles),
        "double_submit_statuses": dict(
            Counter(str(s) for j in doubles for s in j.double_submit_statuses)
        ),
        "connection_retries": sum(journey.retries for journey in journeys),
    }


def print_report(report: dict[str, Any]) -> None:
    settings, run_, cpu = report["settings"], report["run"], report["cpu"]
    worker = "sync workers" if settings["threads"] == 1 else f"{settings['threads']} threads each"
    print(
        f"{settings['learners']} learners x {settings['questions']} questions, gunicorn "
        f"-w {settings['workers']} ({worker}), PostgreSQL; one learner in "
        f"{settings['double_submit_every']} submits twice at once"
    )
    print(machine_state.describe(report["machine"]))
    print()
    print(
        f"wall {run_['wall_s']:.1f} s   {run_['requests']} requests   "
        f"{run_['requests_per_s']:.1f} requests/s   {run_['learners_per_s']:.2f} learners/s"
    )
    print(
        f"a learner's journey ({len(STEPS)} steps, {run_['requests'] // max(1, run_['learners'])} "
        f"requests): p50 {run_['journey_p50_s']:.1f} s, max {run_['journey_max_s']:.1f} s"
    )
    print()
    print(f"{'':<24} {'as the learners saw it':^29}   {'inside a worker':^26}")
    print(
        f"{'step':<15} {'requests':>8} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}   "
        f"{'p50 ms':>8} {'p95 ms':>8} {'total s':>8}"
    )
    for row in run_["steps"]:
        print(
            f"{row['step']:<15} {row['requests']:>8} {row['p50_ms']:>9.1f} "
            f"{row['p95_ms']:>9.1f} {row['max_ms']:>9.1f}   {row['worker_p50_ms']:>8.1f} "
            f"{row['worker_p95_ms']:>8.1f} {row['worker_total_s']:>8.1f}"
        )
    print()
    errors = ", ".join(f"{k}: {v}" for k, v in run_["errors"].items()) or "none"
    print(f"learners stopped by an unexpected answer (step status): {errors}")
    for example in run_["error_examples"]:
        print(f"  e.g. {example}")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(run_["double_submit_statuses"].items()))
    print(f"double submits: {run_['double_submits']} learners, answers {statuses or '-'}")
    print(f"finish pages not showing every question answered: {run_['finish_pages_incomplete']}")
    if run_["connection_retries"]:
        print(f"requests resent on a fresh connection: {run_['connection_retries']}")
    print(
        f"CPU during the run: machine {cpu['machine_busy_percent']:.0f} % busy; gunicorn "
        f"workers {cpu['gunicorn_workers_cpu_s']:.1f} s, PostgreSQL "
        f"{cpu['postgresql_cpu_s']:.1f} s, this client {cpu['client_cpu_s']:.1f} s"
    )
    print()
    for row in report["counts"]:
        verdict = "PASS" if row["pass"] else "FAIL"
        print(f"{row['count']:<58} {row['value']:>6}   expected {row['expected']:>6}   {verdict}")
    gift = report["gift_parse"]
    if gift:
        print()
        print(
            f"parse_gift, {gift['questions']} questions (bench/gift_parse.py): best "
            f"{gift['best_s']:.4f} s, median {gift['median_s']:.4f} s, "
            f"{gift['questions_per_s']:,} questions/s"
        )
