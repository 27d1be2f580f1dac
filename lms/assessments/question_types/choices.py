"""Questions answered by choosing: multiple choice, multiple response, true/false, matching."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Sequence

from markupsafe import Markup

from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.grading import Grade
from lms.assessments.question_types.base import (
    Choice,
    FormValues,
    InvalidAnswer,
    LearnerQuestion,
    Prompt,
    QuestionKind,
    StoredAnswer,
    register,
)
from lms.assessments.text import question_html

_POSITION = re.compile(r"[1-9][0-9]{0,5}")


def _choice_index(value: str, order: Sequence[int]) -> int:
    """The question's own index for a shown position (1-based), which is what forms send."""
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not _POSITION.fullmatch(value) or not 1 <= int(value) <= len(order):
        raise InvalidAnswer("the answer sent is not one of the choices")
    return order[int(value) - 1]


class _AnswerList(QuestionKind):
    """A question whose choices are its answers, shown in the attempt's stored order."""

    @abstractmethod
    def chosen(self, answer: StoredAnswer) -> set[int]:
        """The question's own indexes of the answers chosen."""

    def choice_count(self, question: ParsedQuestion) -> int:
        return len(question.answers)

    def learner_view(
        self,
        question: ParsedQuestion,
        *,
        number: int,
        field: str,
        order: Sequence[int],
        answer: StoredAnswer,
    ) -> LearnerQuestion:
        chosen = self.chosen(answer)
        choices = tuple(
            Choice(
                str(shown),
                question_html(question.answers[index].text, question.format),
                index in chosen,
            )
            for shown, index in enumerate(order, start=1)
        )
        return self.view(
            question,
            number,
            field,
            choices=choices,
            answered=bool(chosen),
        )


@register
class MultipleChoice(_AnswerList):
    name = "multichoice"

    def chosen(self, answer: StoredAnswer) -> set[int]:
        return {answer["choice"]} if answer else set()

    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        given = values(field)
        if not given or given == [""]:
            return None
        if len(given) > 1:
            raise InvalidAnswer("choose only one answer")
        return {"choice": _choice_index(given[0], order)}

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer:
            return Grade.unanswered(max_points)
        chosen = question.answers[answer["choice"]]
        return Grade.from_fraction(chosen.fraction, max_points, (chosen.feedback or "",))

    def right_answer(self, question: ParsedQuestion) -> str:
        best = max(answer.fraction for answer in question.answers)
        return " / ".join(a.text for a in question.answers if a.fraction == best)

    def describe_answer(self, question: ParsedQuestion, answer: StoredAnswer) -> str:
        if not answer:
            return "Not answered"
        return question.answers[answer["choice"]].text


@register
class MultipleResponse(_AnswerList):
    name = "multiresponse"

    def chosen(self, answer: StoredAnswer) -> set[int]:
        return set(answer["choices"]) if answer else set()

    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        given = [value for value in values(field) if value != ""]
        if not given:
            return None
        chosen = {_choice_index(value, order) for value in given}
        return {"choices": sorted(chosen)}

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer:
            return Grade.unanswered(max_points)
        chosen = [question.answers[index] for index in answer["choices"]]
        fraction = sum(a.fraction for a in chosen)
        return Grade.from_fraction(fraction, max_points, tuple(a.feedback or "" for a in chosen))

    def right_answer(self, question: ParsedQuestion) -> str:
        return " + ".join(a.text for a in question.answers if a.fraction > 0)

    def describe_answer(self, question: ParsedQuestion, answer: StoredAnswer) -> str:
        if not answer:
            return "Not answered"
        return " + ".join(question.answers[index].text for index in answer["choices"])


