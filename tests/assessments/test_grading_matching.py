"""Marking matching questions: one menu per prompt, each choosing among the distinct answers.

A pair with an empty question is a distractor: its answer is offered in every menu but has no
prompt of its own. Menus send shown positions into the attempt's `order` over the answers.
"""

from __future__ import annotations

import pytest

from lms.assessments.formats.questions import Pair, ParsedQuestion
from lms.assessments.grading import Grade, GradeOutcome
from lms.assessments.question_types import FormValues, InvalidAnswer, kind_of, matching_options

QUEUES = ParsedQuestion(
    type="matching",
    text="Send each queue to the team that owns it.",
    pairs=(
        Pair("Billing", "Accounts team"),
        Pair("Faults", "Engineers"),
        Pair("Home moves", "Logistics"),
        Pair("", "Marketing"),  # a distractor: offered, never right
    ),
)
# Shown position → index into matching_options(QUEUES):
# 1 Marketing, 2 Engineers, 3 Accounts team, 4 Logistics.
ORDER = (3, 1, 0, 2)
ALL_RIGHT = {"q7-0": ["3"], "q7-1": ["2"], "q7-2": ["4"]}


def form(fields: dict[str, list[str]]) -> FormValues:
    """The posted values as `request.form.getlist` gives them: a missing field is empty."""
    return lambda name: fields.get(name, [])


def mark(fields: dict[str, list[str]], max_points: float = 3) -> Grade:
    """Read the posted menus as the learner's answer, then grade it."""
    kind = kind_of(QUEUES)
    return kind.grade(QUEUES, kind.read_answer(form(fields), "q7", QUEUES, ORDER), max_points)


def test_distractors_are_offered_as_answers_but_not_as_prompts() -> None:
    """Every distinct answer is a choice; only pairs with a question become prompts."""
    assert matching_options(QUEUES) == ["Accounts team", "Engineers", "Logistics", "Marketing"]
    assert kind_of(QUEUES).choice_count(QUEUES) == 4
    view = kind_of(QUEUES).learner_view(QUEUES, number=7, field="q7", order=ORDER, answer=None)
    assert [prompt.field for prompt in view.prompts] == ["q7-0", "q7-1", "q7-2"]
    assert [str(choice.html) for choice in view.choices] == [
        "Marketing",
        "Engineers",
        "Accounts team",
        "Logistics",
    ]


def test_matching_reads_each_menu_through_the_order() -> None:
    """Each prompt's shown position is stored as the index of the answer it names."""
    answer = kind_of(QUEUES).read_answer(form(ALL_RIGHT), "q7", QUEUES, ORDER)
    assert answer == {"matches": {"0": 0, "1": 1, "2": 2}}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(ALL_RIGHT, Grade(3, 3, GradeOutcome.CORRECT), id="all-right"),
        pytest.param(
            {**ALL_RIGHT, "q7-2": ["3"]}, Grade(2, 3, GradeOutcome.PARTIAL), id="two-of-three"
        ),
        pytest.param(
            {"q7-0": ["3"], "q7-1": ["4"], "q7-2": ["2"]},
            Grade(1, 3, GradeOutcome.PARTIAL),
            id="one-of-three",
        ),
        pytest.param(
            {"q7-0": ["3"], "q7-1": ["2"]}, Grade(2, 3, GradeOutcome.PARTIAL), id="row-left-blank"
        ),
        pytest.param(
            {"q7-0": ["1"], "q7-1": ["1"], "q7-2": ["1"]},
            Grade(0, 3, GradeOutcome.INCORRECT),
            id="distractor-everywhere",
        ),
        pytest.param(
            {"q7-0": ["2"], "q7-1": ["3"], "q7-2": ["1"]},
            Grade(0, 3, GradeOutcome.INCORRECT),
            id="all-wrong",
        ),
    ],
)
def test_matching_scores_the_share_of_prompts_matched_right(
    fields: dict[str, list[str]], expected: Grade
) -> None:
    """The fraction is right prompts / all prompts; a blank row or the distractor is wrong."""
    assert mark(fields) == expected


def test_matching_partial_points_are_rounded_not_truncated() -> None:
    """One of three right on a one-point question is a third of a point, to seven places."""
    assert mark({"q7-0": ["3"]}, max_points=1) == Grade(0.3333333, 1, GradeOutcome.PARTIAL)


def test_matching_answer_shared_by_two_prompts_is_right_for_both() -> None:
    """When two prompts share an answer it is offered once, and choosing it fits both."""
    question = ParsedQuestion(
        type="matching",
        text="Which team handles each request?",
        pairs=(Pair("Refund", "Accounts"), Pair("Invoice copy", "Accounts"), Pair("Fault", "Tech")),
    )
    kind = kind_of(question)
    assert matching_options(question) == ["Accounts", "Tech"]
    answer = kind.read_answer(
        form({"q1-0": ["1"], "q1-1": ["1"], "q1-2": ["2"]}), "q1", question, (0, 1)
    )
    assert kind.grade(question, answer, 1) == Grade(1, 1, GradeOutcome.CORRECT)


def test_matching_with_no_menu_chosen_is_unanswered() -> None:
    """Every menu left on its placeholder is no answer, marked unanswered."""
    blank = {"q7-0": [""], "q7-1": [""], "q7-2": [""]}
    assert kind_of(QUEUES).read_answer(form(blank), "q7", QUEUES, ORDER) is None
    assert mark(blank) == Grade(0, 3, GradeOutcome.UNANSWERED, ("Not answered.",))


def test_matching_ignores_a_menu_posted_for_the_distractor() -> None:
    """The distractor has no prompt, so a value posted under its index is not read."""
    answer = kind_of(QUEUES).read_answer(form({"q7-3": ["1"]}), "q7", QUEUES, ORDER)
    assert answer is None


@pytest.mark.parametrize(
    "values",
    [["0"], ["5"], ["99"], ["-1"], ["abc"], ["3", "2"]],
    ids=["zero", "one-past-the-last", "far-past-the-last", "negative", "not-a-number", "two"],
)
def test_matching_refuses_forged_values(values: list[str]) -> None:
    """A value no menu offers, or two values in one row, is refused."""
    with pytest.raises(InvalidAnswer):
        kind_of(QUEUES).read_answer(form({**ALL_RIGHT, "q7-1": values}), "q7", QUEUES, ORDER)
