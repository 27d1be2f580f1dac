"""What the benchmarks print about the machine, so noisy figures can be read for what they are.

The load average shows other work inside this machine; a virtual machine can also be slowed
by its neighbours on the host, which the load average does not show. The CPU check times a
fixed piece of pure Python, so a slow host shows up as a larger figure than usual.
"""

from __future__ import annotations

import os
import time
from typing import Any

CPU_CHECK_ROUNDS = 5


def load() -> float:
    """The one-minute load average: above ~0.5 before a run, other work shares the CPUs."""
    return round(os.getloadavg()[0], 2)


def cpu_check_ms() -> float:
    """The best of 5 timings of `sum(range(10**6))`, in milliseconds: the machine's speed."""
    best = float("inf")
    for _ in range(CPU_CHECK_ROUNDS):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def before() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "load_before": load(), "cpu_check_ms": cpu_check_ms()}


def describe(machine: dict[str, Any]) -> str:
    return (
        f"{machine['cpus']} CPUs, load average {machine['load_before']} before and "
        f"{machine['load_after']} after, CPU check {machine['cpu_check_ms']} ms "
        f"(other work on the machine makes the figures noisy)"
    )
