"""Forms of the cohort pages: a cohort's details and due dates, enrolling one learner, moving
and withdrawing learners, and the CSV upload's confirmation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import CohortDetails, ModulePlan
from lms.content.catalogue import ModuleEntry
from lms.forms import Form

LAST_DUE_DAY = 366
# Dates outside these years overflow when turned into deadlines (the next local midnight).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
NOTE_LIMIT = 1000

_DAY = re.compile(r"(?:day\s*)?(\d{1,9})", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DueError(ValueError):
    """A due value that is neither a day of the cohort nor a date."""


@dataclass(frozen=True)
class Due:
    """A module's due date as typed: day N of the cohort, a calendar date, or neither."""

    day: int | None = None
    on: date | None = None


def parse_due(text: str) -> Due:
    """Read "day 3", "3" or "2027-02-01" (blank: no due date); raise DueError otherwise."""
    text = " ".join(text.split())
    if not text:
        return Due()
    if day := _DAY.fullmatch(text):
        number = int(day.group(1))
        if not 1 <= number <= LAST_DUE_DAY:
            raise DueError(f"due day must be 1–{LAST_DUE_DAY}")  # noqa: RUF001 (a range)
        return Due(day=number)
    if _ISO_DATE.fullmatch(text):
        try:
            return Due(on=date.fromisoformat(text))
        except ValueError:
            raise DueError(f"{text} is not a date") from None
    raise DueError("not a date: write day N (day 1 is the start date) or YYYY-MM-DD")


def due_text(day: int | None, on: date | None) -> str:
    """A stored due date as the form shows it."""
    if on is not None:
        return on.isoformat()
    return f"day {day}" if day is not None else ""


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _plausible_date(_form: Any, field: Any) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError("Enter a date in the years 1900 to 2999.")


def _people(label: str, people: Sequence[User], role: str) -> CheckboxListField:
    return CheckboxListField(
        label,
        choices=[SelectChoice(p.id, f"{p.full_name} ({p.email})") for p in people],
        coerce=int,
        invalid_choice_message=f"Choose active {role}s from the list.",
        invalid_value_message=f"Choose active {role}s from the list.",
    )


class CohortForm(Form):
    """A cohort's details; one include box and one due field per module of the programme."""

    name = StringField(
        "Name",
        validators=[DataRequired("Give the cohort a name."), Length(max=120)],
        description='For example "Vela Mobile sales, March intake".',
    )
    client = StringField(
        "Client account or line of business (optional)",
        validators=[Optional(), Length(max=120)],
    )
    start_date = DateField(
        "Start date",
        validators=[InputRequired("Enter the start date."), _plausible_date],
        description="Day 1 of the cohort.",
    )
    whole_programme = BooleanField(
        "Whole programme: include every module",
        description="Ticks every module below when you save.",
    )

    modules: Sequence[ModuleEntry] = ()

    @classmethod
    def build(
        cls,
        modules: Sequence[ModuleEntry],
        trainers: Sequence[User],
        assessors: Sequence[User],
        data: dict[str, Any] | None = None,
    ) -> CohortForm:
        """The form for these modules and these people to choose from, filled with `data`."""
        fields: dict[str, Any] = {
            "trainers": _people("Trainers", trainers, "trainer"),
            "assessors": _people("Assessors", assessors, "assessor"),
        }
        for module in modules:
            fields[include_name(module)] = BooleanField(f"Include {module.code} {module.title}")
            fields[due_name(module)] = StringField(
                f"{module.code} due", validators=[Length(max=40)]
            )
        # WTForms binds fields declared on a class: one made for this request's modules.
        form_class = type("CohortModulesForm", (cls,), {**fields, "modules": tuple(modules)})
        return cast(CohortForm, form_class(data=data or {}))

    def module_fields(self) -> list[tuple[ModuleEntry, Any, Any]]:
        """Each module with its include box and due field, in programme order."""
        return [(m, self[include_name(m)], self[due_name(m)]) for m in self.modules]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return self._check_modules() and valid

    def _check_modules(self) -> bool:
        start = None if self.start_date.errors else self.start_date.data
        chosen, valid = 0, True
        for module, include, due_field in self.module_fields():
            included = bool(include.data or self.whole_programme.data)
            chosen += included
            try:
                due = parse_due(due_field.data or "")
            except DueError as error:
                due_field.errors = [*due_field.errors, f"{module.code}: {error}."]
                valid = False
                continue
            problem = _due_problem(module, included, due, start)
            if problem:
                due_field.errors = [*due_field.errors, problem]
                valid = False
        if not chosen:
            self.form_errors.append("Choose at least one module, or the whole programme.")
            valid = False
        return valid

    def details(self) -> CohortDetails:
        """The validated form as the cohort services take it."""
        plans = []
        for module, include, due_field in self.module_fields():
            if include.data or self.whole_programme.data:
                due = parse_due(due_field.data or "")
                plans.append(ModulePlan(module.id, due_day=due.day, due_on=due.on))
        return CohortDetails(
            name=self.name.data or "",
            client=self.client.data or "",
            start_date=cast(date, self.start_date.data),
            modules=tuple(plans),
            trainer_ids=tuple(self["trainers"].data or ()),
            assessor_ids=tuple(self["assessors"].data or ()),
        )

    def place_error(self, message: str, field: str | None) -> None:
        """Show an error the services raised on the field it names."""
        if field in ("name", "client", "start_date", "trainers", "assessors"):
            self[field].errors = [*self[field].errors, message]
        else:
            self.form_errors.append(message)


