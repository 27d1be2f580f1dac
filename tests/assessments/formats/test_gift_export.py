"""What `export_gift` writes: Moodle's layout, escapes, categories, and text kept from syntax."""

from __future__ import annotations

from typing import Any

import pytest

from lms.assessments.formats.gift import parse_gift
from lms.assessments.formats.gift_export import export_gift
from lms.assessments.formats.questions import (
    Answer,
    NumericalAnswer,
    Pair,
    ParsedQuestion,
    TrueFalse,
)

BANK = """\
::Greeting::[html]Say <b>hello</b>: {=Good morning#Polite. ~%-50%Yo ####Always greet.}

$CATEGORY: induction/week 1

Calls are recorded.{TRUE#Read the notice.#Yes.}

::Queue::A caller waits {#=30:5 =%50%60:10#Long.} seconds at most.

Match. {=Billing -> Finance =Faults -> Engineering =Sales -> Retention}

The code is {=RF1 =%50%RF#Add the number.}

$CATEGORY: induction/week 2

Describe a calm voice. {####Tone matters.}

Read on: a\\: b \\{c\\} \\~ \\= \\# \\\\ done.\\nNext line.
"""

WRITTEN = """\
::Greeting::[html]Say <b>hello</b>\\:{
\t=Good morning#Polite.
\t~%-50%Yo
\t####Always greet.
}

$CATEGORY: induction/week 1

Calls are recorded.{TRUE#Read the notice.#Yes.}

::Queue::A caller waits {#
\t=30:5
\t=%50%60:10#Long.
} seconds at most.

Match.{
\t=Billing -> Finance
\t=Faults -> Engineering
\t=Sales -> Retention
}

The code is{
\t=RF1
\t=%50%RF#Add the number.
}

$CATEGORY: induction/week 2

Describe a calm voice.{####Tone matters.}

Read on\\: a\\: b \\{c\\} \\~ \\= \\# \\\\ done.\\nNext line.
"""


def test_a_bank_is_written_in_moodles_layout() -> None:
    """One answer a line, weights as %n%, general feedback last, a category line on change."""
    assert export_gift(parse_gift(BANK).questions) == WRITTEN


def test_nothing_is_written_for_no_questions() -> None:
    """An empty bank is an empty file."""
    assert export_gift([]) == ""


def mc(text: str, *answers: Answer, **fields: Any) -> ParsedQuestion:
    return ParsedQuestion(type="multichoice", text=text, answers=answers, **fields)


RIGHT, WRONG = Answer("yes", 100), Answer("no", 0)


