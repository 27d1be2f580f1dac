"""Every problem the GIFT reader reports, at its line; and the reader never raises."""

from __future__ import annotations

import random

import pytest

from lms.assessments.formats.gift import parse_gift

WEIGHTS = (
    "100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, "
    "14.28571, 12.5, 11.11111, 10, 5 or 0, or minus one of them"
)

# (id, GIFT, the errors as "line: message"); the question with the problem is on line 3.
ERROR_CASES = [
    # Braces and blocks
    ("unclosed-block", "A\n\nQ {\n=a\n~b\n", ["3: the answer block '{' is not closed with '}'"]),
    (
        "closing-without-opening",
        "A\n\nQ } {=a ~b}",
        ["3: '}' has no '{' before it (write \\} for a literal brace)"],
    ),
    (
        "closing-only",
        "A\n\nQ \\{ x }",
        ["3: '}' has no '{' before it (write \\} for a literal brace)"],
    ),
    (
        "nested-block",
        "A\n\nQ {=a\n{~b}",
        ["4: '{' inside an answer block (write \\{ for a literal brace)"],
    ),
    (
        "two-blocks",
        "A\n\nQ {=a ~b}\nR {T}",
        [
            "4: a question has one answer block: write \\{ and \\} for literal braces, "
            "or put a blank line between two questions"
        ],
    ),
    # Names, text and formats
    ("unclosed-name", "A\n\n::Name Q {T}", ["3: the question name is not closed with '::'"]),
    (
        "empty-name",
        "A\n\n:: ::Q {T}",
        ["3: the question name is empty: write ::name:: or leave it out"],
    ),
    (
        "name-without-text",
        "A\n\n::Name::\n// nothing else",
        ["3: the question has a name but no text"],
    ),
    ("no-text", "A\n\n{=a ~b}", ["3: the question has no text"]),
    ("no-text-after-format", "A\n\n[html] {}", ["3: the question has no text"]),
    (
        "unknown-format",
        "A\n\n[htm]Q {T}",
        ["3: unknown text format [htm]: use [moodle], [html], [plain] or [markdown]"],
    ),
    (
        "capital-format",
        "A\n\n[HTML]Q {T}",
        ["3: unknown text format [HTML]: use [moodle], [html], [plain] or [markdown]"],
    ),
    (
        "unknown-format-in-answer",
        "A\n\nQ {\n=[markdwn]a\n~b}",
        ["4: unknown text format [markdwn]: use [moodle], [html], [plain] or [markdown]"],
    ),
    (
        "answer-in-another-format",
        "A\n\n[html]Q {\n=a#[plain]yes\n~b}",
        ["4: [plain] is not the question's format [html]: a question has one text format"],
    ),
    (
        "essay-with-text-after",
        "A\n\nWrite {} about it.",
        ["3: an essay's {} must end the question: move the text before it"],
    ),
    # Multiple choice
    (
        "one-choice",
        "A\n\nQ {~%100%a}",
        ["3: a multiple choice question needs at least two answers"],
    ),
    ("empty-choice", "A\n\nQ {\n=a\n~\n}", ["5: the answer is empty"]),
    (
        "weight-on-right-answer",
        "A\n\nQ {\n=%50%a\n~b}",
        ["4: '=' marks a right answer (100%); give partial credit as '~%50%'"],
    ),
    (
        "malformed-weight",
        "A\n\nQ {=a\n~%half%b}",
        ["4: %half% is not a weight: write a percentage such as %50%"],
    ),
    (
        "weight-moodle-refuses",
        "A\n\nQ {=a\n~%45%b}",
        [f"4: 45% is not a weight Moodle accepts: use {WEIGHTS}"],
    ),
    (
        "thirds-too-rough",
        "A\n\nQ {=a\n~%33.33%b}",
        [f"4: 33.33% is not a weight Moodle accepts: use {WEIGHTS}"],
    ),
    (
        "weights-not-100",
        "A\n\nQ {\n~%50%a\n~%40%b\n~c}",
        ["3: the positive weights add up to 90%, not 100%"],
    ),
    (
        "weights-over-100",
        "A\n\nQ {~%50%a ~%50%b ~%50%c}",
        ["3: the positive weights add up to 150%, not 100%"],
    ),
    (
        "no-right-answer",
        "A\n\nQ {~a ~b ~c}",
        [
            "3: no answer is right: mark it with '=', "
            "or give the right answers weights that add up to 100%"
        ],
    ),
    # Short answer
    (
        "short-answer-without-full-marks",
        "A\n\nQ {=%50%a =%25%b}",
        ["3: no answer is worth 100%, so no one could get full marks"],
    ),
    ("empty-short-answer", "A\n\nQ {\n=\n=a}", ["4: the answer is empty"]),
    (
        "short-answer-weight",
        "A\n\nQ {=a\n=%15%b}",
        [f"4: 15% is not a weight Moodle accepts: use {WEIGHTS}"],
    ),
    # Numerical
    (
        "numerical-without-answer",
        "A\n\nQ {#}",
        ["3: the numerical question has no answer after '#'"],
    ),
    ("not-a-number", "A\n\nQ {#\n=1822\n=abc}", ["5: 'abc' is not a number"]),
    ("tolerance-not-a-number", "A\n\nQ {#5:x}", ["3: 'x' is not a number"]),
    ("range-not-a-number", "A\n\nQ {#1..five}", ["3: 'five' is not a number"]),
    ("number-missing", "A\n\nQ {#1:}", ["3: a number is missing"]),
    ("infinite-number", "A\n\nQ {#1e999}", ["3: '1e999' is not a number"]),
    ("negative-tolerance", "A\n\nQ {#5:-1}", ["3: the tolerance -1 is negative"]),
    (
        "backwards-range",
        "A\n\nQ {#5..1}",
        ["3: the range 5..1 runs backwards: write the lower number first"],
    ),
    (
        "numerical-without-full-marks",
        "A\n\nQ {#=%50%3}",
        ["3: no answer is worth 100%, so no one could get full marks"],
    ),
    (
        "numerical-other-answer-feedback",
        "A\n\nQ {#=3\n~#Try again}",
        ["4: feedback for any other answer ('~#...') is not supported here"],
    ),
    # Matching
    (
        "two-pairs",
        "A\n\nQ {=a -> 1 =b -> 2}",
        ["3: a matching question needs at least three pairs, not 2"],
    ),
    (
        "pair-without-arrow",
        "A\n\nQ {\n=a -> 1\n=b\n=c -> 3}",
        ["5: a matching pair is written '=prompt -> answer'"],
    ),
    (
        "pair-without-answer",
        "A\n\nQ {=a -> 1\n=b ->\n=c -> 3}",
        ["4: the pair has no answer after '->'"],
    ),
    (
        "one-prompt",
        "A\n\nQ {=a -> 1 = -> 2 = -> 3}",
        ["3: a matching question needs at least two pairs with a prompt"],
    ),
    # Categories and characters
    (
        "empty-category",
        "A\n\n$CATEGORY:\n\nB",
        ["3: $CATEGORY needs a category path, such as $CATEGORY: induction/week 1"],
    ),
    (
        "category-line-break",
        "A\n\n$CATEGORY: a\\nb",
        ["3: a category path cannot hold a line break (\\n)"],
    ),
    (
        "category-run-on",
        "A\n\n$CATEGORY: x\nQ {T}",
        ["4: put a blank line after the $CATEGORY line"],
    ),
    ("noncharacter", "A\n\nQ \ufdd2 {T}", ["3: the line holds U+FDD2, a noncharacter"]),
]