@register
class TrueOrFalse(QuestionKind):
    name = "truefalse"

    def learner_view(
        self,
        question: ParsedQuestion,
        *,
        number: int,
        field: str,
        order: Sequence[int],
        answer: StoredAnswer,
    ) -> LearnerQuestion:
        value = (answer or {}).get("value")
        choices = (
            Choice("true", Markup("True"), value is True),
            Choice("false", Markup("False"), value is False),
        )
        return self.view(
            question,
            number,
            field,
            choices=choices,
            answered=value is not None,
        )

    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        given = values(field)
        if not given or given == [""]:
            return None
        if len(given) > 1 or given[0] not in ("true", "false"):
            raise InvalidAnswer("the answer must be True or False")
        return {"value": given[0] == "true"}

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer or question.truefalse is None:
            return Grade.unanswered(max_points)
        key = question.truefalse
        feedback = key.feedback_true if answer["value"] else key.feedback_false
        fraction = 100.0 if answer["value"] is key.correct else 0.0
        return Grade.from_fraction(fraction, max_points, (feedback or "",))

    def right_answer(self, question: ParsedQuestion) -> str:
        return "True" if question.truefalse and question.truefalse.correct else "False"

    def describe_answer(self, question: ParsedQuestion, answer: StoredAnswer) -> str:
        if not answer:
            return "Not answered"
        return "True" if answer["value"] else "False"


def matching_options(question: ParsedQuestion) -> list[str]:
    """The distinct answers a matching question offers, in the order written."""
    return list(dict.fromkeys(pair.answer for pair in question.pairs))


def _prompts(question: ParsedQuestion) -> list[int]:
    """Pairs with a question; a pair without one only adds a wrong answer to choose from."""
    return [index for index, pair in enumerate(question.pairs) if pair.question]


@register
class Matching(QuestionKind):
    name = "matching"

    def choice_count(self, question: ParsedQuestion) -> int:
        return len(matching_options(question))

    def learner_view(
        self,
        question: ParsedQuestion,
        *,
        number: int,
        field: str,
        order: Sequence[int],
        answer: StoredAnswer,
    ) -> LearnerQuestion:
        options = matching_options(question)
        chosen = (answer or {}).get("matches", {})
        shown_position = {index: shown for shown, index in enumerate(order, start=1)}
        prompts = tuple(
            Prompt(
                f"{field}-{index}",
                question_html(question.pairs[index].question, question.format),
                str(shown_position[chosen[str(index)]]) if str(index) in chosen else "",
            )
            for index in _prompts(question)
        )
        choices = tuple(
            Choice(str(shown), question_html(options[index], question.format))
            for shown, index in enumerate(order, start=1)
        )
        return self.view(
            question,
            number,
            field,
            choices=choices,
            prompts=prompts,
            answered=bool(chosen),
        )

    def read_answer(
        self, values: FormValues, field: str, question: ParsedQuestion, order: Sequence[int]
    ) -> StoredAnswer:
        matches: dict[str, int] = {}
        for index in _prompts(question):
            given = values(f"{field}-{index}")
            if len(given) > 1:
                raise InvalidAnswer("choose only one answer in each row")
            if given and given[0]:
                matches[str(index)] = _choice_index(given[0], order)
        return {"matches": matches} if matches else None

    def grade(self, question: ParsedQuestion, answer: StoredAnswer, max_points: float) -> Grade:
        if not answer:
            return Grade.unanswered(max_points)
        options = matching_options(question)
        prompts = _prompts(question)
        right = sum(
            1
            for index in prompts
            if str(index) in answer["matches"]
            and options[answer["matches"][str(index)]] == question.pairs[index].answer
        )
        return Grade.from_fraction(100 * right / len(prompts), max_points)

    def right_answer(self, question: ParsedQuestion) -> str:
        return "; ".join(f"{p.question} → {p.answer}" for p in question.pairs if p.question)

    def describe_answer(self, question: ParsedQuestion, answer: StoredAnswer) -> str:
        if not answer:
            return "Not answered"
        options = matching_options(question)
        return "; ".join(
            f"{question.pairs[int(index)].question} → {options[choice]}"
            for index, choice in sorted(answer["matches"].items(), key=lambda kv: int(kv[0]))
        )
