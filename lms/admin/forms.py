"""Forms for managing users and reading the audit log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

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

from lms.auth.models import User
from lms.auth.passwords import password_problem
from lms.auth.roles import Role
from lms.content.models import Module
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


class AssessorsForm(Form):
    """Which assessors mark each module: one list of checkboxes per module, named by its id."""

    @classmethod
    def for_modules(
        cls,
        modules: Sequence[Module],
        assessors: Sequence[User],
        assigned: Mapping[int, Sequence[User]],
    ) -> AssessorsForm:
        """The form for these modules, offering these assessors, ticked as `assigned` says."""
        choices = [SelectChoice(user.id, f"{user.full_name} ({user.email})") for user in assessors]
        fields = {
            _field_name(module): CheckboxListField(
                f"{module.code} {module.title}",
                choices=choices,
                coerce=int,
                invalid_choice_message="Only people holding the assessor role can be chosen "
                "(not user %(value)s).",
                invalid_value_message="Choose people from the list.",
            )
            for module in modules
        }
        ticked = {_field_name(m): [user.id for user in assigned.get(m.id, [])] for m in modules}
        # WTForms binds fields declared on a class: one made for this request's modules.
        form_class = type("ModuleAssessorsForm", (cls,), fields)
        return cast(AssessorsForm, form_class(data=ticked))

    def chosen(self, module: Module, assessors: Sequence[User]) -> list[User]:
        """The assessors ticked for `module` (after validation: every id is one offered)."""
        ids = set(self[_field_name(module)].data or [])
        return [user for user in assessors if user.id in ids]


def _field_name(module: Module) -> str:
    return f"module-{module.id}"
