"""`lms demo` gives the demo learner a valid certificate, and other demo learners an expired and
a revoked one, each earned through the issue rule; a second run adds nothing."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import User
from lms.certificates import storage
from lms.certificates.demo import REVOKE_REASON
from lms.certificates.models import Certificate, CertificateStatus
from lms.database import utcnow
from lms.extensions import db
from tests.marking.test_demo_data import run_demo


def certificate_of(email: str) -> Certificate:
    query = select(Certificate).join(Certificate.learner).where(User.email == email)
    [certificate] = db.session.scalars(query)
    return certificate


def test_the_demo_holds_a_valid_an_expired_and_a_revoked_certificate(
    app: Flask, app_context: None
) -> None:
    run_demo(app)
    now = utcnow()

    thandi = certificate_of("learner@example.com")
    assert (thandi.subject_key, thandi.status(now)) == ("M1", CertificateStatus.VALID)
    assert thandi.learner_name == "Thandi Mokoena" and thandi.assessor_names == "Priya Naidoo"
    naledi = certificate_of("naledi@example.com")
    assert (naledi.subject_key, naledi.status(now)) == ("M4", CertificateStatus.EXPIRED)
    assert naledi.expires_at is not None and naledi.expires_at < now
    sibusiso = certificate_of("sibusiso@example.com")
    assert (sibusiso.subject_key, sibusiso.status(now)) == ("M1", CertificateStatus.REVOKED)
    assert sibusiso.revoke_reason == REVOKE_REASON
    for certificate in (thandi, naledi, sibusiso):
        assert Path(storage.path_of(certificate.pdf_name)).stat().st_size == certificate.pdf_size


def test_running_the_demo_again_issues_no_more_certificates(app: Flask, app_context: None) -> None:
    run_demo(app)
    count = db.session.scalar(select(func.count()).select_from(Certificate))

    run_demo(app)

    # The certificate demo's three, and the cohort demo's floor-ready learner: five modules and
    # the programme.
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == count == 3 + 6
