"""Erlang C: how many agents a queue of calls needs to meet a service-level target.

The standard model of an inbound queue: calls arrive at random (Poisson), handle times are
exponential, every agent can take every call and nobody hangs up. It slightly overstates the
agents needed where callers abandon, which is why centres use it for planning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_AGENTS = 10_000  # far above any single queue; bounds the search for an impossible target


@dataclass(frozen=True)
class Staffing:
    """What one head count gives a queue in one interval."""

    agents: int
    traffic: float  # erlangs: the hours of handling work arriving per hour
    wait_probability: float  # the share of calls that queue at all
    service_level: float  # the share answered within the target time, 0 to 1
    average_speed_of_answer: float  # seconds, over all calls
    occupancy: float  # the share of agents' logged-in time spent handling calls, 0 to 1


def traffic_intensity(calls: float, handle_seconds: float, interval_seconds: float) -> float:
    """Erlangs of work: calls times average handle time, divided by the interval length."""
    if calls < 0 or handle_seconds <= 0 or interval_seconds <= 0:
        raise ValueError("calls must be zero or more and times must be positive")
    return calls * handle_seconds / interval_seconds


def erlang_c(agents: int, traffic: float) -> float:
    """The probability that a call waits, with `agents` agents and `traffic` erlangs."""
    if agents < 1 or traffic < 0:
        raise ValueError("agents must be at least 1 and traffic zero or more")
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = _next_blocking(blocking, n, traffic)
    return _waiting(agents, traffic, blocking)


def _next_blocking(blocking: float, agents: int, traffic: float) -> float:
    # Erlang B's recurrence: accurate for thousands of agents, where the textbook formula's
    # factorials and powers overflow.
    return traffic * blocking / (agents + traffic * blocking)


def _waiting(agents: int, traffic: float, blocking: float) -> float:
    if traffic >= agents:
        return 1.0  # the queue grows without end: every call waits
    return agents * blocking / (agents - traffic * (1 - blocking))


def staffing(
    agents: int, calls: float, handle_seconds: float, interval_seconds: float, target_seconds: float
) -> Staffing:
    """Service level, speed of answer and occupancy for `agents` agents in one interval."""
    traffic = traffic_intensity(calls, handle_seconds, interval_seconds)
    return _staffing(agents, traffic, erlang_c(agents, traffic), handle_seconds, target_seconds)


def _staffing(
    agents: int, traffic: float, waits: float, handle_seconds: float, target_seconds: float
) -> Staffing:
    if traffic >= agents:
        return Staffing(agents, traffic, 1.0, 0.0, math.inf, 1.0)
    spare = agents - traffic
    service_level = 1 - waits * math.exp(-spare * target_seconds / handle_seconds)
    speed = waits * handle_seconds / spare
    return Staffing(agents, traffic, waits, service_level, speed, traffic / agents)


def agents_needed(
    calls: float,
    handle_seconds: float,
    interval_seconds: float,
    target_seconds: float,
    target_level: float,
) -> Staffing:
    """The fewest agents whose predicted service level reaches `target_level` (0 to 1)."""
    if not 0 < target_level < 1:
        raise ValueError("the target service level must be above 0 % and below 100 %")
    traffic = traffic_intensity(calls, handle_seconds, interval_seconds)
    if traffic >= MAX_AGENTS:
        raise TooManyAgents(f"more than {MAX_AGENTS:,} agents")
    blocking = 1.0
    for agents in range(1, MAX_AGENTS + 1):
        blocking = _next_blocking(blocking, agents, traffic)
        if agents <= traffic:
            continue
        waits = _waiting(agents, traffic, blocking)
        result = _staffing(agents, traffic, waits, handle_seconds, target_seconds)
        if result.service_level >= target_level:
            return result
    raise TooManyAgents(f"more than {MAX_AGENTS:,} agents")


class TooManyAgents(ValueError):
    """The target needs more agents than one queue could sensibly have."""
