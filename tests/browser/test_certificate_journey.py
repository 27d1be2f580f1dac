"""The certificate journey in a browser: the assessor judges the last outcomes Competent, the
moderator confirms them, the learner downloads the PDF from their dashboard, and a stranger,
signed in nowhere, follows the QR code printed on it to the verification page.

The PDF is read back as anyone would: its text with pypdf, its QR code decoded by zbarimg from
a page rasterised by pdftoppm.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from tests.browser.conftest import PageFactory, log_in
from tests.browser.marking_world import LO1, LO2, MODULE, Cast, Stage, bring_to, journey_cast
from tests.browser.test_marking_journey import check_screens
from tests.certificates.certificate_steps import certificates_of, confirm_sample
from tests.conftest import UserFactory
from tests.marking.marking_steps import C, finalise

pytestmark = pytest.mark.browser


@pytest.fixture(name="cast")
def people_of_the_journey(app: Flask, tmp_path: Path, make_user: UserFactory) -> Cast:
    return journey_cast(app, tmp_path / "programme", make_user)


@pytest.fixture(autouse=True)
def _site_address_is_the_live_server(app: Flask, live_server: str) -> Iterator[None]:
    """The QR code prints SITE_URL: here, the server the browser talks to."""
    before = app.config.get("SITE_URL")
    app.config["SITE_URL"] = live_server
    yield
    app.config["SITE_URL"] = before


def signed_in(new_page: PageFactory, user: User) -> Page:
    page = new_page()
    log_in(page, user.email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def assessor_judges_both_outcomes_competent(page: Page) -> None:
    page.goto("/marking/")
    page.get_by_role("link", name="Thandi Mokoena").first.click()
    page.get_by_role("button", name="Take it and start marking").click()
    for code in (LO1, LO2):
        card = page.get_by_role("region", name=re.compile(rf"^{code}\b"))
        card.get_by_label("Competent (C)").check()
    page.get_by_role("button", name="Finalise and tell the learner").click()
    expect(page.get_by_text("Judgements for Thandi Mokoena recorded.")).to_be_visible()


def moderator_confirms_the_sample(page: Page) -> None:
    for code in (LO1, LO2):
        page.goto("/moderation/")
        page.get_by_role("link", name=f"Check {code} for Thandi Mokoena").click()
        page.get_by_label("Confirm: the judgement stands").check()
        page.get_by_role("button", name="Record my check").click()
        confirmed = f"Confirmed: Thandi Mokoena can now see the decision on {code}."
        expect(page.get_by_text(confirmed)).to_be_visible()


def learner_downloads_the_certificate(page: Page) -> bytes:
    """From the dashboard's list of certificates: the module's, as a PDF file."""
    page.goto("/")
    certificates = page.get_by_role("region", name="Your certificates")
    row = certificates.get_by_role("listitem").filter(has_text=MODULE).first
    expect(row).to_contain_text("Valid")
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.startswith("Certificate-A1-Thandi-Mokoena-")
    path = download.value.path()
    return Path(path).read_bytes()


def qr_code_of(pdf: bytes, folder: Path) -> str:
    source = folder / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", source, folder / "page"], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", folder / "page.png"], capture_output=True, text=True, check=True
    )
    return decoded.stdout.strip()


def test_a_learner_downloads_the_certificate_and_a_stranger_verifies_it_by_its_qr_code(
    app: Flask, new_page: PageFactory, cast: Cast, tmp_path: Path, live_server: str
) -> None:
    bring_to(app, cast, Stage.SUBMITTED)
    assessor_judges_both_outcomes_competent(signed_in(new_page, cast.assessor))
    moderator_confirms_the_sample(signed_in(new_page, cast.moderator))

    pdf = learner_downloads_the_certificate(signed_in(new_page, cast.learner))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Thandi Mokoena" in text and MODULE in text
    url = qr_code_of(pdf, tmp_path)
    assert url.startswith(f"{live_server}/verify/")
    code = url.rsplit("/", 1)[1]
    assert code in text

    stranger = new_page()
    stranger.goto(url)
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("Valid")
    expect(stranger.get_by_text("Thandi Mokoena")).to_be_visible()
    expect(stranger.get_by_text(MODULE, exact=True)).to_be_visible()
    expect(stranger.get_by_role("button", name="Sign out")).to_have_count(0)


CERTIFICATE_SCREENS = [
    pytest.param(Role.LEARNER, "/dashboard/learner", "Your certificates", id="learner-dashboard"),
    pytest.param(None, "/verify/{code}", "Valid", id="verification"),
    pytest.param(None, "/verify", "Check a certificate", id="verification-form"),
    pytest.param(Role.HR, "/certificates/", "Certificate register", id="register"),
    pytest.param(Role.HR, "/certificates/{code}", "{code}", id="certificate"),
    pytest.param(Role.TRAINER, "/certificates/template", "Certificate template", id="template"),
]


@pytest.mark.parametrize(("role", "path", "text"), CERTIFICATE_SCREENS)
def test_the_certificate_pages_pass_axe_on_a_desktop_and_a_phone(
    app: Flask,
    new_page: PageFactory,
    cast: Cast,
    make_user: UserFactory,
    role: Role | None,
    path: str,
    text: str,
) -> None:
    bring_to(app, cast, Stage.SUBMITTED)
    with app.app_context():
        learner, assessor, moderator = (
            db.session.get(User, u.id) for u in (cast.learner, cast.assessor, cast.moderator)
        )
        assert learner is not None and assessor is not None and moderator is not None
        attempt = db.session.scalars(select(Attempt).where(Attempt.user_id == learner.id)).all()[-1]
        finalise(assessor, attempt, {LO1: C, LO2: C}, at=utcnow())
        confirm_sample(learner, moderator, at=utcnow())
        code = certificates_of(learner)[0].code
        db.session.remove()
    if role is None:
        page = new_page()
    elif role is Role.LEARNER:
        page = signed_in(new_page, cast.learner)
    else:
        page = signed_in(new_page, make_user(role))
    page.goto(path.format(code=code))
    expect(page.get_by_role("main")).to_contain_text(text.format(code=code))
    check_screens(page)