def _due_problem(module: ModuleEntry, included: bool, due: Due, start: date | None) -> str | None:
    if due == Due():
        return None
    if not included:
        return f"{module.code}: not included; tick Include or clear the due date."
    if due.on is not None and not FIRST_DAY <= due.on <= LAST_DAY:
        return f"{module.code}: give a date in the years 1900 to 2999."
    # A day of the cohort cannot fall before its start; a date can.
    if due.on is not None and start is not None and due.on < start:
        return f"{module.code}: due {due.on.isoformat()}, before the start date."
    return None


def include_name(module: ModuleEntry) -> str:
    return f"include-{module.id}"


def due_name(module: ModuleEntry) -> str:
    return f"due-{module.id}"


def cohort_data(cohort: Cohort) -> dict[str, Any]:
    """A cohort's values as the form takes them, for editing."""
    data: dict[str, Any] = {
        "name": cohort.name,
        "client": cohort.client,
        "start_date": cohort.start_date,
        "trainers": [user.id for user in cohort.trainers],
        "assessors": [user.id for user in cohort.assessors],
    }
    for link in cohort.modules:
        data[f"include-{link.module_id}"] = True
        data[f"due-{link.module_id}"] = due_text(link.due_day, link.due_on)
    return data


class EnrolForm(Form):
    """One learner: an unknown email gets a new account and a welcome email."""

    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter the learner's email address."),
            Length(max=254),
            Email("Enter an email address such as name@example.com."),
        ],
    )
    first_name = StringField(
        "First name", validators=[DataRequired("Enter the first name."), Length(max=60)]
    )
    last_name = StringField(
        "Last name", validators=[DataRequired("Enter the last name."), Length(max=60)]
    )
    employee_number = StringField(
        "Employee number (optional)", validators=[Optional(), Length(max=40)]
    )


class MoveForm(Form):
    cohort = SelectField("Move to", coerce=int, validate_choice=True)
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=NOTE_LIMIT)],
        description="Kept with the learner's cohort history.",
    )

    @classmethod
    def offering(cls, cohorts: Sequence[Cohort], *, posted: bool) -> MoveForm:
        """The form offering these cohorts, filled from the request when it was posted."""
        form = cls() if posted else cls(formdata=None)
        form.cohort.choices = [SelectChoice(c.id, _cohort_label(c)) for c in cohorts]
        return form


def _cohort_label(cohort: Cohort) -> str:
    return f"{cohort.name} (starts {cohort.start_date.isoformat()})"


class WithdrawForm(Form):
    reason = TextAreaField(
        "Reason for withdrawing",
        validators=[
            DataRequired("Say why the learner is withdrawn."),
            Length(max=NOTE_LIMIT, message=f"Keep the reason to {NOTE_LIMIT} characters."),
        ],
        description="Kept on record with the learner's history; their work stays too.",
    )


class ConfirmImportForm(Form):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
