"""The Aiken format, read as Moodle reads it: one right answer, options lettered in order."""

from __future__ import annotations

import pytest

from lms.assessments.formats.aiken import parse_aiken
from tests.assessments.formats.expected import question, right, wrong

MOODLE_HELP = """\
What is the correct answer to this question?
A. Is it this one?
B. Maybe this answer?
C. Possibly this one?
D. Must be this one!
ANSWER: D

Which LMS has the most quiz import formats?
A) Moodle
B) ATutor
C) Claroline
D) Blackboard
E) WebCT
F) Ilias
ANSWER: A
"""


def read(text: str) -> tuple[list[tuple[int, dict]], list[str]]:
    parsed = parse_aiken(text, "bank.txt")
    questions = [(q.line, q.as_json()) for q in parsed.questions]
    return questions, [f"{error.line}: {error.message}" for error in parsed.errors]


def test_moodles_own_example_reads_as_two_plain_multiple_choice_questions() -> None:
    """Options with '.' or ')', the letter after ANSWER marks the one right answer."""
    assert read(MOODLE_HELP) == (
        [
            (
                1,
                question(
                    "multichoice",
                    "What is the correct answer to this question?",
                    format="plain",
                    answers=[
                        wrong("Is it this one?"),
                        wrong("Maybe this answer?"),
                        wrong("Possibly this one?"),
                        right("Must be this one!"),
                    ],
                ),
            ),
            (
                8,
                question(
                    "multichoice",
                    "Which LMS has the most quiz import formats?",
                    format="plain",
                    answers=[right("Moodle")]
                    + [wrong(x) for x in ("ATutor", "Claroline", "Blackboard", "WebCT", "Ilias")],
                ),
            ),
        ],
        [],
    )


def test_question_text_may_run_over_several_lines_and_blank_lines_do_not_matter() -> None:
    """Text lines before the first option join with line breaks; options need no space."""
    text = (
        "\n\nThe caller says:\n'I want a refund.'\n\nYou reply\nA)Sorry\n\nB)No\nANSWER: A\n"
        "Next?\nA. x\nB. y\nANSWER: B"
    )
    assert read(text) == (
        [
            (
                3,
                question(
                    "multichoice",
                    "The caller says:\n'I want a refund.'\nYou reply",
                    format="plain",
                    answers=[right("Sorry"), wrong("No")],
                ),
            ),
            (
                11,
                question("multichoice", "Next?", format="plain", answers=[wrong("x"), right("y")]),
            ),
        ],
        [],
    )


def test_symbols_are_plain_text_and_a_bom_and_windows_line_ends_are_fine() -> None:
    """Aiken has no escapes: GIFT's control characters and HTML are the learner's text."""
    [parsed] = parse_aiken(
        "\ufeffIs 1 {=} 1 <b>?</b>\r\nA. ~yes#\r\nB. no\r\nANSWER: A\r\n"
    ).questions
    assert (parsed.text, parsed.answers[0].text, parsed.line) == ("Is 1 {=} 1 <b>?</b>", "~yes#", 1)


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        (
            "Why?\nA. a\nB. b\n",
            ["4: the question on line 1 has no 'ANSWER:' line after its options"],
        ),
        (
            "Why?\nA. a\nB. b\n\nWho?\nA. a\nB. b\nANSWER: A",
            ["4: the question on line 1 has no 'ANSWER:' line after its options"],
        ),
        ("Why?\nA. a\nB. b\nANSWER: C", ["4: ANSWER C is not an option: the options are A to B"]),
        ("Why?\nA. a\nB. b\nANSWER: b", ["4: ANSWER must be one option letter, A to B"]),
        ("Why?\nA. a\nB. b\nANSWER: A, B", ["4: ANSWER must be one option letter, A to B"]),
        ("Why?\nA. a\nB. b\nANSWER:", ["4: ANSWER must be one option letter, A to B"]),
        ("Why?\nA. a\nANSWER: A", ["3: the question on line 1 needs at least two options"]),
        ("Why?\nANSWER: A", ["2: the question on line 1 needs at least two options"]),
        (
            "Why?\nA. a\nB. b\nAnswer: A",
            ["4: write the answer line as 'ANSWER: B' (capitals, then a colon)"],
        ),
        ("A. a\nWhy?\nA. a\nB. b\nANSWER: A", ["1: option A has no question"]),
        ("ANSWER: A\nWhy?\nA. a\nB. b\nANSWER: A", ["1: ANSWER has no question before it"]),
        ("Why?\nA. a\nC. c\nANSWER: A", ["3: option C should be B: letter options A, B, C..."]),
        ("Why?\nA. a\nB.\nANSWER: A", ["3: option B has no text"]),
        ("Only a question", ["1: the question has no options"]),
    ],
    ids=[
        *("no-answer-at-end", "no-answer-before-next", "letter-not-an-option", "lowercase"),
        *("two-letters", "no-letter", "one-option", "no-options-then-answer", "misspelt"),
        *("option-first", "answer-first", "letters-out-of-order", "empty-option", "no-options"),
    ],
)
def test_each_problem_is_reported_at_its_line(text: str, errors: list[str]) -> None:
    """The message says what is wrong, at the line where it is."""
    assert read(text)[1] == errors


def test_moodles_error_fixture_keeps_the_two_good_questions() -> None:
    """Moodle's own test file of Aiken errors: two good questions, four problems."""
    fixture = (
        "A question with too few answers\nA) Only answer\nANSWER: A\n\n"
        "A) Question not started\n\nANSWER: Question not started\n\n"
        "A good question\nA) Correct\nB) Incorrect\nANSWER: A\n\n"
        "A question started but not finished\nA) Correct-ish\nB) Incorrect-ish\n\n"
        "A second good question\nA)Incorrect (No space)\nB)Correct (No space)\nANSWER: B"
    )
    questions, errors = read(fixture)
    assert [q["text"] for _, q in questions] == ["A good question", "A second good question"]
    assert errors == [
        "3: the question on line 1 needs at least two options",
        "5: option A has no question",
        "7: ANSWER has no question before it",
        "17: the question on line 14 has no 'ANSWER:' line after its options",
    ]


def test_lines_of_one_character_are_skipped_as_moodle_skips_them() -> None:
    """Moodle ignores lines shorter than two characters, so a stray '-' changes nothing."""
    questions, errors = read("Why?\n-\nA. a\nB. b\n.\nANSWER: B")
    assert (len(questions), errors) == (1, [])
