"""Erlang C checked against two independent references: pyworkforce and a simulated queue.

pyworkforce (a test-only dependency) is a separately written Erlang C, compared here over a grid
of realistic queues to 1e-9 and to the exact agent count. The simulation (`queue_simulation`)
runs the queue the formula describes call by call, so it checks the formulas themselves and not
just their arithmetic, including the service level, speed of answer and occupancy derived from
the probability of waiting.
"""

from __future__ import annotations

import functools
import itertools
import math

import pytest
from pyworkforce.queuing import ErlangC

from lms.calculators.erlang import Staffing, agents_needed, staffing
from tests.calculators.queue_simulation import SimulatedQueue, simulate

# Calls per interval from a quiet queue to a very large one; handle times from a minute to a
# quarter of an hour; the common interval lengths; and three service-level targets. Traffic runs
# from 0.08 to 5,000 erlangs. pyworkforce computes 1/Erlang B by a growing recurrence that
# overflows to infinity once the agents far exceed the traffic; the head counts compared here
# (the answer and three either side) stay within a few hundred agents of the traffic, where it
# is finite, so the grid needs no limit for it.
CALLS = (5, 50, 500, 5000)
HANDLE_SECONDS = (60, 180, 300, 900)
INTERVAL_MINUTES = (15, 30, 60)
TARGETS = ((0.80, 20), (0.90, 30), (0.70, 60))  # share answered, within seconds
GRID = [
    pytest.param(
        calls,
        handle,
        minutes,
        level,
        seconds,
        id=f"{calls}x{handle}s/{minutes}m-{level:.0%}in{seconds}s",
    )
    for calls, handle, minutes, (level, seconds) in itertools.product(
        CALLS, HANDLE_SECONDS, INTERVAL_MINUTES, TARGETS
    )
]


def _pyworkforce(calls: int, handle: int, minutes: int, seconds: int) -> ErlangC:
    # pyworkforce works in minutes; its "asa" is the target answer time of the service level.
    return ErlangC(
        transactions=calls, asa=seconds / 60, aht=handle / 60, interval=minutes, shrinkage=0.0
    )


def _close(value: float) -> object:
    return pytest.approx(value, rel=1e-9, abs=0)


@pytest.mark.parametrize(("calls", "handle", "minutes", "level", "seconds"), GRID)
def test_agents_needed_matches_pyworkforce(
    calls: int, handle: int, minutes: int, level: float, seconds: int
) -> None:
    """Same agent count as pyworkforce, and the same service level, occupancy and wait there."""
    ours = agents_needed(calls, handle, minutes * 60, seconds, level)
    theirs = _pyworkforce(calls, handle, minutes, seconds).required_positions(
        service_level=level, max_occupancy=1.0
    )
    assert ours.agents == theirs["positions"]
    assert ours.service_level == _close(theirs["service_level"])
    assert ours.occupancy == _close(theirs["occupancy"])
    assert ours.wait_probability == _close(theirs["waiting_probability"])


@pytest.mark.parametrize(("calls", "handle", "minutes", "level", "seconds"), GRID)
def test_every_head_count_the_plan_shows_matches_pyworkforce(
    calls: int, handle: int, minutes: int, level: float, seconds: int
) -> None:
    """At the fewest agents above the traffic and at the answer ±3, all figures agree to 1e-9."""
    needed = agents_needed(calls, handle, minutes * 60, seconds, level)
    reference = _pyworkforce(calls, handle, minutes, seconds)
    fewest = math.floor(needed.traffic) + 1
    head_counts = {fewest, *range(max(fewest, needed.agents - 3), needed.agents + 4)}
    for agents in sorted(head_counts):
        ours = staffing(agents, calls, handle, minutes * 60, seconds)
        assert ours.wait_probability == _close(reference.waiting_probability(positions=agents))
        assert ours.service_level == _close(reference.service_level(positions=agents))
        assert ours.occupancy == _close(reference.achieved_occupancy(positions=agents))


# Simulated queues: (agents, calls per interval, handle seconds, interval seconds, target seconds).
SCENARIOS = {
    "call-centre-helper-14-agents": (14, 100, 180, 1800, 20),  # 10 erlangs, 71 % busy
    "two-agents": (2, 60, 90, 3600, 30),  # 1.5 erlangs: a small queue, long waits
    "hubers-23-agents": (23, 200, 180, 1800, 60),  # 20 erlangs, 87 % busy
}
MEASURES = ("wait_probability", "service_level", "average_speed_of_answer", "occupancy")

# 200,000 calls after 20,000 to fill the queue from empty (each run ~0.5 s). Tolerance: 4.5
# standard errors by batch means over 20 batches of 10,000 calls; with 19 degrees of freedom a
# correct formula lands outside that band about once in 4,000 comparisons, and the seed is fixed.
# The ceilings keep the band narrow whatever the sample gives: at most ±0.07 for a probability,
# ±0.023 for occupancy and ±45 % for the speed of answer (in practice a third of that or less).
SIMULATED_CALLS, WARM_UP, SEED, SIGMAS = 200_000, 20_000, 20_240_917, 4.5
CEILING = {
    "wait_probability": 0.015,
    "service_level": 0.015,
    "average_speed_of_answer": 0.10,  # relative to the formula's value
    "occupancy": 0.005,
}


@functools.cache
def _simulated(scenario: str) -> SimulatedQueue:
    agents, calls, handle, interval, target = SCENARIOS[scenario]
    return simulate(
        agents,
        calls / interval,
        handle,
        target,
        calls=SIMULATED_CALLS,
        warm_up=WARM_UP,
        seed=SEED,
    )


def _formula(scenario: str, agents_offset: int = 0) -> Staffing:
    agents, *figures = SCENARIOS[scenario]
    return staffing(agents + agents_offset, *figures)


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_simulated_queue_agrees_with_the_formula(scenario: str, measure: str) -> None:
    """A simulated M/M/c FIFO queue's measure matches the formula within 4.5 standard errors."""
    estimate = getattr(_simulated(scenario), measure)
    expected = getattr(_formula(scenario), measure)
    ceiling = CEILING[measure] * (expected if measure == "average_speed_of_answer" else 1)
    assert 0 < estimate.standard_error <= ceiling
    assert abs(estimate.value - expected) <= SIGMAS * estimate.standard_error


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_simulation_would_notice_one_agent_too_few(scenario: str) -> None:
    """The tolerance is tight enough that the formula for one agent fewer falls outside it."""
    simulated = _simulated(scenario)
    fewer = _formula(scenario, agents_offset=-1)
    for measure in MEASURES:
        estimate = getattr(simulated, measure)
        assert abs(getattr(fewer, measure) - estimate.value) > SIGMAS * estimate.standard_error
