"""Marking the choice types: multiple choice, multiple response and true/false.

Forms send shown positions ("1".."n", into the attempt's `order`), never the question's own
indexes; anything else is a forgery and raises InvalidAnswer.
"""

from __future__ import annotations

import pytest

from lms.assessments.formats.questions import Answer, ParsedQuestion, TrueFalse
from lms.assessments.grading import Grade, GradeOutcome
from lms.assessments.question_types import FormValues, InvalidAnswer, kind_of

CORRECT, PARTIAL, INCORRECT = GradeOutcome.CORRECT, GradeOutcome.PARTIAL, GradeOutcome.INCORRECT


def form(fields: dict[str, list[str]]) -> FormValues:
    """The posted values as `request.form.getlist` gives them: a missing field is empty."""
    return lambda name: fields.get(name, [])


# Values no form sends. "²" passes str.isdigit() but not int(), and 5,000 digits exceed int()'s
# limit: both must be refused as InvalidAnswer, not escape as a bare ValueError.
FORGED_CHOICES = [
    pytest.param(["0"], id="zero"),
    pytest.param(["5"], id="one-past-the-last"),
    pytest.param(["99"], id="far-past-the-last"),
    pytest.param(["-1"], id="negative"),
    pytest.param(["abc"], id="not-a-number"),
    pytest.param([" 1"], id="padded"),
    pytest.param(["01"], id="leading-zero"),
    pytest.param(["²"], id="superscript-digit"),
    pytest.param(["1" * 5000], id="huge"),
]


# Multiple choice -------------------------------------------------------------------------------

PICK_ONE = ParsedQuestion(
    type="multichoice",
    text="Where must a refund request be logged?",
    answers=(
        Answer("In the ticketing system", 100, "Yes: every refund needs a ticket."),
        Answer("In the call notes", 50, "Half right: it needs a ticket as well."),
        Answer("Nowhere", 0, "No: refunds are audited."),
        Answer("On a sticky note", -50, "Never: notes get lost."),
        Answer("By email", 0),
    ),
)
PICK_ONE_ORDER = (2, 0, 3, 1, 4)  # shown position 1 is the question's answer 2, and so on


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        pytest.param(0, Grade(2, 2, CORRECT, ("Yes: every refund needs a ticket.",)), id="right"),
        pytest.param(
            1, Grade(1, 2, PARTIAL, ("Half right: it needs a ticket as well.",)), id="half-credit"
        ),
        pytest.param(2, Grade(0, 2, INCORRECT, ("No: refunds are audited.",)), id="wrong"),
        pytest.param(3, Grade(0, 2, INCORRECT, ("Never: notes get lost.",)), id="negative"),
        pytest.param(4, Grade(0, 2, INCORRECT, ()), id="wrong-without-feedback"),
    ],
)
def test_multichoice_gives_the_chosen_answers_weight_and_feedback(
    choice: int, expected: Grade
) -> None:
    """The chosen answer's weight sets the points (a negative one floors at 0) and its feedback."""
    assert kind_of(PICK_ONE).grade(PICK_ONE, {"choice": choice}, 2) == expected


def test_multichoice_unanswered_scores_nothing() -> None:
    """No choice is marked unanswered, not wrong."""
    assert kind_of(PICK_ONE).grade(PICK_ONE, None, 2) == Grade(
        0, 2, GradeOutcome.UNANSWERED, ("Not answered.",)
    )


@pytest.mark.parametrize(("shown", "index"), [("1", 2), ("2", 0), ("3", 3), ("4", 1), ("5", 4)])
def test_multichoice_reads_the_shown_position_through_the_order(shown: str, index: int) -> None:
    """The form's value is a shown position; the stored answer is the question's own index."""
    answer = kind_of(PICK_ONE).read_answer(form({"q1": [shown]}), "q1", PICK_ONE, PICK_ONE_ORDER)
    assert answer == {"choice": index}


