"""Forms for signing in and managing one's own password."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.auth.passwords import password_problem
from lms.forms import Form


def _new_password_policy(_form: Any, field: Any) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """The 'new password' and 'confirm' pair every password form uses."""
    return (
        PasswordField(
            "New password",
            validators=[DataRequired("Choose a new password."), _new_password_policy],
            description="At least 10 characters; a short sentence is easy to remember.",
        ),
        PasswordField(
            "Repeat the new password",
            validators=[
                DataRequired("Repeat the new password."),
                EqualTo("new_password", "The two passwords do not match."),
            ],
        ),
    )


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=1024)]
    )
    next = HiddenField(validators=[Length(max=2048)])


class PasswordChangeForm(Form):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=1024)],
    )
    new_password, confirm_password = new_password_fields()


class PasswordResetRequestForm(Form):
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter your email."),
            Length(max=254),
            Email("Enter an email address such as name@example.com."),
        ],
    )


class PasswordResetForm(Form):
    new_password, confirm_password = new_password_fields()
