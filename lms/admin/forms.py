"""Forms for managing users and reading the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from lms.auth.passwords import password_problem
from lms.auth.roles import Role
from lms.forms import Form, QueryForm

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _optional_password_policy(_form: Any, field: Any) -> None:
    if field.data:
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class UserForm(Form):
    full_name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=120)]
    )
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter an email address."),
            Length(max=254),
            Email("Enter an email address such as name@example.com."),
        ],
    )
    roles = CheckboxListField(
        "Roles",
        choices=ROLE_CHOICES,
        validators=[DataRequired("Give the user at least one role.")],
    )

    def selected_roles(self) -> list[Role]:
        return [Role(value) for value in self.roles.data or []]


class NewUserForm(UserForm):
    password = PasswordField(
        "Initial password (optional)",
        validators=[Optional(), _optional_password_policy],
        description="Leave empty to email the person a link to choose their own password.",
    )


class UserSearchForm(QueryForm):
    q = StringField("Name or email", validators=[Optional(), Length(max=254)])
    role = SelectField(
        "Role", choices=[SelectChoice("", "Any role"), *ROLE_CHOICES], validators=[Optional()]
    )


def _plausible_date(_form: Any, field: Any) -> None:
    # The first and last days Python knows overflow when the filter turns them into UTC times.
    if field.data and not date(1900, 1, 1) <= field.data <= date(2999, 12, 31):
        raise ValidationError("Enter a date in the years 1900 to 2999.")


class AuditFilterForm(QueryForm):
    action = StringField("Action", validators=[Optional(), Length(max=64)])
    actor = StringField("Who (email contains)", validators=[Optional(), Length(max=254)])
    since = DateField("From", validators=[Optional(), _plausible_date])
    until = DateField("To (inclusive)", validators=[Optional(), _plausible_date])

    def validate_until(self, field: Any) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")


class ConfirmForm(Form):
    """A button that changes something: only its CSRF token is checked."""