@pytest.mark.parametrize("fields", [{}, {"q1": [""]}], ids=["missing", "empty"])
def test_multichoice_blank_reads_as_no_answer(fields: dict[str, list[str]]) -> None:
    """A field left out, or sent empty, is no answer rather than a forgery."""
    assert kind_of(PICK_ONE).read_answer(form(fields), "q1", PICK_ONE, PICK_ONE_ORDER) is None


@pytest.mark.parametrize("values", [*FORGED_CHOICES, pytest.param(["1", "2"], id="two-values")])
def test_multichoice_refuses_forged_values(values: list[str]) -> None:
    """A value no radio button sends, or two values at once, is refused."""
    with pytest.raises(InvalidAnswer):
        kind_of(PICK_ONE).read_answer(form({"q1": values}), "q1", PICK_ONE, PICK_ONE_ORDER[:4])


# Multiple response -----------------------------------------------------------------------------

PICK_MANY = ParsedQuestion(
    type="multiresponse",
    text="Which details verify a caller's identity?",
    answers=(
        Answer("Date of birth", 50, "Yes, date of birth."),
        Answer("Postcode", 50, "Yes, postcode."),
        Answer("Favourite colour", -100, "No: anyone could guess it."),
        Answer("Account number", 0),
    ),
)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        pytest.param(
            [0, 1],
            Grade(4, 4, CORRECT, ("Yes, date of birth.", "Yes, postcode.")),
            id="all-right-ones",
        ),
        pytest.param([1], Grade(2, 4, PARTIAL, ("Yes, postcode.",)), id="one-of-two"),
        pytest.param(
            [0, 2],
            Grade(0, 4, INCORRECT, ("Yes, date of birth.", "No: anyone could guess it.")),
            id="right-plus-wrong-floors-at-0",
        ),
        pytest.param(
            [0, 1, 2],
            Grade(
                0,
                4,
                INCORRECT,
                ("Yes, date of birth.", "Yes, postcode.", "No: anyone could guess it."),
            ),
            id="everything",
        ),
        pytest.param([3], Grade(0, 4, INCORRECT, ()), id="zero-weight-without-feedback"),
        pytest.param(
            [0, 1, 3],
            Grade(4, 4, CORRECT, ("Yes, date of birth.", "Yes, postcode.")),
            id="right-ones-plus-zero-weight",
        ),
    ],
)
def test_multiresponse_sums_the_chosen_weights(chosen: list[int], expected: Grade) -> None:
    """Moodle's rule: the chosen weights add up, floored at 0, with each chosen feedback."""
    assert kind_of(PICK_MANY).grade(PICK_MANY, {"choices": chosen}, 4) == expected


def test_multiresponse_caps_the_sum_at_full_marks() -> None:
    """Weights that add up past 100 % still give full marks, never more."""
    generous = ParsedQuestion(
        type="multiresponse",
        text="Which are greetings?",
        answers=(Answer("Hello", 60), Answer("Good morning", 60)),
    )
    assert kind_of(generous).grade(generous, {"choices": [0, 1]}, 1) == Grade(1, 1, CORRECT)


def test_multiresponse_thirds_add_up_to_full_marks() -> None:
    """Three answers of 33.33333 % (Moodle's third) are 99.99999 %: right, and worth every point."""
    thirds = ParsedQuestion(
        type="multiresponse",
        text="Which are parts of handle time?",
        answers=(
            Answer("Talk", 33.33333),
            Answer("Hold", 33.33333),
            Answer("After-call work", 33.33333),
            Answer("Queue time", -100),
        ),
    )
    kind = kind_of(thirds)
    assert kind.grade(thirds, {"choices": [0, 1, 2]}, 3) == Grade(3, 3, CORRECT)
    assert kind.grade(thirds, {"choices": [0, 1]}, 3).outcome is PARTIAL


def test_multiresponse_unanswered_scores_nothing() -> None:
    """No box ticked is marked unanswered."""
    assert kind_of(PICK_MANY).grade(PICK_MANY, None, 4).outcome is GradeOutcome.UNANSWERED


