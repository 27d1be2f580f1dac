"""The shipped programme, read from the repository's files as `lms content sync` reads them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lms.assessments.loading import QuizSource, read_assessments
from lms.content.loading import ModuleSource, criteria_counts, read_programme

REPOSITORY = Path(__file__).resolve().parents[2]
CONTENT, ASSESSMENTS = REPOSITORY / "content" / "modules", REPOSITORY / "assessments"
MODULE_CODES = ("M1", "M2", "M3", "M4", "M5")
COMPANY = "Ilanga"  # the fictional BPO every worked example is set in


@cache
def modules() -> tuple[ModuleSource, ...]:
    return tuple(read_programme(CONTENT))


@cache
def quizzes() -> tuple[QuizSource, ...]:
    counts = {module.meta.code: criteria_counts(module) for module in modules()}
    return tuple(read_assessments(ASSESSMENTS, counts))


def module(code: str) -> ModuleSource:
    return next(m for m in modules() if m.meta.code == code)


def quiz(code: str, kind: str) -> QuizSource:
    return next(q for q in quizzes() if q.module_code == code and q.settings.kind == kind)
