"""What a quiz's settings file (`<quiz-slug>.yml`) may and must contain.

Strict, like lesson front matter: unknown keys, quoted numbers and YAML 1.1 surprises are
errors with their line, never quietly read as something else.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from lms.content.schema import Code, CriteriaMap, Text, Title

QuestionName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Guide = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Percent = Annotated[int, Field(ge=0, le=100)]


Kind = Literal["knowledge-check", "summative"]
Layout = Literal["one-per-page", "all-on-one-page"]
FeedbackTiming = Literal["after-each-attempt", "after-last-attempt"]
GradingRule = Literal["highest", "last"]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class OutcomeMap(_Strict):
    """Which outcomes a question serves: by question name, or for a whole category."""

    questions: dict[QuestionName, list[Code]] = Field(default_factory=dict)
    categories: dict[QuestionName, list[Code]] = Field(default_factory=dict)


class FeedbackBand(_Strict):
    """Overall feedback for a score of at least `min` percent."""

    min: Percent
    text: Text


class QuizSettings(_Strict):
    """The settings file beside a quiz's GIFT file."""

    title: Title
    module: Annotated[Code, StringConstraints(max_length=20)]
    kind: Kind
    pass_mark: Percent
    attempts: Annotated[int, Field(ge=1, le=100)] | None = None
    time_limit: Annotated[int, Field(ge=1, le=600)] | None = None  # minutes
    layout: Layout = "one-per-page"
    shuffle_questions: bool = False
    shuffle_answers: bool = True
    draw: Annotated[int, Field(ge=1, le=1000)] | None = None
    feedback: FeedbackTiming = "after-each-attempt"
    grading: GradingRule = "highest"
    outcomes: OutcomeMap = Field(default_factory=OutcomeMap)
    # question name -> the assessment criteria it tests; also ties it to those outcomes
    criteria: dict[QuestionName, CriteriaMap] = Field(default_factory=dict)
    marking_guides: dict[QuestionName, Guide] = Field(default_factory=dict)
    overall_feedback: list[FeedbackBand] = Field(default_factory=list)
    introduction: Text | None = None

    @model_validator(mode="after")
    def _bands_differ(self) -> QuizSettings:
        floors = [band.min for band in self.overall_feedback]
        if len(set(floors)) != len(floors):
            raise ValueError("each `overall_feedback` band needs its own `min`")
        return self
