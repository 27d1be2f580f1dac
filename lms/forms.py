"""The base every form of the platform derives from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm

# NUL and other control characters have no place in anything a person types, and PostgreSQL
# refuses NUL outright; tab and line breaks stay allowed for multi-line text.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Form(FlaskForm):
    """A FlaskForm (so CSRF-protected) that also rejects control characters in every field."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            values: Sequence[Any] = field.data if isinstance(field.data, list) else [field.data]
            if any(isinstance(v, str) and _CONTROL_CHARACTERS.search(v) for v in values):
                field.errors = [*field.errors, "This contains characters that are not allowed."]
                valid = False
        return valid


class QueryForm(Form):
    """A GET form for filters: no CSRF token (it changes nothing), values from the query string."""

    class Meta:
        csrf = False
