"""The public verification form: one code, checked for shape before anything is looked up."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from lms.certificates.codes import normalise_code
from lms.forms import QueryForm

CODE_EXAMPLE = "7K3M-QX9T-2BHD"


def _well_formed(_form: object, field: StringField) -> None:
    if normalise_code(field.data or "") is None:
        raise ValidationError(f"Enter a code of 12 letters and digits, such as {CODE_EXAMPLE}.")


class VerifyForm(QueryForm):
    code = StringField(
        "Certificate code",
        validators=[
            InputRequired("Enter the code printed on the certificate."),
            _well_formed,
        ],
        description=f"As printed under the QR code, for example {CODE_EXAMPLE}. "
        "Capitals, spaces and dashes do not matter.",
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )

    def canonical_code(self) -> str:
        """The code as XXXX-XXXX-XXXX; call only after `validate()` passed."""
        code = normalise_code(self.code.data or "")
        assert code is not None, "validate() first"
        return code
