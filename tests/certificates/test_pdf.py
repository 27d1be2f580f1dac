"""The issued certificate as a file: read back with poppler and pypdf, its QR code decoded
from a raster of the page, and the template's one way out (its URLs) shut to the network and
the disk."""

from __future__ import annotations

import hashlib
import io
import logging
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader

from lms.auth.models import User
from lms.certificates import storage, template_settings
from lms.certificates.models import PROGRAMME, Certificate
from lms.certificates.rendering import certificate_values, render_certificate
from lms.certificates.template_settings import Wording
from lms.database import utcnow
from lms.extensions import db
from lms.urls import external_url
from tests.certificates.certificate_steps import certified
from tests.conftest import UserFactory
from tests.marking.marking_steps import module_a1, new_learner
from tests.pdf_checks import pdftotext, recording_server
from tests.programme import shipped
from tests.quiz_files import QuizWorld

SITE = "https://academy.example.org/induction"
NAMES = ["Nomvula Dlamini-Müller", "José Ñúñez", "Đặng Thị Hoa", "Ayşe Yılmaz"]  # noqa: RUF001
# NOW is 1 December 2026, 09:00 UTC (11:00 in Johannesburg); A1 is valid for 12 months here.
ISSUED, EXPIRES = "1 December 2026", "1 December 2027"
# The fill colour of the yellow dot in static/img/logo.svg, as the PDF's drawing operators
# write it: only that logo uses it, so it shows the SVG was drawn.
LOGO_DOT = b"1 0.74902 0.278431 rg"


@pytest.fixture
def site(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    return SITE


def issue_to(
    name: str, world: QuizWorld, make_user: UserFactory, assessor: User, moderator: User
) -> Certificate:
    """A learner called `name` all the way to A1's certificate, valid for 12 months."""
    module_a1().certificate_valid_months = 12
    db.session.commit()
    return certified(new_learner(world, make_user, full_name=name), assessor, moderator)


def pypdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_stored_pdf_prints_the_name_exactly_with_every_fact_of_the_certificate(
    name: str,
    site: str,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    moderator: User,
) -> None:
    """Accents and non-Latin letters survive into the PDF's text, as poppler and pypdf read it."""
    certificate = issue_to(name, world, make_user, assessor, moderator)
    path = storage.path_of(certificate.pdf_name)

    for text in (pdftotext(path.read_bytes()), pypdf_text(path.read_bytes())):
        assert name in text
        assert module_a1().title in text
        assert "Issued" in text and ISSUED in text
        assert "Valid until" in text and EXPIRES in text
        assert "Assessed by" in text and "Priya Naidoo" in text
        assert certificate.code in text
        assert f"{site}/verify/{certificate.code}" in text


def test_the_pdf_is_one_a4_landscape_page_and_matches_its_stored_checksum(
    learner: User, assessor: User, moderator: User
) -> None:
    """842 by 595 pt, one page; the file on disk is the one whose SHA-256 and size were kept."""
    certificate = certified(learner, assessor, moderator)
    pdf = storage.path_of(certificate.pdf_name).read_bytes()

    [page] = PdfReader(io.BytesIO(pdf)).pages
    assert float(page.mediabox.width) == pytest.approx(842, abs=1)
    assert float(page.mediabox.height) == pytest.approx(595, abs=1)
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    assert len(pdf) == certificate.pdf_size
    assert "Valid until" not in pdftotext(pdf)  # no expiry set


def test_the_qr_code_on_the_page_opens_the_verification_page(
    site: str, learner: User, assessor: User, moderator: User, tmp_path: Path
) -> None:
    """Rasterised at 150 dpi as a phone camera would see a print, it decodes to the URL."""
    certificate = certified(learner, assessor, moderator)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(storage.path_of(certificate.pdf_name)), "page"],
        cwd=tmp_path,
        check=True,
    )
    [raster] = tmp_path.glob("page*.png")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(raster)], capture_output=True, text=True, check=True
    ).stdout.strip()

    assert decoded == external_url("verification.verify_code", code=certificate.code)
    assert decoded == f"{site}/verify/{certificate.code}"


