"""The base every form of the platform derives from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS
from wtforms import SelectMultipleField

# NUL and other control characters (C0 and C1) have no place in anything a person types, and
# PostgreSQL refuses NUL outright; tab and line breaks stay allowed for multi-line text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# The status of a page shown again because its form was refused (Unprocessable Content).
FORM_REJECTED = 422

_FROM_REQUEST = object()


class Form(FlaskForm):
    """A FlaskForm (so CSRF-protected) that also rejects control characters in every field."""

    def __init__(self, formdata: Any = _FROM_REQUEST, **kwargs: Any) -> None:
        if formdata is _FROM_REQUEST:
            # Only the posted form fields. Flask-WTF would also read uploads and a JSON body,
            # handing files, numbers and lists to validators that expect text.
            formdata = request.form if request.method in SUBMIT_METHODS else None
        super().__init__(formdata, **kwargs)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if len(field.raw_data or []) > 1 and not isinstance(field, SelectMultipleField):
                field.errors = [*field.errors, "This was sent more than once."]
                valid = False
            data: Sequence[Any] = field.data if isinstance(field.data, list) else [field.data]
            # The text as sent, too: an IntegerField's int or a BooleanField's bool hides it
            # (int() even skips a vertical tab, form feed or NEL around the digits).
            values = [*data, *(field.raw_data or [])]
            if any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for v in values):
                field.errors = [*field.errors, "This contains characters that are not allowed."]
                valid = False
        return valid


class QueryForm(Form):
    """A GET form for filters: no CSRF token (it changes nothing), values from the query string."""

    class Meta:
        csrf = False
