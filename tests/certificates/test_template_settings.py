"""The certificate template settings: who may edit, saving with its audit event, logos refused
by what they are, a new logo in the next certificate (and not in the last), and previews."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates import storage
from lms.certificates.models import CertificateTemplate
from lms.certificates.template_settings import SPECIMEN_CODE, SPECIMEN_LEARNER
from lms.extensions import db
from tests.certificates.certificate_steps import certified
from tests.conftest import UserFactory, csrf_token
from tests.marking.marking_steps import as_user, new_learner
from tests.pdf_checks import pdftotext
from tests.quiz_files import QuizWorld

PAGE = "/certificates/template"
WORDING = {
    "heading": "Certificate of Achievement",
    "statement": "has met every outcome of",
    "signatory": "Training Manager",
    "footer": "Scan the code to check this certificate.",
}


def image(kind: str, size: tuple[int, int] = (64, 64), *, noise: bool = False) -> bytes:
    picture = Image.new("RGB", size, "#08467f")
    if noise:
        picture = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    picture.save(out, kind)
    return out.getvalue()


@pytest.fixture
def trainer(app_context: None, make_user: UserFactory) -> User:
    user = db.session.get(User, make_user(Role.TRAINER, full_name="Lindiwe Khumalo").id)
    assert user is not None
    return user


def post(
    client: FlaskClient, path: str = PAGE, logo: tuple[bytes, str] | None = None, **fields: Any
) -> Any:
    data: dict[str, Any] = {"csrf_token": csrf_token(client, PAGE), **WORDING, **fields}
    if logo is not None:
        data["logo"] = FileStorage(io.BytesIO(logo[0]), logo[1])
    # Encoded here, in memory: the test client spools bodies over 500 KB to a temporary file
    # that it never closes.
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def events() -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "certificate-template.updated")
    query = query.order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def saved() -> CertificateTemplate | None:
    db.session.expire_all()
    return db.session.get(CertificateTemplate, 1)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.TRAINER, 200), (Role.ADMIN, 200), (Role.HR, 403), (Role.LEARNER, 403)],
)
def test_trainers_and_administrators_edit_the_template(
    app: Flask, app_context: None, make_user: UserFactory, role: Role, status: int
) -> None:
    """The settings page and its saved preview are for trainers and administrators only."""
    client = as_user(app, make_user(role))

    assert client.get(PAGE).status_code == status
    assert client.get(f"{PAGE}/preview.pdf").status_code == status


def test_saving_changes_the_template_with_one_audit_event(app: Flask, trainer: User) -> None:
    """The wording is saved to the one template row and the change is audited."""
    client = as_user(app, trainer)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Certificates already issued do not change" in page

    response = post(client)

    assert response.status_code == 303
    template = saved()
    assert template is not None
    assert (template.heading, template.statement) == (WORDING["heading"], WORDING["statement"])
    assert (template.signatory, template.footer) == (WORDING["signatory"], WORDING["footer"])
    assert template.updated_by_id == trainer.id
    [event] = events()
    assert event.actor_id == trainer.id
    assert event.details == {"changed": list(WORDING), "logo": "kept"}
    assert WORDING["heading"] in client.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ((b"this is only text\n", "logo.png"), "not a PNG or JPEG image"),
        ((image("GIF"), "logo.gif"), "must be a PNG or JPEG"),
        ((image("GIF"), "renamed.png"), "must be a PNG or JPEG"),
        ((image("PNG", (2001, 10)), "wide.png"), "2001 by 10 pixels"),
        ((image("PNG", (600, 600), noise=True), "heavy.png"), "512 KB or smaller"),
        ((image("PNG")[:60], "cut.png"), "cut short"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused_and_nothing_changes(
    app: Flask, trainer: User, logo: tuple[bytes, str], message: str
) -> None:
    """Checked by content, not name: the field says why, and neither wording nor logo is saved."""
    response = post(as_user(app, trainer), logo=logo, heading="Not saved")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="logo-error"' in page and message in page
    assert saved() is None and events() == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"heading": ""}, "Enter the heading."),
        ({"statement": "x" * 401}, "Field cannot be longer than 400 characters."),
        ({"signatory": "Head\x07of Training"}, "characters that are not allowed"),
    ],
)
def test_wording_that_is_missing_too_long_or_has_control_characters_is_refused(
    app: Flask, trainer: User, fields: dict[str, str], message: str
) -> None:
    response = post(as_user(app, trainer), **fields)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert saved() is None and events() == []


def test_a_new_logo_goes_on_the_next_certificate_and_the_issued_one_keeps_its_pdf(
    app: Flask,
    trainer: User,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    moderator: User,
) -> None:
    """Issued PDFs are never re-rendered; certificates issued after the upload carry the logo."""
    turkish = "Ayşe Yılmaz"  # noqa: RUF001 (the dotless i is the point)
    before = certified(new_learner(world, make_user, full_name=turkish), assessor, moderator)
    stored_before = storage.path_of(before.pdf_name).read_bytes()

    response = post(as_user(app, trainer), logo=(image("JPEG", (120, 80)), "crest.jpg"))
    assert response.status_code == 303
    after = certified(new_learner(world, make_user, full_name="José Ñúñez"), assessor, moderator)

    assert storage.path_of(before.pdf_name).read_bytes() == stored_before
    [old_page] = PdfReader(io.BytesIO(stored_before)).pages
    [new_page] = PdfReader(io.BytesIO(storage.path_of(after.pdf_name).read_bytes())).pages
    assert len(old_page.images) == 0  # the platform's logo and the QR code are vector drawings
    [logo] = new_page.images
    assert logo.image is not None and logo.image.size == (120, 80)
    template = saved()
    assert template is not None and template.logo_type == "image/jpeg"
    assert events()[0].details["logo"] == "replaced"


def test_removing_the_logo_returns_to_the_platform_logo(app: Flask, trainer: User) -> None:
    client = as_user(app, trainer)
    assert post(client, logo=(image("PNG"), "logo.png")).status_code == 303

    assert post(client, remove_logo="y").status_code == 303

    template = saved()
    assert template is not None and template.logo is None and template.logo_type is None
    assert [e.details["logo"] for e in events()] == ["replaced", "removed"]


def test_the_saved_preview_is_an_inline_specimen_with_the_saved_wording(
    app: Flask, trainer: User
) -> None:
    client = as_user(app, trainer)
    post(client)

    response = client.get(f"{PAGE}/preview.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    text = pdftotext(response.get_data())
    assert "SPECIMEN" in text and SPECIMEN_LEARNER in text and SPECIMEN_CODE in text
    assert WORDING["heading"] in text and WORDING["signatory"] in text
    assert "A1-LO1" not in text  # no modules in this world: the sample outcomes are printed
    assert "M1-LO1" in text


def test_previewing_typed_wording_renders_it_and_saves_nothing(
    app: Flask, trainer: User, world: QuizWorld
) -> None:
    """The unsaved preview prints what was typed, with the programme's real outcomes."""
    response = post(as_user(app, trainer), f"{PAGE}/preview", heading="Draft Heading Ω")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.get_data())
    assert "Draft Heading Ω" in text and "SPECIMEN" in text
    assert "A1-LO1" in text and "A1-LO2" in text
    assert saved() is None and events() == []


def test_an_unsaved_preview_with_bad_wording_shows_the_form_errors(
    app: Flask, trainer: User
) -> None:
    response = post(as_user(app, trainer), f"{PAGE}/preview", footer="")

    assert response.status_code == 422
    assert "Enter the footer." in response.get_data(as_text=True)


def test_the_form_needs_its_csrf_token(app: Flask, trainer: User) -> None:
    client = as_user(app, trainer)
    response = client.post(PAGE, data=WORDING)

    assert response.status_code in (400, 422)
    assert saved() is None and events() == []
