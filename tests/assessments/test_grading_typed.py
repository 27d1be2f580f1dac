"""Marking typed answers: short answer, numerical, essay, and the description that takes none."""

from __future__ import annotations

import pytest

from lms.assessments.formats.questions import (
    Answer,
    NumericalAnswer,
    ParsedQuestion,
    QuestionType,
)
from lms.assessments.grading import Grade, GradeOutcome
from lms.assessments.question_types import (
    MAX_TEXT_ANSWER,
    QUESTION_KINDS,
    FormValues,
    InvalidAnswer,
    kind_of,
    normalise_words,
    read_number,
)

CORRECT, PARTIAL, INCORRECT = GradeOutcome.CORRECT, GradeOutcome.PARTIAL, GradeOutcome.INCORRECT
NOT_A_NUMBER = "That answer is not a number."


def form(fields: dict[str, list[str]]) -> FormValues:
    """The posted values as `request.form.getlist` gives them: a missing field is empty."""
    return lambda name: fields.get(name, [])


def grade(question: ParsedQuestion, text: str, max_points: float = 1) -> Grade:
    """Mark `text` as the learner's typed answer to `question`."""
    return kind_of(question).grade(question, {"text": text}, max_points)


# Short answer ----------------------------------------------------------------------------------

FIRST_STEP = ParsedQuestion(
    type="shortanswer",
    text="What is the first step of every call?",
    answers=(
        Answer("Verification", 100, "Right: verify first."),
        Answer("ID check", 100, "Right: an ID check is verification."),
        Answer("verif*", 50, "Nearly: the word is verification."),
        Answer("security *", 25),
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Verification", Grade(2, 2, CORRECT, ("Right: verify first.",))),
        ("VERIFICATION", Grade(2, 2, CORRECT, ("Right: verify first.",))),
        ("  Verification  ", Grade(2, 2, CORRECT, ("Right: verify first.",))),
        ("id \t  CHECK", Grade(2, 2, CORRECT, ("Right: an ID check is verification.",))),
        ("verify", Grade(1, 2, PARTIAL, ("Nearly: the word is verification.",))),
        ("Verifying the caller", Grade(1, 2, PARTIAL, ("Nearly: the word is verification.",))),
        ("verif", Grade(1, 2, PARTIAL, ("Nearly: the word is verification.",))),
        ("Security questions", Grade(0.5, 2, PARTIAL, ())),
        ("greeting", Grade(0, 2, INCORRECT, ())),
        ("the verification", Grade(0, 2, INCORRECT, ())),
    ],
)
def test_shortanswer_matches_ignoring_case_and_spacing(text: str, expected: Grade) -> None:
    """Case and runs of spaces do not matter; `*` stands for any text; no match scores 0."""
    assert grade(FIRST_STEP, text, 2) == expected


def test_shortanswer_first_match_in_written_order_wins() -> None:
    """As Moodle does, the first accepted answer that matches marks it, even if a later one
    would give more."""
    question = ParsedQuestion(
        type="shortanswer",
        text="Name the process.",
        answers=(Answer("*tion", 0, "Too vague."), Answer("verification", 100, "Right.")),
    )
    assert grade(question, "Verification") == Grade(0, 1, INCORRECT, ("Too vague.",))


@pytest.mark.parametrize(
    ("text", "outcome"),
    [("5*3", CORRECT), ("5 * 3", INCORRECT), ("5x3", INCORRECT), ("53", INCORRECT)],
)
def test_shortanswer_escaped_star_is_a_literal_star(text: str, outcome: GradeOutcome) -> None:
    """`\\*` in an accepted answer matches a star and nothing else."""
    question = ParsedQuestion(
        type="shortanswer", text="Type the key sequence.", answers=(Answer("5\\*3", 100),)
    )
    assert grade(question, text).outcome is outcome


def test_shortanswer_regex_characters_in_an_answer_are_literal() -> None:
    """Only `*` is special: dots and brackets in an accepted answer match themselves."""
    question = ParsedQuestion(
        type="shortanswer", text="Which menu?", answers=(Answer("Tools (A.1)", 100),)
    )
    assert grade(question, "tools (a.1)").outcome is CORRECT
    assert grade(question, "Tools xA11)").outcome is INCORRECT


def test_shortanswer_unanswered_scores_nothing() -> None:
    """An empty answer is marked unanswered, not wrong."""
    assert kind_of(FIRST_STEP).grade(FIRST_STEP, None, 2) == Grade(
        0, 2, GradeOutcome.UNANSWERED, ("Not answered.",)
    )


def test_normalise_words_folds_case_and_collapses_spacing() -> None:
    """The comparison form of a short answer: casefolded, single-spaced, trimmed."""
    assert normalise_words("  Straße \n  CHECK\t") == "strasse check"


# Reading typed answers -------------------------------------------------------------------------


