"""A small discrete-event simulation of the queue Erlang C describes, to check the formulas against.

Calls arrive at random (Poisson), handle times are exponential, identical agents answer calls in
the order they arrived (first in, first out) and nobody hangs up. The simulation walks through
the calls one by one: a heap holds the time each agent next comes free (that agent's pending
completion event), and each arriving call takes the agent who frees first, waiting if that is
later than the call's arrival. With one queue and identical agents this is the M/M/c FIFO queue
exactly, so the measured figures converge on the formula's as the number of calls grows.

Each measured figure comes with a standard error by the method of batch means: the measured calls
are cut into consecutive batches, long compared with how long the queue remembers its past, and
the spread of the batch averages gives the uncertainty of the overall average. Waits of
neighbouring calls are strongly correlated, so the naive binomial error would be far too small.
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """A simulated average and its standard error (batch means)."""

    value: float
    standard_error: float


@dataclass(frozen=True)
class SimulatedQueue:
    """What the simulated calls experienced, after the warm-up."""

    calls: int
    wait_probability: Estimate  # share of calls that waited at all
    service_level: Estimate  # share answered within the target
    average_speed_of_answer: Estimate  # seconds, over all calls
    occupancy: Estimate  # share of the agents' time spent handling calls


def simulate(
    agents: int,
    calls_per_second: float,
    handle_seconds: float,
    target_seconds: float,
    *,
    calls: int,
    warm_up: int,
    seed: int,
    batches: int = 20,
) -> SimulatedQueue:
    """Run `warm_up + calls` calls through the queue and measure the last `calls` of them."""
    if calls % batches:
        raise ValueError("calls must divide into equal batches")
    rng = random.Random(seed)
    free_at = [0.0] * agents  # a heap: when each agent next comes free
    now = 0.0
    arrivals: list[float] = []
    waits: list[float] = []
    services: list[tuple[float, float]] = []  # every call's handling, warm-up included
    service_rate = 1 / handle_seconds
    for index in range(warm_up + calls):
        now += rng.expovariate(calls_per_second)
        start = max(now, free_at[0])  # the agent who frees first takes the call
        end = start + rng.expovariate(service_rate)
        heapq.heapreplace(free_at, end)  # that agent's next completion event
        services.append((start, end))
        if index >= warm_up:
            arrivals.append(now)
            waits.append(start - now)

    size = calls // batches
    by_batch = [waits[k * size : (k + 1) * size] for k in range(batches)]
    bounds = [arrivals[k * size] for k in range(batches)] + [arrivals[-1]]
    return SimulatedQueue(
        calls=calls,
        wait_probability=_batch_means([sum(w > 0 for w in batch) / size for batch in by_batch]),
        service_level=_batch_means(
            [sum(w <= target_seconds for w in batch) / size for batch in by_batch]
        ),
        average_speed_of_answer=_batch_means([statistics.fmean(batch) for batch in by_batch]),
        occupancy=_batch_means(_occupancy_by_batch(services, bounds, agents)),
    )


def _occupancy_by_batch(
    services: list[tuple[float, float]], bounds: list[float], agents: int
) -> list[float]:
    """Busy agent-time inside each batch's span of time, over the agent-time available in it."""
    busy = [0.0] * (len(bounds) - 1)
    for start, end in services:
        batch = max(0, bisect_right(bounds, start) - 1)
        while batch < len(busy) and bounds[batch] < end:
            overlap = min(end, bounds[batch + 1]) - max(start, bounds[batch])
            if overlap > 0:
                busy[batch] += overlap
            batch += 1
    return [busy[k] / (agents * (bounds[k + 1] - bounds[k])) for k in range(len(busy))]


def _batch_means(batch_values: list[float]) -> Estimate:
    return Estimate(
        value=statistics.fmean(batch_values),
        standard_error=statistics.stdev(batch_values) / math.sqrt(len(batch_values)),
    )
