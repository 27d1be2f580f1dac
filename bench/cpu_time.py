"""Where a run's CPU time went, from Linux's /proc: the machine, the server, the database.

On a 2-CPU machine the benchmark's client, gunicorn's workers and PostgreSQL share the same
CPUs, so a throughput figure means little without knowing which of them used the time.
Everything here reads /proc and answers in seconds; off Linux it answers zeros.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Sample:
    """CPU seconds so far: the whole machine (busy and idle) and chosen processes."""

    machine_busy: float
    machine_total: float
    processes: dict[str, float]  # a group's name -> CPU seconds of its live processes


def _stat(pid: int) -> tuple[str, int, float] | None:
    """A process's command name, parent pid and CPU seconds (user + system)."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _machine() -> tuple[float, float]:
    try:
        first = (PROC / "stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0, 0.0
    ticks = [int(value) for value in first[:8]]  # user nice system idle iowait irq softirq steal
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / TICKS, sum(ticks) / TICKS


def sample(children_of: dict[str, int], named: dict[str, str]) -> Sample:
    """CPU seconds now: for each group in `children_of`, the children of that pid; for each
    group in `named`, every process with that command name (e.g. "postgres")."""
    totals = dict.fromkeys([*children_of, *named], 0.0)
    pids = [int(p.name) for p in PROC.iterdir() if p.name.isdigit()] if PROC.is_dir() else []
    for pid in pids:
        stat = _stat(pid)
        if stat is None:
            continue
        name, parent, seconds = stat
        for group, root in children_of.items():
            if parent == root:
                totals[group] += seconds
        for group, command in named.items():
            if name == command:
                totals[group] += seconds
    busy, total = _machine()
    return Sample(busy, total, totals)


def between(before: Sample, after: Sample) -> dict[str, float]:
    """CPU seconds used between two samples, and the machine's busy share in percent.

    A process that exited in between is not counted; the groups measured here (gunicorn's
    workers, PostgreSQL's backends of a pooled server) live through the run.
    """
    used = {
        group: round(after.processes[group] - before.processes.get(group, 0.0), 1)
        for group in after.processes
    }
    total = after.machine_total - before.machine_total
    busy = after.machine_busy - before.machine_busy
    used["machine_busy_percent"] = round(100 * busy / total, 1) if total else 0.0
    return used
