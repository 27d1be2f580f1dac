"""The parsed form of a question, whichever file format it came from.

Every format reads into these frozen values and GIFT writes them back, so two questions are
equal exactly when they would mark the same way. `as_json()` is the documented shape of
`lms gift check --json` and of what the database stores; `from_json()` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

QuestionType = Literal[
    "multichoice",
    "multiresponse",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
]
TextFormat = Literal["moodle", "html", "plain", "markdown"]

QUESTION_TYPES: tuple[QuestionType, ...] = (
    "multichoice",
    "multiresponse",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
)
TEXT_FORMATS: tuple[TextFormat, ...] = ("moodle", "html", "plain", "markdown")

# The text a missing-word question keeps where its answer block stood.
BLANK = "_____"


@dataclass(frozen=True)
class Answer:
    """A choice or accepted answer; `fraction` is a percentage from -100 to 100."""

    text: str
    fraction: float
    feedback: str | None = None


@dataclass(frozen=True)
class NumericalAnswer:
    """An accepted number: right when within `tolerance` of `value`."""

    value: float
    tolerance: float
    fraction: float
    feedback: str | None = None


@dataclass(frozen=True)
class Pair:
    """One matching pair: the prompt and the answer it goes with."""

    question: str
    answer: str


@dataclass(frozen=True)
class TrueFalse:
    correct: bool
    feedback_true: str | None = None
    feedback_false: str | None = None


@dataclass(frozen=True)
class ParsedQuestion:
    """One question as written; `line` (where it starts) takes no part in equality."""

    type: QuestionType
    text: str
    name: str | None = None
    format: TextFormat = "moodle"
    category: str | None = None
    general_feedback: str | None = None
    answers: tuple[Answer, ...] = ()
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[Pair, ...] = ()
    truefalse: TrueFalse | None = None
    line: int = field(default=0, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape: keys that do not apply to the type are left out."""
        data: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "text": self.text,
            "format": self.format,
            "category": self.category,
            "general_feedback": self.general_feedback,
        }
        if self.type in ("multichoice", "multiresponse", "shortanswer"):
            data["answers"] = [
                {"text": a.text, "fraction": _number(a.fraction), "feedback": a.feedback}
                for a in self.answers
            ]
        if self.type == "numerical":
            data["numerical"] = [
                {
                    "value": _number(n.value),
                    "tolerance": _number(n.tolerance),
                    "fraction": _number(n.fraction),
                    "feedback": n.feedback,
                }
                for n in self.numerical
            ]
        if self.type == "matching":
            data["pairs"] = [{"question": p.question, "answer": p.answer} for p in self.pairs]
        if self.type == "truefalse" and self.truefalse is not None:
            data["truefalse"] = {
                "correct": self.truefalse.correct,
                "feedback_true": self.truefalse.feedback_true,
                "feedback_false": self.truefalse.feedback_false,
            }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], line: int = 0) -> ParsedQuestion:
        """Read back what `as_json()` wrote."""
        truefalse = data.get("truefalse")
        return cls(
            type=cast(QuestionType, data["type"]),
            text=data["text"],
            name=data.get("name"),
            format=cast(TextFormat, data.get("format", "moodle")),
            category=data.get("category"),
            general_feedback=data.get("general_feedback"),
            answers=tuple(Answer(**a) for a in data.get("answers", ())),
            numerical=tuple(NumericalAnswer(**n) for n in data.get("numerical", ())),
            pairs=tuple(Pair(**p) for p in data.get("pairs", ())),
            truefalse=TrueFalse(**truefalse) if truefalse else None,
            line=line,
        )

    @property
    def auto_marked(self) -> bool:
        """Whether the platform marks it alone (essays wait for an assessor)."""
        return self.type not in ("essay", "description")


def _number(value: float) -> int | float:
    """Whole numbers print as integers in JSON (100, not 100.0)."""
    return int(value) if float(value).is_integer() else value
