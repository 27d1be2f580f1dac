"""Every shipped knowledge check can be passed with its own answer key, through the same
marking code a learner's attempt goes through, and a wrong choice is never marked right."""

from __future__ import annotations

from typing import Any

import pytest

from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.grading import GradeOutcome
from lms.assessments.question_types import kind_of
from lms.assessments.question_types.choices import matching_options
from tests.programme.shipped import MODULE_CODES, quiz


def keyed_answer(question: ParsedQuestion) -> dict[str, Any]:
    """The answer the key says is right, stored as a learner's answer is stored."""
    if question.type == "multichoice":
        return {"choice": next(i for i, a in enumerate(question.answers) if a.fraction == 100)}
    if question.type == "multiresponse":
        return {"choices": [i for i, a in enumerate(question.answers) if a.fraction > 0]}
    if question.type == "truefalse":
        assert question.truefalse is not None
        return {"value": question.truefalse.correct}
    if question.type == "shortanswer":
        return {"text": next(a.text for a in question.answers if a.fraction == 100)}
    if question.type == "numerical":
        return {"text": str(next(a.value for a in question.numerical if a.fraction == 100))}
    assert question.type == "matching", question.type
    options = matching_options(question)
    return {
        "matches": {
            str(i): options.index(pair.answer)
            for i, pair in enumerate(question.pairs)
            if pair.question
        }
    }


QUESTIONS = [
    pytest.param(question.parsed, id=f"{code}-{question.parsed.name}")
    for code in MODULE_CODES
    for question in quiz(code, "knowledge-check").questions
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_keyed_answer_earns_full_marks(question: ParsedQuestion) -> None:
    """Weights that add up, a short answer that matches itself, a number inside its tolerance."""
    grade = kind_of(question).grade(question, keyed_answer(question), 1)
    assert grade.outcome is GradeOutcome.CORRECT, grade
    assert grade.points == 1


@pytest.mark.parametrize(
    "question", [q for q in QUESTIONS if q.values[0].type in ("multichoice", "multiresponse")]
)
def test_every_wrong_choice_is_marked_short_of_full_marks(question: ParsedQuestion) -> None:
    """A distractor alone never passes for the right answer."""
    for index, answer in enumerate(question.answers):
        if answer.fraction > 0:
            continue
        stored = {"choice": index} if question.type == "multichoice" else {"choices": [index]}
        grade = kind_of(question).grade(question, stored, 1)
        assert grade.outcome is GradeOutcome.INCORRECT, answer.text
