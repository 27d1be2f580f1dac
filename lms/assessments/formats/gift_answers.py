"""GIFT answer blocks: which type of question a block makes, and one reader for each type.

The type follows the order of tests in Moodle's importer (readquestion in
question/format/gift/format.php), applied to the block without its general feedback:

1. an empty block `{}` is an essay;
2. a block starting with `#` is numerical;
3. a block with a `~` is multiple choice: single answer ("multichoice") when some answer is
   marked right with `=`, several answers ("multiresponse", check boxes) when none is;
4. a block with both `=` and `->` is matching;
5. `T`, `TRUE`, `F` or `FALSE` (capitals, as Moodle compares them), each with optional
   `#feedback`, is true/false; anything else is short answer (so `{true}` accepts "true").

Where Moodle would import a question it cannot mark (no right answer, weights it does not
offer, too few answers), the reader reports it at the line of the answer, or of the `{`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from lms.assessments.formats.gift_lexer import BLANKS, GiftSource
from lms.assessments.formats.questions import (
    Answer,
    NumericalAnswer,
    Pair,
    QuestionType,
    TrueFalse,
)

# question_bank::fraction_options_full(): the grades Moodle offers, as percentages.
POSITIVE_WEIGHTS = (
    *(100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20),
    *(16.66667, 14.28571, 12.5, 11.11111, 10, 5),
)
ACCEPTED_WEIGHTS = (*POSITIVE_WEIGHTS, 0, *(-weight for weight in POSITIVE_WEIGHTS))
# match_grade_options() takes a grade within 0.00001 of an option (as a fraction of 1).
_WEIGHT_TOLERANCE = 0.001


def _percent(value: float) -> str:
    """A percentage as people write it: 50, 33.33333 (Moodle keeps five decimals)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


_WEIGHT_CHOICES = ", ".join(_percent(weight) for weight in POSITIVE_WEIGHTS) + " or 0"

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CHOICE_MARKS = re.compile("[~=]")
_EQUALS = re.compile("=")
_WEIGHT = re.compile(r"%([^%\s]*)%")
_PERCENT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class AnswerBlock:
    """What an answer block holds, whichever type of question it belongs to."""

    answers: tuple[Answer, ...] = ()
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[Pair, ...] = ()
    truefalse: TrueFalse | None = None


# A reader takes the block's span (trimmed, general feedback removed) and where `{` is.
Reader = Callable[[GiftSource, int, int, int], AnswerBlock]


class _Piece(NamedTuple):
    """One answer of a block: the mark before it ('' for none), where it is, its text's span."""

    mark: str
    at: int
    start: int
    end: int


def answer_type(content: str) -> QuestionType:
    """The type of question an answer block makes, by Moodle's tests in Moodle's order."""
    if not content:
        return "essay"
    if content[0] == "#":
        return "numerical"
    if "~" in content:
        return "multichoice" if "=" in content else "multiresponse"
    if "=" in content and "->" in content:
        return "matching"
    head = content.split("#", 1)[0].strip(BLANKS)
    return "truefalse" if head in _TRUE_FALSE else "shortanswer"


def accepted_weight(percent: float) -> float | None:
    """The weight Moodle would store for `percent`, or None when it offers no such grade."""
    for option in ACCEPTED_WEIGHTS:
        if abs(percent - option) < _WEIGHT_TOLERANCE:
            return float(option)
    return None