@pytest.mark.parametrize(
    ("question", "written"),
    [
        # Text that the reader would take for syntax is protected by a format tag.
        (mc("[Note] read", RIGHT, WRONG), "[moodle][Note] read{"),
        (mc("// not a comment", RIGHT, WRONG), "[moodle]// not a comment{"),
        (mc("// not a comment", RIGHT, WRONG, name="n"), "::n::// not a comment{"),
        (mc("Q", Answer("%50% off", 100), WRONG), "\t=[moodle]%50% off\n"),
        (mc("Q", RIGHT, Answer("[x]", 0, "[y]")), "\t~[moodle][x]#[moodle][y]\n"),
        (mc("$CATEGORY: x", RIGHT, WRONG), "$CATEGORY\\: x{"),
        (mc("::x", RIGHT, WRONG, name="a::b"), "::a\\:\\:b::\\:\\:x{"),
        # A missing-word question has its block at the blank; a blank at the end stays.
        (mc("The _____ sat.", RIGHT, WRONG), "The {\n\t=yes\n\t~no\n} sat.\n"),
        (mc("It was _____", RIGHT, WRONG), "It was _____{\n"),
        # Every answer right: one '=', the rest '~%100%', so it still reads as multiple choice.
        (mc("Q", RIGHT, Answer("also", 100)), "{\n\t=yes\n\t~%100%also\n}"),
        (
            ParsedQuestion(
                type="multiresponse", text="Q", answers=(*[Answer("a", 33.33333)] * 3, WRONG)
            ),
            "\t~%33.33333%a\n\t~no\n",
        ),
        # True/false: the first feedback is for a wrong answer, the second for a right one.
        (
            ParsedQuestion(type="truefalse", text="Q", truefalse=TrueFalse(False, "no!", "yes!")),
            "Q{FALSE#no!#yes!}",
        ),
        (
            ParsedQuestion(type="truefalse", text="Q", truefalse=TrueFalse(True, "right")),
            "Q{TRUE##right}",
        ),
        (
            ParsedQuestion(
                type="numerical",
                text="Q",
                numerical=(NumericalAnswer(3.1415, 0.0005, 100), NumericalAnswer(-2e-7, 0, 50)),
            ),
            "Q{#\n\t=3.1415:0.0005\n\t=%50%-2e-07:0\n}",
        ),
        # A lone short answer with '->' is written bare, or it would read as matching.
        (
            ParsedQuestion(type="shortanswer", text="Q", answers=(Answer("a -> b", 100),)),
            "Q{a -> b}",
        ),
        (
            ParsedQuestion(
                type="matching",
                text="Q",
                format="html",
                pairs=(Pair("<i>a</i>", "1"), Pair("b", "2 -> 3"), Pair("", "4")),
            ),
            "[html]Q{\n\t=<i>a</i> -> 1\n\t=b -> 2 -> 3\n\t= -> 4\n}",
        ),
    ],
    ids=[
        *("bracket", "comment", "comment-after-name", "percent", "bracket-answer"),
        *("category-mark", "colons", "blank", "blank-at-end", "all-right", "thirds"),
        *("false-feedback", "true-right-feedback", "numbers", "bare-arrow", "matching"),
    ],
)
def test_the_writer_keeps_text_from_being_read_as_syntax(
    question: ParsedQuestion, written: str
) -> None:
    """The expected piece is in the output, and the output reads back to the same question."""
    output = export_gift([question])
    assert written in output
    assert parse_gift(output).questions == (question,)


def test_categories_are_written_when_they_change_and_backslashes_doubled() -> None:
    """Two questions in one category get one line; a backslash is written as Moodle reads it."""
    questions = [
        ParsedQuestion(type="essay", text="A", category="x\\y"),
        ParsedQuestion(type="essay", text="B", category="x\\y"),
        ParsedQuestion(type="essay", text="C", category="z: a#b"),
    ]
    output = export_gift(questions)
    assert output == "$CATEGORY: x\\\\y\n\nA{}\n\nB{}\n\n$CATEGORY: z: a#b\n\nC{}\n"
    assert parse_gift(output).questions == tuple(questions)


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        (
            [
                ParsedQuestion(type="essay", text="A", category="x"),
                ParsedQuestion(type="essay", text="B"),
            ],
            "question 2 has no category after questions that had one",
        ),
        ([ParsedQuestion(type="essay", text="A", category="a\nb")], "line break"),
        (
            [ParsedQuestion(type="description", text="A", general_feedback="x")],
            "a description cannot have general feedback",
        ),
        ([mc("Q", WRONG, Answer("b", 50))], "needs a 100% answer"),
        (
            [ParsedQuestion(type="matching", text="Q", pairs=(Pair("a -> b", "c"),) * 3)],
            "a matching prompt cannot contain '->'",
        ),
        (
            [
                ParsedQuestion(
                    type="shortanswer", text="Q", answers=(Answer("a->b", 100), Answer("c", 100))
                )
            ],
            "short answers with '->' cannot be written",
        ),
        ([ParsedQuestion(type="truefalse", text="Q")], "needs its answer"),
    ],
)
def test_what_gift_cannot_express_is_refused(questions: list[ParsedQuestion], message: str) -> None:
    """The writer raises ValueError rather than write a file that reads back differently."""
    with pytest.raises(ValueError, match=message):
        export_gift(questions)
