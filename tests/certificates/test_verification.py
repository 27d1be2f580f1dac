"""Public verification: /verify and /verify/<code> tell anyone whether a certificate stands,
show what it printed, and nothing else about the learner."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask, g, has_app_context
from flask.testing import FlaskClient

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.database import utcnow
from lms.extensions import db
from tests.certificates.certificate_steps import certificates_of, certified
from tests.conftest import AppFactory

DATE = "%d %B %Y"


def stranger(app: Flask) -> FlaskClient:
    """A client nobody signed in to; the shared app context forgets the last request's user."""
    if has_app_context():
        g.pop("_login_user", None)
    return app.test_client()


def page(client: FlaskClient, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def local(moment: object, app: Flask) -> str:
    return str(app.jinja_env.filters["localtime"](moment, DATE))


def test_a_valid_certificate_shows_what_it_printed_and_its_dates(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Status as a word, the learner's printed name, the subject and both dates."""
    certificate = certified(learner, assessor, moderator)
    certificate.expires_at = utcnow() + timedelta(days=365)
    db.session.commit()

    response = stranger(app).get(f"/verify/{certificate.code}")

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "</span> Valid certificate</h1>" in text
    assert "Thandi Mokoena" in text and certificate.subject_title in text
    assert f"<dt>Issued</dt><dd>{local(certificate.issued_at, app)}</dd>" in text
    assert f"<dt>Valid until</dt><dd>{local(certificate.expires_at, app)}</dd>" in text
    assert f'href="/badges/assertions/{certificate.code}"' in text
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_page_reveals_nothing_else_about_the_learner(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """No email, and no sign of the learner's other certificate (the programme's)."""
    module_certificate, programme_certificate = certificates_of(
        certified(learner, assessor, moderator).learner
    )

    status, text = page(stranger(app), f"/verify/{module_certificate.code}")

    assert status == 200
    assert learner.email not in text and "@" not in text
    assert programme_certificate.code not in text
    assert programme_certificate.subject_title not in text


def test_an_expired_certificate_says_so_with_its_expiry_date(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    certificate.expires_at = utcnow() - timedelta(days=2)
    db.session.commit()

    status, text = page(stranger(app), f"/verify/{certificate.code}")

    assert status == 200
    assert "</span> Expired certificate</h1>" in text
    assert f"expired on {local(certificate.expires_at, app)}" in text
    assert "Open Badge (JSON)" not in text


def test_a_revoked_certificate_shows_the_date_but_never_the_private_reason(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    revoke(certificate, moderator, reason="Identity fraud reported by the employer")

    status, text = page(stranger(app), f"/verify/{certificate.code}")

    assert status == 200
    assert "</span> Revoked certificate</h1>" in text
    assert f"was revoked on {local(certificate.revoked_at, app)}" in text
    assert "Identity fraud" not in text and "employer" not in text
    assert moderator.full_name not in text
    assert "Open Badge (JSON)" not in text


def test_an_unknown_code_answers_404_with_the_form_to_try_again(app: Flask) -> None:
    status, text = page(stranger(app), "/verify/2345-6789-ABCD")

    assert status == 404
    assert "<h1>No such certificate</h1>" in text
    assert 'action="/verify"' in text and 'value="2345-6789-ABCD"' in text


def test_a_url_that_cannot_be_a_code_is_no_such_certificate_and_is_escaped(app: Flask) -> None:
    status, text = page(stranger(app), "/verify/<i>hello")

    assert status == 404
    assert "No such certificate" in text
    assert "<i>hello" not in text and "&lt;i&gt;hello" in text


def test_another_spelling_of_a_code_moves_to_the_canonical_page(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    typed = certificate.code.replace("-", "").lower()

    response = stranger(app).get(f"/verify/{typed}")

    assert response.status_code == 301
    assert response.headers["Location"] == f"/verify/{certificate.code}"


def test_the_form_has_one_labelled_field_for_the_code(app: Flask) -> None:
    status, text = page(stranger(app), "/verify")

    assert status == 200
    assert '<label for="code">Certificate code</label>' in text
    assert re.search(r'<form method="get" action="/verify"', text)
    assert "csrf_token" not in text  # a GET form that changes nothing


def test_a_typed_code_is_forgiven_case_spaces_and_dashes(app: Flask) -> None:
    response = stranger(app).get("/verify", query_string={"code": " 2345 6789\u2013abcd "})

    assert response.status_code == 302
    assert response.headers["Location"] == "/verify/2345-6789-ABCD"


def test_an_empty_code_is_refused_beside_the_field(app: Flask) -> None:
    status, text = page(stranger(app), "/verify?code=")

    assert status == 422
    assert 'id="code-error">Enter the code printed on the certificate.</p>' in text
    assert 'aria-invalid="true"' in text


def test_a_malformed_code_is_refused_with_422_and_the_reason(app: Flask) -> None:
    response = stranger(app).get("/verify", query_string={"code": "OIL0-1111-ABCD"})

    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="code-error">Enter a code of 12 letters and digits' in text
    assert 'value="OIL0-1111-ABCD"' in text
    assert "<title>Error: Check a certificate" in text


def test_too_many_checks_from_one_address_are_throttled(make_app: AppFactory) -> None:
    """After the per-address limit the site answers 429 with a readable page."""
    app = make_app(VERIFY_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    for n in range(3):
        assert client.get(f"/verify/2345-6789-ABC{n + 2}").status_code == 404
    throttled = client.get("/verify/2345-6789-ABCF")

    assert throttled.status_code == 429
    assert "Please wait a minute before trying again." in throttled.get_data(as_text=True)


def revoke(certificate: Certificate, by: User, *, reason: str) -> None:
    """What HR's revocation leaves in the row: when, who, and the private reason."""
    certificate.revoked_at = utcnow() - timedelta(hours=1)
    certificate.revoked_by_id = by.id
    certificate.revoke_reason = reason
    db.session.commit()