def read_single_choice(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{=right ~wrong ~%50%half}`: radio buttons, at least two answers."""
    return _read_choices(source, start, end, opening, single=True)


def read_multiple_choice(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{~%50%one ~%50%other ~%-100%wrong}`: check boxes; positive weights add up to 100%."""
    return _read_choices(source, start, end, opening, single=False)


def _read_choices(
    source: GiftSource, start: int, end: int, opening: int, *, single: bool
) -> AnswerBlock:
    answers = []
    for piece in _split(source, start, end, _CHOICE_MARKS):
        if piece.mark == "=":
            fraction, text_start = 100.0, piece.start
            if _WEIGHT.match(source.text, piece.start, piece.end):
                source.error(
                    piece.at, "'=' marks a right answer (100%); give partial credit as '~%50%'"
                )
        else:
            weight, text_start = _take_weight(source, piece)
            fraction = 0.0 if weight is None else weight
        text, feedback = _text_and_feedback(source, text_start, piece.end)
        if not text:
            source.error(piece.at, "the answer is empty")
        answers.append(Answer(text, fraction, feedback))
    if len(answers) < 2:
        source.error(opening, "a multiple choice question needs at least two answers")
    elif not single:
        _check_positive_sum(source, opening, [answer.fraction for answer in answers])
    return AnswerBlock(answers=tuple(answers))


def _check_positive_sum(source: GiftSource, opening: int, fractions: list[float]) -> None:
    # qtype_multichoice rounds the sum of positive fractions to two places and wants 1.
    positive = sum(fraction for fraction in fractions if fraction > 0)
    if positive == 0:
        source.error(
            opening,
            "no answer is right: mark it with '=', or give the right answers weights "
            "that add up to 100%",
        )
    elif round(positive / 100, 2) != 1:
        source.error(opening, f"the positive weights add up to {_percent(positive)}%, not 100%")


def read_short_answers(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{=one =%50%almost#feedback}`: accepted answers, one of them worth 100%."""
    answers = []
    for piece in _split(source, start, end, _EQUALS):
        weight, text_start = _take_weight(source, piece)
        text, feedback = _text_and_feedback(source, text_start, piece.end)
        if not text:
            source.error(piece.at, "the answer is empty")
        answers.append(Answer(text, 100.0 if weight is None else weight, feedback))
    _check_full_marks(source, opening, [answer.fraction for answer in answers])
    return AnswerBlock(answers=tuple(answers))


def read_numbers(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{#3.5:0.1}`, `{#1..5}`, `{#=%100%3:0 =%50%3:1#close}`: numbers within a tolerance."""
    start += 1  # the '#' that makes the block numerical
    other = source.text.find("~", start, end)
    if other >= 0:
        # Moodle stores '~#feedback' as a '*' answer, which a NumericalAnswer cannot hold.
        source.error(other, "feedback for any other answer ('~#...') is not supported here")
        end = other
    pieces = _split(source, start, end, _EQUALS)
    if not pieces:
        source.error(opening, "the numerical question has no answer after '#'")
    numbers = []
    for piece in pieces:
        weight, text_start = _take_weight(source, piece)
        text, feedback = _text_and_feedback(source, text_start, piece.end)
        accepted = _number_and_tolerance(source, piece.at, text)
        if accepted is not None:
            fraction = 100.0 if weight is None else weight
            numbers.append(NumericalAnswer(accepted[0], accepted[1], fraction, feedback))
    if numbers:
        _check_full_marks(source, opening, [number.fraction for number in numbers])
    return AnswerBlock(numerical=tuple(numbers))


def _number_and_tolerance(source: GiftSource, at: int, text: str) -> tuple[float, float] | None:
    """`value`, `value:tolerance` or `low..high` (the middle, and half the width)."""
    dots = text.find("..")
    if dots > 0:
        low, high = _decimal(source, at, text[:dots]), _decimal(source, at, text[dots + 2 :])
        if low is None or high is None:
            return None
        if high < low:
            source.error(at, f"the range {text} runs backwards: write the lower number first")
            return None
        middle = (low + high) / 2  # in decimal, so 3.141..3.142 is 3.1415 give or take 0.0005
        return float(middle), float(high - middle)
    colon = text.find(":")
    value_text, tolerance_text = (text[:colon], text[colon + 1 :]) if colon > 0 else (text, "0")
    value, tolerance = _decimal(source, at, value_text), _decimal(source, at, tolerance_text)
    if value is None or tolerance is None:
        return None
    if tolerance < 0:
        source.error(at, f"the tolerance {tolerance_text.strip()} is negative")
        return None
    return float(value), float(tolerance)


def _decimal(source: GiftSource, at: int, text: str) -> Decimal | None:
    text = text.strip(BLANKS)
    if not text:
        source.error(at, "a number is missing")
        return None
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        source.error(at, f"'{text}' is not a number")
        return None
    return Decimal(text)


def read_pairs(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{=prompt -> answer ...}`: at least three pairs; a pair with no prompt is a distractor."""
    pieces = _split(source, start, end, _EQUALS)
    pairs = []
    for piece in pieces:
        arrow = source.text.find("->", piece.start, piece.end)
        if arrow < 0:
            source.error(piece.at, "a matching pair is written '=prompt -> answer'")
            continue
        prompt = source.text_of(piece.start, arrow)
        # Moodle reads no format tag in the answer of a pair.
        answer = source.clean(source.text[arrow + 2 : piece.end], arrow, formatted=False)
        if not answer:
            source.error(piece.at, "the pair has no answer after '->'")
        pairs.append(Pair(prompt, answer))
    if len(pieces) < 3:
        source.error(opening, f"a matching question needs at least three pairs, not {len(pieces)}")
    elif sum(1 for pair in pairs if pair.question) < 2:
        source.error(opening, "a matching question needs at least two pairs with a prompt")
    return AnswerBlock(pairs=tuple(pairs))


def read_true_false(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{T}`, `{FALSE#wrong-answer feedback#right-answer feedback}`.

    As in Moodle's split_truefalse_comment(), the first feedback is shown to a learner who
    answers wrongly and the second to one who answers rightly. `feedback_true` is what a
    learner who picks True sees, `feedback_false` what one who picks False sees, so:
    `{T#a#b}` gives feedback_true=b, feedback_false=a; `{F#a#b}` gives feedback_true=a,
    feedback_false=b.
    """
    first = source.text.find("#", start, end)
    second = source.text.find("#", first + 1, end) if first >= 0 else -1
    answer = source.text[start : first if first >= 0 else end].strip(BLANKS)
    wrong = source.text_of(first + 1, second if second >= 0 else end) if first >= 0 else ""
    right = source.text_of(second + 1, end) if second >= 0 else ""
    if _TRUE_FALSE.get(answer, False):
        verdict = TrueFalse(True, feedback_true=right or None, feedback_false=wrong or None)
    else:
        verdict = TrueFalse(False, feedback_true=wrong or None, feedback_false=right or None)
    return AnswerBlock(truefalse=verdict)


def read_nothing(source: GiftSource, start: int, end: int, opening: int) -> AnswerBlock:
    """`{}`: an essay has no answers; an assessor marks it."""
    return AnswerBlock()


READERS: dict[QuestionType, Reader] = {
    "multichoice": read_single_choice,
    "multiresponse": read_multiple_choice,
    "truefalse": read_true_false,
    "shortanswer": read_short_answers,
    "numerical": read_numbers,
    "matching": read_pairs,
    "essay": read_nothing,
}


def _split(source: GiftSource, start: int, end: int, marks: re.Pattern[str]) -> list[_Piece]:
    """The answers of a block, each starting at a mark.

    Text before the first mark is an answer too when it is not blank, as in Moodle
    (`{eight}` is a short answer accepting "eight").
    """
    text = source.text
    cuts = [match.start() for match in marks.finditer(text, start, end)]
    pieces = []
    lead_start, lead_end = source.strip_span(start, cuts[0] if cuts else end)
    if lead_start < lead_end:
        pieces.append(_Piece("", lead_start, lead_start, lead_end))
    for index, cut in enumerate(cuts):
        piece_end = cuts[index + 1] if index + 1 < len(cuts) else end
        piece_start, piece_end = source.strip_span(cut + 1, piece_end)
        pieces.append(_Piece(text[cut], cut, piece_start, piece_end))
    return pieces


def _take_weight(source: GiftSource, piece: _Piece) -> tuple[float | None, int]:
    """A leading `%n%` checked against Moodle's grades, and where the answer's text starts."""
    match = _WEIGHT.match(source.text, piece.start, piece.end)
    if match is None:
        return None, piece.start
    value = match.group(1)
    if not _PERCENT.fullmatch(value):
        source.error(piece.at, f"%{value}% is not a weight: write a percentage such as %50%")
        return None, match.end()
    weight = accepted_weight(float(value))
    if weight is None:
        source.error(
            piece.at,
            f"{value}% is not a weight Moodle accepts: use {_WEIGHT_CHOICES}, or minus one of them",
        )
    return weight, match.end()


def _text_and_feedback(source: GiftSource, start: int, end: int) -> tuple[str, str | None]:
    """An answer's text and the feedback after its first '#' (None when there is none)."""
    mark = source.text.find("#", start, end)
    if mark < 0:
        return source.text_of(start, end), None
    return source.text_of(start, mark), source.text_of(mark + 1, end) or None


def _check_full_marks(source: GiftSource, opening: int, fractions: list[float]) -> None:
    if fractions and max(fractions) != 100:
        source.error(opening, "no answer is worth 100%, so no one could get full marks")
