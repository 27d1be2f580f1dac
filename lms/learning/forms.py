"""The one form a learner sends from a lesson: "Mark as complete", with the policy tick box."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from lms.database import MAX_ROW_ID
from lms.forms import Form

# What the tick box sends. WTForms' BooleanField reads anything but "" and "false" as ticked,
# so "0", "off" or "no" would otherwise record an acknowledgement nobody gave.
TICKED = "y"


class CompleteLessonForm(Form):
    """Names the revision the learner read; a policy lesson also needs its statement ticked."""

    revision_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ROW_ID)])
    acknowledge = BooleanField()

    def __init__(self, *args: Any, statement: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statement = statement
        if statement:
            self.acknowledge.label.text = statement

    def validate_acknowledge(self, field: BooleanField) -> None:
        if field.raw_data and field.raw_data[0] != TICKED:
            field.data = False
        if self.statement and not field.data:
            field.errors.append("Tick the box to confirm the statement before completing.")