@pytest.mark.parametrize("type_", ["shortanswer", "numerical", "essay"])
def test_typed_answer_is_stored_trimmed(type_: QuestionType) -> None:
    """Surrounding spaces are dropped from what is stored."""
    question = ParsedQuestion(type=type_, text="Answer.")
    answer = QUESTION_KINDS[type_].read_answer(form({"q4": ["  3,5 \n"]}), "q4", question, ())
    assert answer == {"text": "3,5"}


@pytest.mark.parametrize(
    "fields", [{}, {"q4": [""]}, {"q4": ["  \n "]}], ids=["missing", "empty", "spaces"]
)
@pytest.mark.parametrize("type_", ["shortanswer", "numerical", "essay"])
def test_typed_answer_blank_reads_as_no_answer(
    type_: QuestionType, fields: dict[str, list[str]]
) -> None:
    """A missing, empty or all-space answer is no answer."""
    question = ParsedQuestion(type=type_, text="Answer.")
    assert QUESTION_KINDS[type_].read_answer(form(fields), "q4", question, ()) is None


@pytest.mark.parametrize("type_", ["shortanswer", "numerical", "essay"])
def test_typed_answer_refuses_two_values(type_: QuestionType) -> None:
    """One text box sends one value; two are a forgery."""
    question = ParsedQuestion(type=type_, text="Answer.")
    with pytest.raises(InvalidAnswer):
        QUESTION_KINDS[type_].read_answer(form({"q4": ["a", "b"]}), "q4", question, ())


# Numerical -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3.5", 3.5),
        ("3,5", 3.5),
        ("-2.25", -2.25),
        ("1 000", 1000),
        ("1\u00a0000", 1000),
        ("1\u202f000,5", 1000.5),
        ("1'000", 1000),
        ("15%", 15),
        ("1e3", 1000),
        ("three", None),
        ("3..5", None),
        ("inf", None),
        ("-Infinity", None),
        ("nan", None),
        ("1e999", None),
        ("1,000.5", 1000.5),
        ("1.000,5", 1000.5),
        ("1,2,3", None),
    ],
    ids=repr,
)
def test_read_number_reads_numbers_as_people_type_them(text: str, number: float | None) -> None:
    """Decimal commas, grouping spaces and a trailing % are read; infinities and NaN are not."""
    assert read_number(text) == number


@pytest.mark.parametrize(("expected", "typed"), [(1000, "1,000"), (1, "1,000"), (2.5, "2,500")])
def test_an_ambiguous_comma_counts_when_either_reading_is_right(
    expected: float, typed: str
) -> None:
    """ "1,000" may be a thousand or one: whichever the question expects is given the mark."""
    question = ParsedQuestion(
        type="numerical",
        text="How many?",
        numerical=(NumericalAnswer(expected, 0, 100),),
    )
    assert grade(question, typed).outcome is CORRECT


ONE_ANSWER = ParsedQuestion(
    type="numerical",
    text="How many minutes may a caller be on hold?",
    numerical=(NumericalAnswer(3.5, 0, 100, "Right: three and a half."),),
)


@pytest.mark.parametrize("text", ["3.5", "3,5", " 3.50 ", "3.5%"])
def test_numerical_accepts_the_number_however_it_is_written(text: str) -> None:
    """A decimal comma or point, padding or a trailing % all read as the same number."""
    assert grade(ONE_ANSWER, text) == Grade(1, 1, CORRECT, ("Right: three and a half.",))


def test_numerical_reads_grouping_spaces() -> None:
    """ "1 000" is a thousand."""
    question = ParsedQuestion(
        type="numerical", text="Calls a day?", numerical=(NumericalAnswer(1000, 0, 100),)
    )
    assert grade(question, "1 000").outcome is CORRECT


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("9.5", CORRECT),
        ("10.5", CORRECT),
        ("10", CORRECT),
        ("9.499999", INCORRECT),
        ("10.500001", INCORRECT),
    ],
)
def test_numerical_tolerance_includes_its_edges(text: str, outcome: GradeOutcome) -> None:
    """Exactly value ± tolerance is right; the smallest step beyond it is wrong."""
    question = ParsedQuestion(
        type="numerical", text="Seconds?", numerical=(NumericalAnswer(10, 0.5, 100),)
    )
    assert grade(question, text).outcome is outcome


@pytest.mark.parametrize(
    ("text", "outcome"),
    [("1", CORRECT), ("3", CORRECT), ("5", CORRECT), ("0.9", INCORRECT), ("5.1", INCORRECT)],
)
def test_numerical_range_answer_is_value_plus_or_minus_tolerance(
    text: str, outcome: GradeOutcome
) -> None:
    """GIFT's `{#1..5}` is stored as value 3, tolerance 2: anything from 1 to 5 is right."""
    question = ParsedQuestion(
        type="numerical", text="Pick a working day.", numerical=(NumericalAnswer(3, 2, 100),)
    )
    assert grade(question, text).outcome is outcome


