"""What the front matter of `module.md` and of each lesson file may and must contain.

Strict types: a value YAML read as a number or a boolean is not quietly turned into text, and
a key the schema does not know is an error rather than a typo silently ignored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=30)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Minutes = Annotated[int, Field(ge=1, le=600)]
Order = Annotated[int, Field(ge=1, le=999)]
CriterionNumber = Annotated[int, Field(ge=1, le=12)]  # a criterion's position in its outcome
# Which assessment criteria something teaches or tests: outcome code -> criterion numbers.
CriteriaMap = dict[Code, Annotated[list[CriterionNumber], Field(min_length=1, max_length=12)]]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class OutcomeMeta(_Strict):
    """A learning outcome: a code, one sentence, and how an assessor will judge it."""

    code: Code
    statement: Text
    criteria: Annotated[list[Text], Field(min_length=1, max_length=12)]


class ModuleMeta(_Strict):
    """The front matter of `module.md`."""

    title: Title
    code: Annotated[Code, StringConstraints(max_length=20)]
    summary: Text
    estimated_minutes: Minutes
    reviewed: date
    order: Order
    lessons_in_order: bool = False
    # Months a module certificate stays valid (compliance modules expire); none: it never does.
    certificate_valid_months: Annotated[int, Field(ge=1, le=120)] | None = None
    outcomes: Annotated[list[OutcomeMeta], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def _outcome_codes_differ(self) -> ModuleMeta:
        codes = [outcome.code for outcome in self.outcomes]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"outcome codes must differ; repeated: {', '.join(repeated)}")
        return self


class LessonMeta(_Strict):
    """The front matter of a lesson file."""

    title: Title
    order: Order
    estimated_minutes: Minutes
    acknowledge: bool = False
    acknowledge_statement: Text | None = None
    outcomes: list[Code] = Field(default_factory=list)
    criteria: CriteriaMap = Field(default_factory=dict)

    @property
    def outcome_codes(self) -> list[str]:
        """The outcomes the lesson serves: those listed, and those it teaches criteria of."""
        return list(dict.fromkeys([*self.outcomes, *self.criteria]))

    @model_validator(mode="after")
    def _statement_needs_acknowledge(self) -> LessonMeta:
        if self.acknowledge_statement and not self.acknowledge:
            raise ValueError("`acknowledge_statement` is given but `acknowledge` is not true")
        return self

    def statement(self) -> str | None:
        """What the learner confirms, when the lesson must be acknowledged."""
        if not self.acknowledge:
            return None
        return self.acknowledge_statement or f"I have read and understood “{self.title}”."
