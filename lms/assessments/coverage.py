"""Which lessons teach, and which questions test, each assessment criterion of a programme.

Read from the files (lesson front matter and quiz settings), so an author can check a
programme before it is loaded: a criterion nobody teaches or nobody tests is a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lms.assessments.loading import QuizSource, read_quizzes_of
from lms.content.loading import ModuleSource, read_programme


@dataclass
class CriterionCoverage:
    outcome: str
    number: int
    text: str
    taught_by: list[str] = field(default_factory=list)  # lesson slugs
    tested_by: list[str] = field(default_factory=list)  # "quiz-slug/question-name"

    @property
    def reference(self) -> str:
        return f"{self.outcome}.{self.number}"

    @property
    def gaps(self) -> list[str]:
        return [
            gap
            for gap, missing in (
                ("not taught", not self.taught_by),
                ("not tested", not self.tested_by),
            )
            if missing
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "number": self.number,
            "text": self.text,
            "taught_by": self.taught_by,
            "tested_by": self.tested_by,
        }


@dataclass
class ModuleCoverage:
    code: str
    title: str
    criteria: list[CriterionCoverage]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "criteria": [criterion.as_json() for criterion in self.criteria],
        }


def read_coverage(content_root: Path, assessments_root: Path) -> list[ModuleCoverage]:
    """The coverage of every module under `content_root` by its quizzes under
    `assessments_root`; raises ContentError, as a sync would, when a file has a problem."""
    modules = read_programme(content_root)
    return coverage(modules, read_quizzes_of(modules, assessments_root))


def coverage(modules: list[ModuleSource], quizzes: list[QuizSource]) -> list[ModuleCoverage]:
    """Each module's criteria, in the order written, with what teaches and tests them."""
    report = []
    for module in modules:
        found = {
            (outcome.code, number): CriterionCoverage(outcome.code, number, text)
            for outcome in module.meta.outcomes
            for number, text in enumerate(outcome.criteria, start=1)
        }
        for lesson in module.lessons:
            for code, numbers in lesson.meta.criteria.items():
                for number in numbers:
                    found[code, number].taught_by.append(lesson.slug)
        for quiz in quizzes:
            if quiz.module_code != module.meta.code:
                continue
            for question in quiz.questions:
                for pair in question.criteria:
                    found[pair].tested_by.append(f"{quiz.slug}/{question.parsed.name}")
        report.append(ModuleCoverage(module.meta.code, module.meta.title, list(found.values())))
    return report
