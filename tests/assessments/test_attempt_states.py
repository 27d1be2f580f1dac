"""An attempt's life cycle, on model instances: in progress → submitted → (awaiting marking →)
marked, and every other move refused with the attempt left as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from lms.assessments.models import Attempt, AttemptClosed, AttemptState, IllegalTransition
from tests.assessments.attempt_steps import NOW

LATER = NOW + timedelta(minutes=5)

IN_PROGRESS, SUBMITTED = AttemptState.IN_PROGRESS, AttemptState.SUBMITTED
AWAITING, MARKED = AttemptState.AWAITING_MARKING, AttemptState.MARKED

Move = Callable[[Attempt], None]
MOVES: dict[str, Move] = {
    "submit": lambda attempt: attempt.submit(LATER),
    "await_marking": lambda attempt: attempt.await_marking(),
    "mark": lambda attempt: attempt.mark(LATER),
}

# Every state and every move: the state it leads to, or the exception that refuses it.
LIFE_CYCLE: list[tuple[AttemptState, str, AttemptState | type[Exception]]] = [
    (IN_PROGRESS, "submit", SUBMITTED),
    (IN_PROGRESS, "await_marking", IllegalTransition),
    (IN_PROGRESS, "mark", IllegalTransition),
    (SUBMITTED, "submit", AttemptClosed),
    (SUBMITTED, "await_marking", AWAITING),
    (SUBMITTED, "mark", MARKED),
    (AWAITING, "submit", AttemptClosed),
    (AWAITING, "await_marking", IllegalTransition),
    (AWAITING, "mark", MARKED),
    (MARKED, "submit", AttemptClosed),
    (MARKED, "await_marking", IllegalTransition),
    (MARKED, "mark", IllegalTransition),
]


def attempt_in(state: AttemptState) -> Attempt:
    """An unsaved attempt in `state`, started at NOW."""
    return Attempt(id=41, number=1, state=state, started_at=NOW, auto_submitted=False)


def test_the_table_covers_every_state_and_move() -> None:
    """The life-cycle table below names every state with every move, once."""
    pairs = [(state, move) for state, move, _ in LIFE_CYCLE]
    assert sorted(pairs) == sorted((state, move) for state in AttemptState for move in MOVES)


@pytest.mark.parametrize(
    ("state", "move", "expected"),
    [row for row in LIFE_CYCLE if isinstance(row[2], AttemptState)],
    ids=lambda value: getattr(value, "value", value),
)
def test_a_legal_move_reaches_its_state(
    state: AttemptState, move: str, expected: AttemptState
) -> None:
    """Submitting, sending for marking and marking move the attempt on as the life cycle says."""
    attempt = attempt_in(state)

    MOVES[move](attempt)

    assert attempt.state is expected
    assert attempt.finished


@pytest.mark.parametrize(
    ("state", "move", "refusal"),
    [row for row in LIFE_CYCLE if not isinstance(row[2], AttemptState)],
    ids=lambda value: getattr(value, "value", getattr(value, "__name__", value)),
)
def test_an_illegal_move_is_refused_and_changes_nothing(
    state: AttemptState, move: str, refusal: type[Exception]
) -> None:
    """Any other move raises (AttemptClosed for a second submit) and leaves the attempt alone."""
    attempt = attempt_in(state)

    with pytest.raises(refusal):
        MOVES[move](attempt)

    assert attempt.state is state
    assert attempt.submitted_at is None
    assert attempt.marked_at is None


def test_submitting_records_when_and_whether_it_was_automatic() -> None:
    """`submit` stamps the time; a submission by the time limit is marked automatic."""
    by_learner, by_clock = attempt_in(IN_PROGRESS), attempt_in(IN_PROGRESS)

    by_learner.submit(LATER)
    by_clock.submit(LATER, automatic=True)

    assert by_learner.submitted_at == by_clock.submitted_at == LATER
    assert (by_learner.auto_submitted, by_clock.auto_submitted) == (False, True)


def test_marking_records_when() -> None:
    """`mark` stamps the time of marking."""
    attempt = attempt_in(AWAITING)

    attempt.mark(LATER)

    assert attempt.marked_at == LATER


def test_a_second_submit_names_the_attempt_and_its_state() -> None:
    """AttemptClosed tells the caller which attempt it was and what state it is in."""
    attempt = attempt_in(SUBMITTED)

    with pytest.raises(AttemptClosed) as closed:
        attempt.submit(LATER)

    assert (closed.value.attempt_id, closed.value.state) == (41, SUBMITTED)
    assert "attempt 41 is submitted" in str(closed.value)


def test_only_an_attempt_in_progress_is_unfinished() -> None:
    """`finished` is false in progress and true in every later state."""
    assert [attempt_in(state).finished for state in AttemptState] == [False, True, True, True]
