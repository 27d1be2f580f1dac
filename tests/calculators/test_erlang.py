"""Erlang C and the service-level plan: published worked examples, edge cases and properties.

The published figures are compared at the rounding their sources print. The comparisons against
an independent implementation and against a simulated queue are in `test_erlang_independent.py`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from lms.calculators.erlang import (
    MAX_AGENTS,
    Staffing,
    TooManyAgents,
    agents_needed,
    erlang_c,
    staffing,
    traffic_intensity,
)
from lms.calculators.planning import Question, plan

# Call Centre Helper's worked example: 100 calls in 30 minutes, 180 s handle time, 20 s target.
CCH = (100, 180, 1800, 20)


def _textbook_erlang_c(agents: int, traffic: float) -> float:
    """Erlang C from its powers-over-factorials definition in 40-digit decimals, not Erlang B."""
    with localcontext() as context:
        context.prec = 40
        load = Decimal(traffic)
        term, below = Decimal(1), Decimal(0)  # term = load**k / k!
        for k in range(agents):
            below += term
            term = term * load / (k + 1)
        queued = term * agents / (agents - load)
        return float(queued / (below + queued))


# R package ErlangC 0.1.0 (Damonsoul), README "process" table for the Call Centre Helper example:
# agents, wait probability, service level, speed of answer (s), answered at once, occupancy.
R_ERLANGC_TABLE = [
    (11, "0.6821182", "0.3896138", "122.78127684408", "0.3178818", "0.9090909"),
    (12, "0.4493882", "0.640158", "40.4449401868444", "0.5506118", "0.8333333"),
    (13, "0.2852705", "0.7955948", "17.1162271821896", "0.7147295", "0.7692308"),
    (14, "0.1741319", "0.88835", "7.83593701177724", "0.8258681", "0.7142857"),
]


@pytest.mark.parametrize(("agents", "waits", "level", "speed", "at_once", "busy"), R_ERLANGC_TABLE)
def test_call_centre_helper_example_matches_the_r_erlangc_table(
    agents: int, waits: str, level: str, speed: str, at_once: str, busy: str
) -> None:
    """Every head count of Call Centre Helper's example matches R ErlangC's published table.

    Example: Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example",
    https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm. Figures: R package
    ErlangC 0.1.0 README, calculate_agents() "process" table,
    https://rdocumentation.org/packages/ErlangC/versions/0.1.0 (also github.com/Damonsoul/ErlangC
    README.md); R prints 7 significant digits, 15 for the speed of answer.
    """
    result = staffing(agents, *CCH)
    assert result.traffic == 10
    assert f"{result.wait_probability:.7g}" == waits
    assert f"{result.service_level:.7g}" == level
    assert f"{result.average_speed_of_answer:.15g}" == speed
    assert f"{1 - result.wait_probability:.7g}" == at_once
    assert f"{result.occupancy:.7g}" == busy


def test_call_centre_helper_example_needs_fourteen_agents_and_twenty_rostered() -> None:
    """80 % in 20 s needs 14 agents (88.8 %, 71.4 %, 17.4 %) and 20 rostered at 30 % shrinkage.

    Source: pyworkforce documentation, "Solving Queue Problems with ErlangC",
    https://pyworkforce.readthedocs.io/en/stable/tutorials/erlangc_example.html (raw_positions
    14, positions 20, service_level 0.888, occupancy 0.714, waiting_probability 0.174), and the
    R ErlangC README above (agents 14, agents_shrinked 20), both for Call Centre Helper's example.
    """
    needed = agents_needed(*CCH, 0.80)
    assert needed.agents == 14
    assert f"{needed.service_level:.3f}" == "0.888"
    assert f"{needed.occupancy:.3f}" == "0.714"
    assert f"{needed.wait_probability:.3f}" == "0.174"
    assert plan(Question(100, 180, 30, 80, 20, 30)).scheduled == 20


def test_hubers_vignette_twenty_erlangs_need_twenty_three_agents_for_80_in_60() -> None:
    """200 calls a half hour at 3 minutes is 20 erlangs; 80 % in 60 s needs 23 agents, 87 % busy.

    Source: Patrick Hubers, "Erlang: Queuing and Staffing Functions for Contact Centers" (R
    package vignette), https://rdrr.io/github/phubers/erlang/f/vignettes/vignette.Rmd: "a
    workload of 20 Erlang and we need 23 agents to hit our service level target [80 % within
    60 seconds], we get an occupancy of 20/23 or 87%".
    """
    assert traffic_intensity(200, 180, 1800) == 20
    needed = agents_needed(200, 180, 1800, 60, 0.80)
    assert needed.agents == 23
    assert f"{needed.occupancy:.0%}" == "87%"


@pytest.mark.parametrize(("agents", "calls"), [(10, 100), (9, 100), (1, 10), (5, 120)])
def test_traffic_at_or_above_the_agents_always_waits_and_misses_every_target(
    agents: int, calls: int
) -> None:
    """With traffic >= agents every call waits, none is answered in time and the wait is endless."""
    traffic = traffic_intensity(calls, 180, 1800)
    assert traffic >= agents
    assert erlang_c(agents, traffic) == 1.0
    result = staffing(agents, calls, 180, 1800, 20)
    assert (result.wait_probability, result.service_level, result.occupancy) == (1.0, 0.0, 1.0)
    assert result.average_speed_of_answer == math.inf


def test_traffic_just_below_the_agents_is_not_treated_as_overload() -> None:
    """The overload shortcut starts exactly at traffic = agents, not before."""
    waits = erlang_c(10, 9.99)
    assert waits == pytest.approx(_textbook_erlang_c(10, 9.99), rel=1e-9)
    assert waits < 1.0
    assert staffing(10, 999, 180, 18_000, 20).service_level > 0


@pytest.mark.parametrize(
    ("figures", "head_counts"),
    [(CCH, range(11, 36)), ((36_000, 300, 3600, 20), range(3001, 3120))],
    ids=["10-erlangs", "3000-erlangs"],
)
def test_each_extra_agent_raises_service_level_and_lowers_occupancy(
    figures: tuple[int, int, int, int], head_counts: range
) -> None:
    """Over a range of head counts, service level rises and waits, ASA and occupancy all fall."""
    results = [staffing(agents, *figures) for agents in head_counts]
    for fewer, more in itertools.pairwise(results):
        assert more.service_level > fewer.service_level
        assert more.wait_probability < fewer.wait_probability
        assert more.average_speed_of_answer < fewer.average_speed_of_answer
        assert more.occupancy < fewer.occupancy


@pytest.mark.parametrize(
    ("calls", "handle", "interval", "target", "level"),
    [
        (100, 180, 1800, 20, 0.80),
        (240, 300, 1800, 20, 0.80),
        (7, 420, 900, 30, 0.90),
        (1, 60, 3600, 20, 0.80),
        (450, 95, 900, 10, 0.95),
        (1200, 600, 3600, 60, 0.70),
        (36_000, 300, 3600, 20, 0.80),
        (100, 180, 1800, 0, 0.50),
    ],
)
def test_agents_needed_is_the_fewest_agents_that_meet_the_target(
    calls: int, handle: int, interval: int, target: int, level: float
) -> None:
    """The answer meets the target and one agent fewer does not (or would be overloaded)."""
    needed = agents_needed(calls, handle, interval, target, level)
    assert needed == staffing(needed.agents, calls, handle, interval, target)
    assert needed.service_level >= level
    fewer = needed.agents - 1
    if fewer >= 1:
        assert staffing(fewer, calls, handle, interval, target).service_level < level


def test_no_calls_need_one_agent_who_never_keeps_anyone_waiting() -> None:
    """Zero calls is valid: one agent, nobody waits, the target is always met."""
    assert agents_needed(0, 180, 1800, 20, 0.8) == staffing(1, 0, 180, 1800, 20)
    assert staffing(1, 0, 180, 1800, 20) == Staffing(1, 0, 0, 1, 0, 0)


@pytest.mark.parametrize(("calls", "traffic"), [(36_000, 3000), (108_000, 9000)])
def test_large_queues_stay_finite_and_match_the_textbook_formula(calls: int, traffic: int) -> None:
    """Thousands of erlangs give finite figures that match exact factorial arithmetic to 1e-9."""
    needed = agents_needed(calls, 300, 3600, 20, 0.8)
    assert needed.traffic == traffic
    assert traffic < needed.agents < traffic + 200
    for agents in (needed.agents - 1, needed.agents, needed.agents + 5):
        result = staffing(agents, calls, 300, 3600, 20)
        shares = (result.wait_probability, result.service_level, result.occupancy)
        assert all(0 < share < 1 for share in shares)  # so neither NaN nor infinite
        assert 0 < result.average_speed_of_answer < math.inf
        textbook = _textbook_erlang_c(agents, traffic)
        assert result.wait_probability == pytest.approx(textbook, rel=1e-9, abs=0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: traffic_intensity(-1, 180, 1800),
        lambda: traffic_intensity(100, 0, 1800),
        lambda: traffic_intensity(100, -180, 1800),
        lambda: traffic_intensity(100, 180, 0),
        lambda: agents_needed(100, 180, 1800, 20, 0),
        lambda: agents_needed(100, 180, 1800, 20, 1),
        lambda: agents_needed(100, 180, 1800, 20, 1.5),
        lambda: agents_needed(100, 180, 1800, 20, -0.2),
        lambda: agents_needed(-5, 180, 1800, 20, 0.8),
        lambda: agents_needed(100, 0, 1800, 20, 0.8),
        lambda: erlang_c(0, 5.0),
        lambda: erlang_c(-1, 5.0),
        lambda: erlang_c(3, -0.5),
        lambda: staffing(0, 100, 180, 1800, 20),
        lambda: staffing(14, -1, 180, 1800, 20),
        lambda: plan(Question(100, 180, 30, 100, 20)),
        lambda: plan(Question(100, 180, 30, 0, 20)),
    ],
)
def test_invalid_inputs_raise_value_error(call: Callable[[], object]) -> None:
    """Negative calls, non-positive times, targets of 0 or 100 % and zero agents are refused."""
    with pytest.raises(ValueError) as refused:
        call()
    assert refused.type is ValueError  # a plain input error, not TooManyAgents


@pytest.mark.parametrize(
    "call",
    [
        lambda: agents_needed(100_000, 7200, 300, 20, 0.8),  # 40,000 erlangs: over the cap
        lambda: agents_needed(MAX_AGENTS, 3600, 3600, 20, 0.8),  # exactly the cap in erlangs
        lambda: agents_needed(9_990, 3600, 3600, 1, 0.999),  # fits, but no head count suffices
        lambda: plan(Question(100_000, 7200, 5, 80, 20)),
    ],
    ids=["over-cap", "at-cap", "search-exhausted", "plan"],
)
def test_impossible_load_raises_too_many_agents(call: Callable[[], object]) -> None:
    """Loads no single queue could staff raise TooManyAgents, which says how many is too many."""
    assert issubclass(TooManyAgents, ValueError)
    with pytest.raises(TooManyAgents, match=r"^more than 10,000 agents$"):
        call()


def test_plan_shows_three_head_counts_either_side_of_the_answer() -> None:
    """The calculator's opening example: 46 agents needed, 43 to 49 shown, 66 rostered at 30 %."""
    question = Question(240, 300, 30, 80, 20, 30)
    result = plan(question)
    assert result.question == question
    assert result.needed.agents == 46
    assert [s.agents for s in result.nearby] == list(range(43, 50))
    assert result.nearby[3] == result.needed
    assert all(s.traffic == 40 < s.agents for s in result.nearby)
    assert result.nearby == tuple(staffing(n, 240, 300, 1800, 20) for n in range(43, 50))
    assert result.scheduled == 66  # ceil(46 / 0.7) = ceil(65.71)


