"""The interface every question type implements, and the registry that finds them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup

from lms.assessments.formats.questions import ParsedQuestion, QuestionType
from lms.assessments.grading import Grade
from lms.assessments.text import question_html

# The form's values for one field name; a missing field gives an empty list.
FormValues = Callable[[str], list[str]]
# A stored answer (its shape depends on the type, see docs/ASSESSMENTS.md); None when blank.
StoredAnswer = dict[str, Any] | None

MAX_TEXT_ANSWER = 20_000  # characters: a long essay, far below what would strain a page


class InvalidAnswer(ValueError):
    """A submitted value that no honest form could send (a choice that does not exist)."""


@dataclass(frozen=True)
class Choice:
    value: str
    html: Markup
    selected: bool = False


@dataclass(frozen=True)
class Prompt:
    """One row of a matching question: its field, its text, and the choice made."""

    field: str
    html: Markup
    selected: str = ""


@dataclass(frozen=True)
class LearnerQuestion:
    """What a learner's page receives for one question: text and choices, never the key."""

    number: int
    field: str
    type: QuestionType
    html: Markup
    choices: tuple[Choice, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    text: str = ""
    answered: bool = False


class QuestionKind(ABC):
    """The interface every question type implements."""

    name: ClassVar[QuestionType]
    auto_marked: ClassVar[bool] = True
    counts: ClassVar[bool] = True  # a description carries no marks and takes no answer

    def choice_count(self, question: ParsedQuestion) -> int:
        """How many items the learner's page shows in a (possibly shuffled) order."""
        return 0

    @abstractmethod
    def learner_view(
        self,
        question: ParsedQuestion,
        *,
        number: int,
        field: str,
        order: Sequence[int],
        answer: StoredAnswer,
    ) -> LearnerQuestion:
        """The question as a learner sees it, with their saved answer filled in."""

    def view(
        self, question: ParsedQuestion, number: int, field: str, **parts: Any
    ) -> LearnerQuestion:
        """The learner's view with the question's text rendered; `parts` are the type's own
        (choices, prompts, typed text, whether it is answered)."""
        html = question_html(question.text, question.format)
        return LearnerQuestion(number, field, self.name, html, **parts)

    @abstractmethod
    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        """A stored answer from the form, None when left blank; InvalidAnswer for forgeries."""

    @abstractmethod
    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        """Mark an answer; pure, so it is tested without a database."""

    @abstractmethod
    def right_answer(self, question: ParsedQuestion) -> str:
        """The right answer in words, for the review page when feedback is shown."""

    def describe_answer(self, question: ParsedQuestion, answer: StoredAnswer) -> str:
        """The learner's answer in words, for the review page."""
        if not answer:
            return "Not answered"
        return str(answer.get("text", ""))


QUESTION_KINDS: dict[str, QuestionKind] = {}


def register(kind: type[QuestionKind]) -> type[QuestionKind]:
    QUESTION_KINDS[kind.name] = kind()
    return kind


def kind_of(question: ParsedQuestion) -> QuestionKind:
    return QUESTION_KINDS[question.type]
