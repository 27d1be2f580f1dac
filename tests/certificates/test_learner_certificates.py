"""The learner's dashboard lists their certificates, to download and to share."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from lms.auth.models import User
from lms.certificates.revocation import revoke
from lms.database import utcnow
from lms.extensions import db
from tests.certificates.certificate_steps import certified
from tests.certificates.test_register_world import learner_named, stored_certificate
from tests.conftest import UserFactory
from tests.marking.marking_steps import as_user
from tests.quiz_files import QuizWorld


def test_dashboard_lists_each_certificate_with_download_and_share_link(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)

    html = as_user(app, learner).get("/dashboard/learner").get_data(as_text=True)

    assert "Your certificates" in html
    assert f'href="/certificates/{certificate.code}.pdf"' in html
    share = f"http://localhost/verify/{certificate.code}"
    assert f'<a href="{share}" class="share-link">{share}</a>' in html  # visible without script
    assert f'data-copy-link="{share}"' in html and "Copy share link" in html
    assert f'id="copied-{certificate.code}" role="status" aria-live="polite"' in html
    assert ">Valid<" in html and certificate.subject_title in html
    assert "js/certificates.js" in html


def test_share_link_uses_the_configured_site_address(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    app.config["SITE_URL"] = "https://learn.example.org/"
    try:
        html = as_user(app, learner).get("/dashboard/learner").get_data(as_text=True)
    finally:
        app.config["SITE_URL"] = None

    assert f">https://learn.example.org/verify/{certificate.code}</a>" in html


def test_expired_and_revoked_certificates_say_so_in_words(
    app: Flask, app_context: None, world: QuizWorld, make_user: UserFactory
) -> None:
    """A revoked certificate offers neither download nor share link."""
    learner = learner_named(make_user, "Ayşe Kaya", "ayse@example.com")
    expired = stored_certificate(learner, expires_at=utcnow() - timedelta(days=1))
    revoked = stored_certificate(learner, cycle=2)
    revoke(revoked, None, "Issued in error.", now=utcnow())
    db.session.commit()

    html = as_user(app, learner).get("/dashboard/learner").get_data(as_text=True)

    assert ">Expired<" in html and ">Revoked<" in html and "Expired " in html
    assert f"/certificates/{expired.code}.pdf" in html
    assert f"/certificates/{revoked.code}.pdf" not in html
    assert f"/verify/{revoked.code}" not in html
    assert "Issued in error." not in html  # the reason is for staff


def test_no_certificate_section_without_certificates(
    app: Flask, app_context: None, world: QuizWorld, make_user: UserFactory
) -> None:
    learner = learner_named(make_user, "José Fernandes", "jose@example.com")

    html = as_user(app, learner).get("/dashboard/learner").get_data(as_text=True)

    assert "Your certificates" not in html


def test_only_the_learners_own_certificates_are_listed(
    app: Flask, app_context: None, world: QuizWorld, make_user: UserFactory
) -> None:
    mine = stored_certificate(learner_named(make_user, "José Fernandes", "jose@example.com"))
    theirs = stored_certificate(learner_named(make_user, "Ayşe Kaya", "ayse@example.com"))
    client = as_user(app, mine.learner)

    html = client.get("/dashboard/learner").get_data(as_text=True)

    assert mine.code in html and theirs.code not in html
