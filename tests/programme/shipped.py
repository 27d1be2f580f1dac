"""The shipped programme, read from the repository's files as `lms content sync` reads them."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.loading import QuizSource, read_quizzes_of
from lms.assessments.question_types.choices import matching_options
from lms.content.loading import ModuleSource, read_programme

REPOSITORY = Path(__file__).resolve().parents[2]
CONTENT, ASSESSMENTS = REPOSITORY / "content" / "modules", REPOSITORY / "assessments"
MODULE_CODES = ("M1", "M2", "M3", "M4", "M5")
COMPANY = "Ilanga"  # the fictional BPO every worked example is set in


@cache
def modules() -> tuple[ModuleSource, ...]:
    return tuple(read_programme(CONTENT))


@cache
def quizzes() -> tuple[QuizSource, ...]:
    return tuple(read_quizzes_of(modules(), ASSESSMENTS))


def module(code: str) -> ModuleSource:
    return next(m for m in modules() if m.meta.code == code)


def quiz(code: str, kind: str) -> QuizSource:
    return next(q for q in quizzes() if q.module_code == code and q.settings.kind == kind)


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
