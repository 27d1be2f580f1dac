"""Questions answered by typing (short answer, numerical, essay), and descriptions."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.grading import Grade
from lms.assessments.question_types.base import (
    MAX_TEXT_ANSWER,
    FormValues,
    InvalidAnswer,
    LearnerQuestion,
    QuestionKind,
    StoredAnswer,
    register,
)


def _typed_text(values: FormValues, field: str) -> str | None:
    given = values(field)
    if len(given) > 1:
        raise InvalidAnswer("give only one answer")
    text = given[0].strip() if given else ""
    if len(text) > MAX_TEXT_ANSWER:
        raise InvalidAnswer(f"an answer may be at most {MAX_TEXT_ANSWER} characters")
    return text or None


class _TypedAnswer(QuestionKind):
    def learner_view(
        self,
        question: ParsedQuestion,
        *,
        number: int,
        field: str,
        order: Sequence[int],
        answer: StoredAnswer,
    ) -> LearnerQuestion:
        text = (answer or {}).get("text", "")
        return self.view(
            question,
            number,
            field,
            text=text,
            answered=bool(text),
        )

    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        text = _typed_text(values, field)
        return None if text is None else {"text": text}


def normalise_words(text: str) -> str:
    """Case and spacing do not matter in a short answer."""
    return " ".join(text.casefold().split())


def _wildcard(pattern: str) -> re.Pattern[str]:
    """Moodle's short-answer `*` matches any run of characters; `\\*` is a literal star."""
    parts = re.split(r"(?<!\\)\*", normalise_words(pattern))
    body = ".*".join(re.escape(part.replace("\\*", "*")) for part in parts)
    return re.compile(body, re.DOTALL)


@register
class ShortAnswer(_TypedAnswer):
    name = "shortanswer"

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer:
            return Grade.unanswered(max_points)
        given = normalise_words(answer["text"])
        for accepted in question.answers:
            if _wildcard(accepted.text).fullmatch(given):
                return Grade.from_fraction(
                    accepted.fraction, max_points, (accepted.feedback or "",)
                )
        return Grade.from_fraction(0, max_points)

    def right_answer(self, question: ParsedQuestion) -> str:
        return " / ".join(a.text for a in question.answers if a.fraction >= 100)


_THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2},[0-9]{3}")
_SPACES = re.compile(r"[\s\u00a0\u202f']")  # 1 000, 1'000 and thin spaces group digits


def read_number(text: str) -> float | None:
    """A number as a person types it: `3,5` as well as `3.5`, spaces, a trailing %."""
    readings = number_readings(text)
    return readings[0] if readings else None


def number_readings(text: str) -> list[float]:
    """Every number the text could mean, most likely first.

    `3,5` is 3.5 (a decimal comma); `1,000.5` and `1.000,5` are a thousand and a half;
    `1,000` could be one thousand or one, so both are kept and the learner gets the benefit
    of the doubt.
    """
    cleaned = _SPACES.sub("", text).removesuffix("%")
    candidates = [cleaned]
    if "," in cleaned and "." in cleaned:
        # The last mark is the decimal one: 1,000.5 and 1.000,5 are both a thousand and a half.
        decimal = "." if cleaned.rindex(".") > cleaned.rindex(",") else ","
        grouping = "," if decimal == "." else "."
        candidates = [cleaned.replace(grouping, "").replace(decimal, ".")]
    elif "," in cleaned and cleaned.count(",") == 1:
        candidates = [cleaned.replace(",", ".")]
        if _THOUSANDS.fullmatch(cleaned):
            candidates.insert(0, cleaned.replace(",", ""))
    readings = []
    for candidate in candidates:
        try:
            number = float(candidate)
        except ValueError:
            continue
        if math.isfinite(number):
            readings.append(number)
    return readings


@register
class Numerical(_TypedAnswer):
    name = "numerical"

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer:
            return Grade.unanswered(max_points)
        readings = number_readings(answer["text"])
        if not readings:
            return Grade.from_fraction(0, max_points, ("That answer is not a number.",))
        grades = [self._grade_number(question, number, max_points) for number in readings]
        return max(grades, key=lambda grade: grade.points)

    @staticmethod
    def _grade_number(question: ParsedQuestion, number: float, max_points: float) -> Grade:
        for accepted in question.numerical:
            # A tiny allowance, so 0.1 + 0.2 still counts as 0.3.
            if abs(number - accepted.value) <= accepted.tolerance + 1e-9 * max(1, abs(number)):
                return Grade.from_fraction(
                    accepted.fraction, max_points, (accepted.feedback or "",)
                )
        return Grade.from_fraction(0, max_points)

    def right_answer(self, question: ParsedQuestion) -> str:
        best = [n for n in question.numerical if n.fraction >= 100] or list(question.numerical)
        return " / ".join(_number_with_tolerance(n.value, n.tolerance) for n in best)


def _number_with_tolerance(value: float, tolerance: float) -> str:
    # Fifteen significant digits: 1234567 stays 1234567, where ":g" would print 1.23457e+06.
    shown = f"{value:.15g}"
    return f"{shown} (± {tolerance:.15g})" if tolerance else shown


@register
class Essay(_TypedAnswer):
    name = "essay"
    auto_marked = False

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer:
            return Grade.unanswered(max_points)
        return Grade.needs_marking(max_points)

    def right_answer(self, question: ParsedQuestion) -> str:
        return "An assessor marks this answer."


@register
class Description(QuestionKind):
    name = "description"
    auto_marked = False
    counts = False

    def learner_view(
        self,
        question: ParsedQuestion,
        *,
        number: int,
        field: str,
        order: Sequence[int],
        answer: StoredAnswer,
    ) -> LearnerQuestion:
        return self.view(question, number, field)

    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        return None

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        return Grade.from_fraction(0, 0)

    def right_answer(self, question: ParsedQuestion) -> str:
        return ""