# --- Hardening --------------------------------------------------------------------------------


@pytest.fixture
def listening() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback that records every request it gets."""
    with recording_server() as server:
        yield server


def test_the_certificate_template_fetches_nothing_from_the_network_or_the_disk(
    learner: User,
    assessor: User,
    moderator: User,
    listening: tuple[str, list[str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The template's URLs (logo and QR code) pointed at a live server, /etc/passwd and a file
    outside static/: each is refused, nothing is requested, nothing read is printed."""
    server, requests = listening
    outside = tmp_path / "outside.svg"
    outside.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<text y="9">OUTSIDE-SECRET</text></svg>'
    )
    values = certificate_values(certified(learner, assessor, moderator))
    attempts = [
        (f"{server}/x.png", f"{server}/qr.svg"),
        ("file:///etc/passwd", outside.as_uri()),
    ]
    for logo_url, qr_url in attempts:
        with caplog.at_level(logging.ERROR, logger="weasyprint"):
            pdf = render_certificate({**values, "logo_url": logo_url, "qr_url": qr_url})
        text = pypdf_text(pdf)
        assert values["learner_name"] in text  # the rest of the certificate still renders
        assert "OUTSIDE-SECRET" not in text and "root:" not in text
        assert LOGO_DOT not in _drawing(pdf)
    assert requests == []
    assert caplog.text.count("RefusedURL") >= 4


def test_the_platform_logo_is_drawn_from_the_static_folder(
    learner: User, assessor: User, moderator: User
) -> None:
    """With no uploaded logo, static/img/logo.svg is embedded in the issued PDF."""
    certificate = certified(learner, assessor, moderator)

    assert LOGO_DOT in _drawing(storage.path_of(certificate.pdf_name).read_bytes())


def test_markup_typed_into_the_wording_is_printed_as_text_and_never_fetched(
    learner: User,
    assessor: User,
    moderator: User,
    listening: tuple[str, list[str]],
) -> None:
    """Wording is user text: escaped into the page, so its tags are words, not requests."""
    server, requests = listening
    heading = f'Award <img src="{server}/x.png">'
    footer = '<link rel="stylesheet" href="file:///etc/passwd"> Check it below.'
    template_settings.save_template(
        Wording(heading, "has shown competence in", "Head of Training", footer),
        logo=None,
        remove_logo=False,
        actor=assessor,
        now=module_a1().created_at,
    )
    db.session.commit()

    certificate = certified(learner, assessor, moderator)

    text = pdftotext(storage.path_of(certificate.pdf_name).read_bytes()).replace(" ", "")
    assert heading.replace(" ", "") in text and footer.replace(" ", "") in text  # lines wrap
    assert requests == [] and "root:" not in text


def _drawing(pdf: bytes) -> bytes:
    """The first page's content stream: the operators that draw it."""
    return bytes(PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data())


def test_the_programme_certificate_of_the_shipped_programme_fits_one_page(
    app_context: None,
) -> None:
    """Five modules and eleven outcome statements, as shipped, on one A4 landscape page."""
    achievements = [
        {
            "code": source.meta.code,
            "title": source.meta.title,
            "outcomes": [{"code": o.code, "statement": o.statement} for o in source.meta.outcomes],
        }
        for source in shipped.modules()
    ]
    certificate = Certificate(
        code="7K3M-QX9T-2BHD",
        subject_key=PROGRAMME,
        learner_name="Nomvula Dlamini-Müller",
        subject_title="Contact Centre & BPO Induction",
        achievements=achievements,
        assessor_names="Priya Naidoo, Sipho Ndlovu",
        issued_at=utcnow(),
        expires_at=utcnow() + timedelta(days=365),
    )

    pdf = render_certificate(certificate_values(certificate))

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = pypdf_text(pdf)
    for module in achievements:
        assert module["title"] in text
        assert all(outcome["code"] in text for outcome in module["outcomes"])
