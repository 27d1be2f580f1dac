"""The one form a learner sends from a lesson: "Mark as complete", with the policy tick box."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from lms.forms import Form


class CompleteLessonForm(Form):
    """Names the revision the learner read; a policy lesson also needs its statement ticked."""

    revision_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    acknowledge = BooleanField()

    def __init__(self, *args: Any, statement: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statement = statement
        if statement:
            self.acknowledge.label.text = statement

    def validate_acknowledge(self, field: BooleanField) -> None:
        if self.statement and not field.data:
            field.errors.append("Tick the box to confirm the statement before completing.")
