"""GIFT, construct by construct: the table in gift_cases.py, and what it implies."""

from __future__ import annotations

import pytest

from lms.assessments.formats.gift import parse_gift
from lms.assessments.formats.questions import ParsedQuestion
from tests.assessments.formats.expected import GiftCase
from tests.assessments.formats.gift_cases import CONSTRUCT_CASES


@pytest.mark.parametrize("case", CONSTRUCT_CASES, ids=lambda case: case.id)
def test_each_construct_reads_to_its_documented_json(case: GiftCase) -> None:
    """Each case gives exactly the expected questions, at their lines, and no error."""
    parsed = parse_gift(case.gift)
    assert [(question.line, question.as_json()) for question in parsed.questions] == case.questions
    assert [f"{error.line}: {error.message}" for error in parsed.errors] == case.errors


@pytest.mark.parametrize("case", CONSTRUCT_CASES, ids=lambda case: case.id)
def test_the_json_reads_back_to_the_same_question(case: GiftCase) -> None:
    """as_json() loses nothing that takes part in equality: from_json() gives the question back."""
    for question in parse_gift(case.gift).questions:
        assert ParsedQuestion.from_json(question.as_json()) == question


def test_true_false_feedback_follows_moodle_first_wrong_then_right() -> None:
    """{T#a#b}: a learner who picks False (wrong) sees a; one who picks True (right) sees b."""
    [true, false] = parse_gift("Q {T#a#b}\n\nQ {F#a#b}").questions
    assert true.truefalse is not None and false.truefalse is not None
    assert (true.truefalse.feedback_false, true.truefalse.feedback_true) == ("a", "b")
    assert (false.truefalse.feedback_true, false.truefalse.feedback_false) == ("a", "b")


def test_the_line_of_a_question_is_its_first_line_that_is_not_a_comment() -> None:
    """Comments and blank lines before a question do not count as its start."""
    parsed = parse_gift("\n\n// one\n// two\n\n// three\n::n::\nQ {T}")
    assert [question.line for question in parsed.questions] == [7]


def test_line_ends_and_a_bom_change_nothing_but_the_bytes() -> None:
    """The same file with LF, CRLF, CR and a BOM reads to the same questions at the same lines."""
    text = "// c\n::a::Q {\n=x\n~y\n}\n\nR {#1..3}\n\n$CATEGORY: c\n\nS {}\n"
    unix = parse_gift(text)
    for variant in (text.replace("\n", "\r\n"), text.replace("\n", "\r"), "\ufeff" + text):
        again = parse_gift(variant)
        assert again.questions == unix.questions
        assert [q.line for q in again.questions] == [q.line for q in unix.questions] == [2, 7, 11]


def test_a_file_of_questions_of_every_type_counts_them_by_type() -> None:
    """type_counts() lists the types present, in QUESTION_TYPES order."""
    parsed = parse_gift("A {T}\n\nB {}\n\nC {=a ~b}\n\nD {T}\n\nE")
    assert parsed.ok
    assert parsed.type_counts() == {"multichoice": 1, "truefalse": 2, "essay": 1, "description": 1}
