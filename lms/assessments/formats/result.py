"""What reading a question file gives: the questions that were fine and every problem found."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lms.assessments.formats.questions import QUESTION_TYPES, ParsedQuestion, QuestionType
from lms.content.frontmatter import SourceError


@dataclass(frozen=True)
class ParsedFile:
    """A whole file read: a file with errors still lists the questions that were fine."""

    questions: tuple[ParsedQuestion, ...]
    errors: tuple[SourceError, ...]

    @property
    def ok(self) -> bool:
        """Whether the file can be loaded (the loader refuses a file with any error)."""
        return not self.errors

    def type_counts(self) -> dict[QuestionType, int]:
        """How many questions of each type, in QUESTION_TYPES order; absent types left out."""
        counts = Counter(question.type for question in self.questions)
        return {kind: counts[kind] for kind in QUESTION_TYPES if counts[kind]}
