"""Forms of the certificate register: its filters, the ZIP download and revocation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.certificates.codes import normalise_code
from lms.certificates.models import CertificateStatus
from lms.certificates.register import RegisterFilter
from lms.certificates.revocation import REASON_LIMIT
from lms.forms import Form, QueryForm

# The filters, as named in the query string and carried as hidden fields by the ZIP form.
FILTER_FIELDS = (
    "status",
    "subject",
    "cohort",
    "q",
    "issued_from",
    "issued_to",
    "expires_from",
    "expires_to",
)

# One request may name at most this many certificates by code (the whole register is `all=1`).
CODES_LIMIT = 5000


def _plausible_date(_form: Any, field: Any) -> None:
    # The first and last days Python knows overflow when turned into UTC times.
    if field.data and not date(1900, 1, 1) <= field.data <= date(2999, 12, 31):
        raise ValidationError("Enter a date in the years 1900 to 2999.")


def _date(label: str) -> DateField:
    return DateField(label, validators=[Optional(), _plausible_date])


class RegisterFilterForm(QueryForm):
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            *(SelectChoice(s.value, s.label) for s in CertificateStatus),
        ],
        default="",
        validators=[Optional()],
    )
    subject = SelectField(
        "Subject", choices=[SelectChoice("", "Any subject")], default="", validators=[Optional()]
    )
    cohort = SelectField(
        "Cohort", choices=[SelectChoice("", "Any cohort")], default="", validators=[Optional()]
    )
    q = StringField("Learner name or email", validators=[Optional(), Length(max=200)])
    issued_from = _date("Issued from")
    issued_to = _date("Issued to (inclusive)")
    expires_from = _date("Expires from")
    expires_to = _date("Expires to (inclusive)")

    def validate_issued_to(self, field: Any) -> None:
        _not_before(field, self.issued_from.data)

    def validate_expires_to(self, field: Any) -> None:
        _not_before(field, self.expires_from.data)

    def criteria(self, zone: tzinfo) -> RegisterFilter:
        """The validated filters; dates are whole days in `zone`."""
        return RegisterFilter(
            status=CertificateStatus(self.status.data) if self.status.data else None,
            subject=self.subject.data or None,
            cohort_id=int(self.cohort.data) if self.cohort.data else None,
            issued_from=_day_start(self.issued_from.data, zone),
            issued_before=_day_start(self.issued_to.data, zone, after=True),
            expires_from=_day_start(self.expires_from.data, zone),
            expires_before=_day_start(self.expires_to.data, zone, after=True),
            search=(self.q.data or "").strip() or None,
        )

    def carried(self) -> dict[str, str]:
        """The filters as they were sent, for page links and the ZIP form's hidden fields."""
        return {name: (self[name].raw_data or [""])[0] for name in FILTER_FIELDS}


class ZipForm(Form):
    """Download stored PDFs: the ticked codes, or with `all` every one the filters match."""

    code = SelectMultipleField("Certificates", validate_choice=False)
    all = BooleanField("Every certificate that matches the filters")

    def validate_code(self, field: Any) -> None:
        if len(field.data or []) > CODES_LIMIT:
            raise ValidationError(
                f"Choose at most {CODES_LIMIT} certificates, or download all that match."
            )
        wrong = [code for code in field.data or [] if normalise_code(code) is None]
        if wrong:
            raise ValidationError(f"{wrong[0][:20]!r} is not a certificate code.")


class RevokeForm(Form):
    reason = TextAreaField(
        "Reason for revoking",
        validators=[
            DataRequired("Give the reason for revoking this certificate."),
            Length(max=REASON_LIMIT, message=f"Keep the reason to {REASON_LIMIT} characters."),
        ],
        description="Seen by HR and administrators only. The verification page says that the "
        "certificate was revoked and when, never why.",
    )


def _not_before(field: Any, start: date | None) -> None:
    if field.data and start and field.data < start:
        raise ValidationError("The end date is before the start date.")


def _day_start(day: date | None, zone: tzinfo, *, after: bool = False) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if after else day, time(), zone)