CLOSE_ENOUGH = ParsedQuestion(
    type="numerical",
    text="What percentage of calls must be answered in 20 seconds?",
    numerical=(
        NumericalAnswer(80, 0, 100, "Exactly right."),
        NumericalAnswer(80, 5, 50, "Close."),
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80", Grade(4, 4, CORRECT, ("Exactly right.",))),
        ("80%", Grade(4, 4, CORRECT, ("Exactly right.",))),
        ("83", Grade(2, 4, PARTIAL, ("Close.",))),
        ("75", Grade(2, 4, PARTIAL, ("Close.",))),
        ("86", Grade(0, 4, INCORRECT, ())),
    ],
)
def test_numerical_several_answers_give_their_own_weight(text: str, expected: Grade) -> None:
    """The first accepted answer within its tolerance gives its weight and feedback."""
    assert grade(CLOSE_ENOUGH, text, 4) == expected


def test_numerical_first_match_in_written_order_wins() -> None:
    """A wide answer written first marks even an exact hit, as Moodle does."""
    question = ParsedQuestion(
        type="numerical",
        text="Percentage?",
        numerical=(NumericalAnswer(80, 5, 50, "Close."), NumericalAnswer(80, 0, 100, "Exact.")),
    )
    assert grade(question, "80") == Grade(0.5, 1, PARTIAL, ("Close.",))


@pytest.mark.parametrize("text", ["three", "3.5 minutes", "inf", "-inf", "nan", "NaN", "1e999"])
def test_numerical_text_that_is_not_a_number_scores_0_and_says_why(text: str) -> None:
    """Words, infinities and NaN are wrong, with a feedback line saying it was not a number."""
    assert grade(ONE_ANSWER, text) == Grade(0, 1, INCORRECT, (NOT_A_NUMBER,))


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.3, repr(0.1 + 0.2)), (0.1 + 0.2, "0.3")],
    ids=["typed-noise", "stored-noise"],
)
def test_numerical_float_noise_does_not_break_an_exact_answer(value: float, text: str) -> None:
    """0.1 + 0.2 and 0.3 differ in binary; with tolerance 0 they still count as equal."""
    question = ParsedQuestion(
        type="numerical", text="Sum?", numerical=(NumericalAnswer(value, 0, 100),)
    )
    assert grade(question, text).outcome is CORRECT


def test_numerical_unanswered_scores_nothing() -> None:
    """No number typed is marked unanswered, with no "not a number" line."""
    assert kind_of(ONE_ANSWER).grade(ONE_ANSWER, None, 1) == Grade(
        0, 1, GradeOutcome.UNANSWERED, ("Not answered.",)
    )


# Essay -----------------------------------------------------------------------------------------

ESSAY = ParsedQuestion(type="essay", text="Describe how you would calm an angry caller.")


def test_essay_answer_waits_for_an_assessor() -> None:
    """An essay is never marked automatically: it needs marking, with no points yet."""
    result = grade(ESSAY, "I would listen first, then acknowledge the problem.", 5)
    assert result == Grade(0, 5, GradeOutcome.NEEDS_MARKING, ())
    assert not result.correct
    assert not kind_of(ESSAY).auto_marked


def test_essay_unanswered_is_not_sent_for_marking() -> None:
    """A blank essay is unanswered, so an assessor has nothing to mark."""
    assert kind_of(ESSAY).grade(ESSAY, None, 5).outcome is GradeOutcome.UNANSWERED


def test_essay_at_the_length_limit_is_read() -> None:
    """An answer exactly MAX_TEXT_ANSWER characters long is accepted."""
    text = "a" * MAX_TEXT_ANSWER
    assert kind_of(ESSAY).read_answer(form({"q5": [text]}), "q5", ESSAY, ()) == {"text": text}


def test_essay_over_the_length_limit_is_refused() -> None:
    """One character more than MAX_TEXT_ANSWER is refused rather than stored."""
    with pytest.raises(InvalidAnswer):
        kind_of(ESSAY).read_answer(form({"q5": ["a" * (MAX_TEXT_ANSWER + 1)]}), "q5", ESSAY, ())


# Description -----------------------------------------------------------------------------------

DESCRIPTION = ParsedQuestion(type="description", text="The next questions are about refunds.")


def test_description_carries_no_marks() -> None:
    """A description does not count, is not auto-marked, and grades out of 0 points."""
    kind = kind_of(DESCRIPTION)
    assert not kind.counts
    assert not kind.auto_marked
    result = kind.grade(DESCRIPTION, None, 3)
    assert (result.points, result.max_points) == (0, 0)


def test_description_takes_no_answer() -> None:
    """Whatever is posted under a description's field, nothing is stored."""
    values = form({"q6": ["anything"]})
    assert kind_of(DESCRIPTION).read_answer(values, "q6", DESCRIPTION, ()) is None
