"""The completion records' filters, as a GET form shared by the page and its exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from lms.cohorts.standing import Stage
from lms.forms import QueryForm
from lms.reports.records import OVERDUE, RecordFilter

# The filters, as named in the query string (and carried by page and export links).
FILTER_FIELDS = (
    "q",
    "cohort",
    "module",
    "status",
    "completed_from",
    "completed_to",
    "due_from",
    "due_to",
)
SELF_PACED_CHOICE = "self-paced"

STATUS_CHOICES = [
    SelectChoice("", "Any status"),
    *(SelectChoice(stage.value, stage.label) for stage in Stage),
    SelectChoice(OVERDUE, "Overdue"),
]


def _plausible_date(_form: Any, field: Any) -> None:
    if field.data and not date(1900, 1, 1) <= field.data <= date(2999, 12, 31):
        raise ValidationError("Enter a date in the years 1900 to 2999.")


def _date(label: str) -> DateField:
    return DateField(label, validators=[Optional(), _plausible_date])


def _not_before(field: Any, start: date | None) -> None:
    if field.data and start and field.data < start:
        raise ValidationError("The end date is before the start date.")


class RecordFilterForm(QueryForm):
    q = StringField(
        "Learner name, email or employee number", validators=[Optional(), Length(max=200)]
    )
    cohort = SelectField("Cohort", default="", validators=[Optional()])
    module = SelectField("Module", default="", validators=[Optional()])
    status = SelectField("Status", choices=STATUS_CHOICES, default="", validators=[Optional()])
    completed_from = _date("Completed from")
    completed_to = _date("Completed to (inclusive)")
    due_from = _date("Due from")
    due_to = _date("Due to (inclusive)")

    def offer(
        self, cohorts: list[tuple[int, str]], modules: list[tuple[str, str]], *, self_paced: bool
    ) -> None:
        """Set the cohorts and modules one may choose from; the self-paced learners are
        offered only to those who may see them."""
        extra = [SelectChoice(SELF_PACED_CHOICE, "Self-paced (no cohort)")] if self_paced else []
        self.cohort.choices = [
            SelectChoice("", "Any cohort"),
            *extra,
            *(SelectChoice(str(cohort_id), name) for cohort_id, name in cohorts),
        ]
        self.module.choices = [SelectChoice("", "Any module"), *(SelectChoice(*m) for m in modules)]

    def validate_completed_to(self, field: Any) -> None:
        _not_before(field, self.completed_from.data)

    def validate_due_to(self, field: Any) -> None:
        _not_before(field, self.due_from.data)

    def criteria(self) -> RecordFilter:
        """The validated filters."""
        cohort = self.cohort.data or ""
        return RecordFilter(
            cohort_id=int(cohort) if cohort.isdigit() else None,
            self_paced=cohort == SELF_PACED_CHOICE,
            module_code=self.module.data or None,
            status=self.status.data or None,
            completed_from=self.completed_from.data,
            completed_to=self.completed_to.data,
            due_from=self.due_from.data,
            due_to=self.due_to.data,
            search=(self.q.data or "").strip() or None,
        )

    def carried(self) -> dict[str, str]:
        """The filters that were sent, for page and export links."""
        sent = {name: (self[name].raw_data or [""])[0] for name in FILTER_FIELDS}
        return {name: value for name, value in sent.items() if value}