def test_plan_shows_fewer_below_when_the_traffic_is_in_the_way() -> None:
    """When the answer is just above the traffic, only head counts above the traffic are shown."""
    result = plan(Question(100, 180, 30, 20, 60))
    assert result.needed.agents == 11
    assert [s.agents for s in result.nearby] == [11, 12, 13, 14]
    assert result.scheduled is None


@pytest.mark.parametrize(
    "question",
    [
        Question(100, 180, 30, 80, 20),
        Question(5, 600, 60, 90, 30),
        Question(1, 30, 60, 80, 20),
        Question(3000, 240, 15, 70, 60),
        Question(880, 330, 30, 95, 15),
        Question(100_000, 7, 1440, 99.9, 1),
    ],
)
def test_plan_nearby_head_counts_are_consecutive_above_traffic_and_include_the_answer(
    question: Question,
) -> None:
    """Nearby: consecutive, all above the traffic, up to three either side, the answer inside."""
    result = plan(question)
    agents = [s.agents for s in result.nearby]
    assert agents == list(range(agents[0], agents[-1] + 1))
    assert all(s.agents > s.traffic for s in result.nearby)
    assert result.needed in result.nearby
    assert agents[-1] == result.needed.agents + 3
    assert agents[0] == max(result.needed.agents - 3, math.floor(result.needed.traffic) + 1)


@pytest.mark.parametrize("shrinkage", [0, 10, 12.5, 25, 30, 33, 35, 50, 70, 75, 80])
@pytest.mark.parametrize(
    "question",
    [Question(100, 180, 30, 80, 20), Question(240, 300, 30, 80, 20), Question(7, 420, 15, 90, 30)],
)
def test_scheduled_is_agents_over_one_minus_shrinkage_rounded_up(
    question: Question, shrinkage: float
) -> None:
    """Rostered = ceil(agents / (1 - shrinkage)), in exact arithmetic (no float overshoot)."""
    result = plan(replace(question, shrinkage_percent=shrinkage))
    exact = Fraction(result.needed.agents) / (1 - Fraction(shrinkage) / 100)
    assert result.scheduled == math.ceil(exact)


def test_scheduled_does_not_overshoot_where_floating_point_division_does() -> None:
    """14 agents at 80 % shrinkage is exactly 70 rostered, though 14 / (1 - 0.8) > 70 in floats."""
    assert math.ceil(14 / (1 - 80 / 100)) == 71  # the trap the rounding guards against
    assert plan(Question(100, 180, 30, 80, 20, 80)).scheduled == 70