def test_multiresponse_reads_shown_positions_into_sorted_indexes() -> None:
    """Each ticked shown position maps through the order; the stored indexes are sorted."""
    answer = kind_of(PICK_MANY).read_answer(form({"q2": ["1", "3"]}), "q2", PICK_MANY, (2, 3, 0, 1))
    assert answer == {"choices": [0, 2]}


def test_multiresponse_counts_a_duplicated_value_once() -> None:
    """A box sent twice does not add its weight twice."""
    kind = kind_of(PICK_MANY)
    answer = kind.read_answer(form({"q2": ["1", "1", "1"]}), "q2", PICK_MANY, (0, 1, 2, 3))
    assert answer == {"choices": [0]}
    assert kind.grade(PICK_MANY, answer, 4) == Grade(2, 4, PARTIAL, ("Yes, date of birth.",))


@pytest.mark.parametrize(
    "fields", [{}, {"q2": [""]}, {"q2": ["", ""]}], ids=["missing", "empty", "two-empty"]
)
def test_multiresponse_blank_reads_as_no_answer(fields: dict[str, list[str]]) -> None:
    """Nothing ticked (or only empty values) is no answer."""
    assert kind_of(PICK_MANY).read_answer(form(fields), "q2", PICK_MANY, (0, 1, 2, 3)) is None


@pytest.mark.parametrize("values", FORGED_CHOICES)
def test_multiresponse_refuses_forged_values(values: list[str]) -> None:
    """A value that is not a shown position is refused, even beside honest ones."""
    with pytest.raises(InvalidAnswer):
        kind_of(PICK_MANY).read_answer(form({"q2": ["1", *values]}), "q2", PICK_MANY, (0, 1, 2, 3))


# True or false ---------------------------------------------------------------------------------


def true_false(correct: bool) -> ParsedQuestion:
    """A true/false question whose two feedbacks say which button was pressed."""
    return ParsedQuestion(
        type="truefalse",
        text="Callers may be put on hold without asking.",
        truefalse=TrueFalse(
            correct, feedback_true="You answered True.", feedback_false="You answered False."
        ),
    )


@pytest.mark.parametrize(
    ("correct", "value", "expected"),
    [
        (True, True, Grade(1, 1, CORRECT, ("You answered True.",))),
        (True, False, Grade(0, 1, INCORRECT, ("You answered False.",))),
        (False, True, Grade(0, 1, INCORRECT, ("You answered True.",))),
        (False, False, Grade(1, 1, CORRECT, ("You answered False.",))),
    ],
    ids=[
        "true-answered-true",
        "true-answered-false",
        "false-answered-true",
        "false-answered-false",
    ],
)
def test_truefalse_marks_either_direction_with_the_feedback_of_the_answer_given(
    correct: bool, value: bool, expected: Grade
) -> None:
    """feedback_true follows a True answer and feedback_false a False one, whichever is right."""
    question = true_false(correct)
    assert kind_of(question).grade(question, {"value": value}, 1) == expected


def test_truefalse_unanswered_scores_nothing() -> None:
    """Neither button pressed is marked unanswered."""
    question = true_false(True)
    assert kind_of(question).grade(question, None, 1).outcome is GradeOutcome.UNANSWERED


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"q3": ["true"]}, {"value": True}),
        ({"q3": ["false"]}, {"value": False}),
        ({"q3": [""]}, None),
        ({}, None),
    ],
    ids=["true", "false", "empty", "missing"],
)
def test_truefalse_reads_true_false_or_nothing(
    fields: dict[str, list[str]], expected: dict[str, bool] | None
) -> None:
    """The two buttons send "true" and "false"; no button is no answer."""
    question = true_false(True)
    assert kind_of(question).read_answer(form(fields), "q3", question, ()) == expected


@pytest.mark.parametrize("values", [["yes"], ["1"], ["True"], ["on"], ["true", "false"]], ids=str)
def test_truefalse_refuses_anything_else(values: list[str]) -> None:
    """Only "true" or "false", once, is an answer a true/false form can send."""
    question = true_false(False)
    with pytest.raises(InvalidAnswer):
        kind_of(question).read_answer(form({"q3": values}), "q3", question, ())