@pytest.mark.parametrize(
    ("gift", "errors"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_each_problem_is_reported_at_its_line(gift: str, errors: list[str]) -> None:
    """The message names the problem, at the line of the answer (or of the question's '{')."""
    parsed = parse_gift(gift, "bank.gift")
    assert [f"{error.line}: {error.message}" for error in parsed.errors] == errors
    assert not parsed.ok
    assert all(error.file == "bank.gift" for error in parsed.errors)


@pytest.mark.parametrize(
    ("gift", "errors"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_a_question_with_a_problem_is_left_out_and_the_others_kept(
    gift: str, errors: list[str]
) -> None:
    """Line 1 of every case is a fine description, still returned; line 3's question is not."""
    kept = parse_gift(gift).questions
    assert [question.text for question in kept if question.line == 1] == ["A"]
    assert all(question.line != 3 for question in kept)


def test_every_problem_of_a_question_is_reported_not_just_the_first() -> None:
    """Two bad weights and a bad sum in one question are three errors, in line order."""
    parsed = parse_gift("Q {\n~%45%a\n~%45%b\n~%-7%c\n}")
    assert [error.line for error in parsed.errors] == [1, 2, 3, 4]
    assert parsed.questions == ()


def test_errors_from_several_questions_come_sorted_by_line() -> None:
    """A file's errors are listed in the order of its lines."""
    parsed = parse_gift("Q {#x}\n\nR {=a -> b}\n\nS {~a ~b}\n\nT {T}")
    assert [error.line for error in parsed.errors] == [1, 3, 5]
    assert [question.text for question in parsed.questions] == ["T"]


def test_a_bad_category_leaves_the_previous_one_in_force() -> None:
    """After `$CATEGORY:` with no path, the questions stay in the category before it."""
    parsed = parse_gift("$CATEGORY: a\n\nQ {T}\n\n$CATEGORY:\n\nR {T}")
    assert [question.category for question in parsed.questions] == ["a", "a"]


def test_a_question_run_on_after_a_category_is_still_read() -> None:
    """The question is checked too, so the author sees all its problems at once."""
    parsed = parse_gift("$CATEGORY: x\nQ {#y}")
    assert [f"{e.line}: {e.message}" for e in parsed.errors] == [
        "2: 'y' is not a number",
        "2: put a blank line after the $CATEGORY line",
    ]


PIECES = [
    *("{", "}", "~", "=", "#", ":", "::", "\\", "%", "%50%", "%-100%", "->", "..", "####"),
    *("\n", "\n\n", "\r", "\r\n", " ", "\t", "a", "T", "FALSE", "1", "-2.5", "e9", "[", "]"),
    *("[html]", "[x]", "$CATEGORY:", "//", "_____", "\ufdd0", "\ufeff", "é", "\x00", "\u2028"),
]


def test_no_input_makes_the_reader_raise() -> None:
    """Random mixtures of GIFT's syntax always give a result, never an exception."""
    rng = random.Random(20261125)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        parsed = parse_gift(text)
        assert all("could not be read" not in error.message for error in parsed.errors), text
        assert all(error.line >= 1 for error in parsed.errors)
