"""The service-level calculator's figures, read from the query string."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wtforms import DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation
from wtforms.widgets import TextInput

from lms.calculators.planning import Question
from lms.forms import QueryForm


def _blank(valuelist: list[Any]) -> bool:
    return not valuelist or (isinstance(valuelist[0], str) and not valuelist[0].strip())


class WholeNumberField(IntegerField):
    # A text box, not type=number, so whatever was typed comes back for the learner to fix.
    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if _blank(valuelist):
            return  # left empty: for InputRequired or Optional to judge
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a whole number, such as 240.") from None


class NumberField(DecimalField):
    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if _blank(valuelist):
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a number, such as 80 or 85.5.") from None
        value = getattr(self, "data", None)
        if isinstance(value, Decimal) and not value.is_finite():
            self.data = None  # "NaN" and "Infinity" are numbers to Decimal, not to a learner
            raise ValueError("Enter a number, such as 80 or 85.5.")


def _readable(_form: object, field: IntegerField | DecimalField) -> None:
    # Text that is not a number already has its message; a range check would only repeat it.
    if field.process_errors:
        raise StopValidation()


def _whole(label: str, low: int, high: int, unit: str) -> WholeNumberField:
    return WholeNumberField(
        label,
        validators=[
            _readable,
            InputRequired(f"Enter the {label.lower()}."),
            NumberRange(low, high, f"Enter a whole number from {low:,} to {high:,} {unit}."),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ServiceLevelForm(QueryForm):
    calls = _whole("Calls per interval", 1, 100_000, "calls")
    handle_seconds = _whole("Average handle time", 1, 7_200, "seconds")
    interval_minutes = _whole("Interval length", 5, 1_440, "minutes")
    target_percent = NumberField(
        "Target service level",
        places=None,
        validators=[
            _readable,
            InputRequired("Enter the target service level."),
            NumberRange(1, 99.9, "Enter a percentage from 1 to 99.9."),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    target_seconds = _whole("Answered within", 1, 3_600, "seconds")
    shrinkage_percent = NumberField(
        "Shrinkage (optional)",
        places=None,
        validators=[_readable, Optional(), NumberRange(0, 80, "Enter a percentage from 0 to 80.")],
        description="The share of paid time agents are not available for calls: breaks, "
        "training, meetings, absence. Leave it empty to skip.",
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )

    def question(self) -> Question:
        """The figures as the planner takes them; call only after `validate()` passed."""
        shrinkage: Any = self.shrinkage_percent.data
        target: Any = self.target_percent.data
        return Question(
            calls=self.calls.data,
            handle_seconds=self.handle_seconds.data,
            interval_minutes=self.interval_minutes.data,
            target_percent=float(target),
            target_seconds=self.target_seconds.data,
            shrinkage_percent=None if shrinkage is None else float(shrinkage),
        )
