"""Every shipped knowledge check can be passed with its own answer key, through the same
marking code a learner's attempt goes through, and a wrong choice is never marked right."""

from __future__ import annotations

import pytest

from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.grading import GradeOutcome
from lms.assessments.question_types import kind_of
from tests.programme.shipped import MODULE_CODES, keyed_answer, quiz

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
