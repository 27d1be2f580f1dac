"""What the service-level calculator shows: the agents a target needs, and its neighbours."""

from __future__ import annotations

import math
from dataclasses import dataclass

from lms.calculators.erlang import Staffing, agents_needed, staffing

NEIGHBOURS = 3  # head counts shown either side of the answer, so the trade-off is visible


@dataclass(frozen=True)
class Question:
    """A learner's figures for one interval."""

    calls: int
    handle_seconds: int
    interval_minutes: int
    target_percent: float
    target_seconds: int
    shrinkage_percent: float | None = None


@dataclass(frozen=True)
class Plan:
    question: Question
    needed: Staffing
    nearby: tuple[Staffing, ...]  # fewer and more agents than needed, in order
    scheduled: int | None  # agents to roster once shrinkage takes its share


def plan(question: Question) -> Plan:
    """Agents needed for the target, the head counts around it, and the rostered total.

    Raises `erlang.TooManyAgents` when the figures would need more agents than one queue has.
    """
    interval_seconds = question.interval_minutes * 60
    figures = (question.calls, question.handle_seconds, interval_seconds, question.target_seconds)
    needed = agents_needed(*figures, question.target_percent / 100)
    fewest = max(math.floor(needed.traffic) + 1, needed.agents - NEIGHBOURS)
    nearby = tuple(
        staffing(agents, *figures) for agents in range(fewest, needed.agents + NEIGHBOURS + 1)
    )
    return Plan(question, needed, nearby, _scheduled(needed.agents, question.shrinkage_percent))


def _scheduled(agents: int, shrinkage_percent: float | None) -> int | None:
    # Shrinkage is the share of paid time not spent available for calls (breaks, training,
    # absence), so the roster must be larger by 1 / (1 - shrinkage).
    if shrinkage_percent is None:
        return None
    return math.ceil(round(agents / (1 - shrinkage_percent / 100), 9))
