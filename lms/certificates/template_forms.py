"""The certificate template form: four lines of wording and an optional logo.

The logo is checked by what the file is, not by its name: Pillow must recognise it as PNG or
JPEG, read it to the end, and find it no larger than 2,000 pixels a side. The form only checks;
`template_settings.save_template` writes.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import BooleanField, FileField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from lms.certificates.template_settings import Logo, Wording
from lms.forms import Form

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 2000
# MPO is the JPEG some cameras write (a JPEG with a second picture appended).
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg"}
# How each format ends. WeasyPrint tells Pillow, process-wide, to accept truncated images, so
# `load()` alone would let a cut-off upload through once any PDF has been rendered.
END_MARKERS = {"PNG": b"IEND\xaeB`\x82", "JPEG": b"\xff\xd9", "MPO": b"\xff\xd9"}


def _required(what: str, limit: int) -> list[object]:
    return [InputRequired(message=f"Enter the {what}."), Length(max=limit)]


class TemplateForm(Form):
    heading = StringField(
        "Heading", validators=_required("heading", 120), description="Up to 120 characters."
    )
    statement = TextAreaField(
        "Statement",
        validators=_required("statement", 400),
        description="Printed between the learner's name and the subject. Up to 400 characters.",
    )
    signatory = StringField(
        "Signatory",
        validators=_required("signatory", 200),
        description="Whose authority the certificate carries, e.g. Head of Training.",
    )
    footer = TextAreaField(
        "Footer",
        validators=_required("footer", 400),
        description="Printed above the verification address. Up to 400 characters.",
    )
    logo = FileField(
        "Logo (optional)",
        description="PNG or JPEG, up to 512 KB and 2,000 pixels a side. Leave empty to keep "
        "the current logo.",
    )
    remove_logo = BooleanField("Remove the uploaded logo and use the platform's own")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.logo_upload: Logo | None = None

    def validate_with_upload(self, files: MultiDict[str, FileStorage]) -> bool:
        """Validate the wording, then the uploaded logo (kept in `logo_upload` when good)."""
        valid = self.validate()
        uploads = [u for u in files.getlist(self.logo.name) if u.filename or u.content_length]
        if len(uploads) > 1:
            self.logo.errors = ["Upload one logo only."]
            return False
        if not uploads:
            return valid
        if self.remove_logo.data:
            self.logo.errors = ["Either upload a new logo or remove the logo, not both."]
            return False
        logo, problem = read_logo(uploads[0].stream.read(LOGO_MAX_BYTES + 1))
        if problem:
            self.logo.errors = [problem]
            return False
        self.logo_upload = logo
        return valid

    def wording(self) -> Wording:
        return Wording(
            heading=self.heading.data.strip(),
            statement=self.statement.data.strip(),
            signatory=self.signatory.data.strip(),
            footer=self.footer.data.strip(),
        )


def read_logo(data: bytes) -> tuple[Logo | None, str]:
    """The logo if `data` is a PNG or JPEG within the limits, else a message saying why not."""
    if not data:
        return None, "The file is empty."
    if len(data) > LOGO_MAX_BYTES:
        return None, "The logo must be 512 KB or smaller."
    try:
        with warnings.catch_warnings():
            # Pillow warns (then refuses) past its pixel limit; refuse every such file here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in LOGO_TYPES:
                    return None, "The logo must be a PNG or JPEG image."
                if max(width, height) > LOGO_MAX_SIDE:
                    return None, f"The logo is {width} by {height} pixels; at most 2,000 a side."
                if END_MARKERS[kind] not in data[-4096:]:
                    return None, "The file is cut short: upload the whole image."
                image.load()  # decodes it whole: a corrupt file fails here
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        return None, "The file is not a PNG or JPEG image that can be read."
    return Logo(data=data, mime=LOGO_TYPES[kind]), ""
