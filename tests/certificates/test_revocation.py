"""Revoking a certificate: a reason is required, it happens once, it is audited, and the
certificate stays in the register."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.certificates.models import Certificate, CertificateStatus
from lms.certificates.revocation import CertificateError, revoke
from lms.extensions import db
from tests.certificates.test_register_world import learner_named, stored_certificate
from tests.conftest import UserFactory, csrf_token
from tests.marking.marking_steps import as_user

NOW = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


@pytest.fixture
def certificate(app_context: None, make_user: UserFactory) -> Certificate:
    return stored_certificate(learner_named(make_user, "José Fernandes", "jose@example.com"))


def revocations() -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "certificate.revoked")
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def reloaded(certificate: Certificate) -> Certificate:
    db.session.expire_all()
    found = db.session.get(Certificate, certificate.id)
    assert found is not None
    return found


def test_revoking_records_who_when_and_why_and_one_audit_event(
    hr: User, certificate: Certificate
) -> None:
    revoke(certificate, hr, "  Issued in error: wrong learner.  ", now=NOW)
    db.session.commit()

    kept = reloaded(certificate)
    assert kept.revoked_at == NOW and kept.revoked_by_id == hr.id
    assert kept.revoke_reason == "Issued in error: wrong learner."
    assert kept.status(NOW) is CertificateStatus.REVOKED
    (event,) = revocations()
    assert event.actor_id == hr.id and event.object_id == str(certificate.id)
    assert event.details == {"code": certificate.code, "reason": "Issued in error: wrong learner."}


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Give the reason"),
        ("   \n ", "Give the reason"),
        ("x" * 1001, "Keep the reason to 1000 characters"),
        ("bad\x00byte", "not allowed"),
    ],
)
def test_a_missing_or_unusable_reason_is_refused_and_changes_nothing(
    hr: User, certificate: Certificate, reason: str, message: str
) -> None:
    with pytest.raises(CertificateError, match=message) as refused:
        revoke(certificate, hr, reason, now=NOW)
    db.session.rollback()

    assert refused.value.field == "reason"
    assert reloaded(certificate).revoked_at is None and revocations() == []


def test_a_reason_of_exactly_1000_characters_is_accepted(
    hr: User, certificate: Certificate
) -> None:
    revoke(certificate, hr, "x" * 1000, now=NOW)

    assert certificate.revoke_reason == "x" * 1000


def test_a_revoked_certificate_cannot_be_revoked_again(hr: User, certificate: Certificate) -> None:
    revoke(certificate, hr, "Issued in error.", now=NOW)
    db.session.commit()

    with pytest.raises(CertificateError, match="already revoked on 2 November 2026"):
        revoke(reloaded(certificate), hr, "Again.", now=NOW)
    db.session.rollback()
    assert reloaded(certificate).revoke_reason == "Issued in error." and len(revocations()) == 1


def test_revoking_without_a_person_as_from_the_command_line(certificate: Certificate) -> None:
    revoke(certificate, None, "Fraud found in the portfolio.", now=NOW)
    db.session.commit()

    assert reloaded(certificate).revoked_by_id is None
    assert revocations()[0].actor_id is None


def test_revoking_through_the_certificate_page(
    app: Flask, hr: User, certificate: Certificate
) -> None:
    client = as_user(app, hr)
    token = csrf_token(client, f"/certificates/{certificate.code}")

    answer = client.post(
        f"/certificates/{certificate.code}/revoke",
        data={"csrf_token": token, "reason": "Learner's identity was not verified."},
    )

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/certificates/{certificate.code}")
    assert reloaded(certificate).revoke_reason == "Learner's identity was not verified."
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Certificate {certificate.code} is revoked" in shown
    assert "Learner&#39;s identity was not verified." in shown and ">Revoked<" in shown
    assert "Revoke this certificate" not in shown  # no second revocation offered
    listed = client.get("/certificates/?status=revoked").get_data(as_text=True)
    assert certificate.code in listed


def test_revoking_through_the_page_without_a_reason_shows_the_error_beside_the_field(
    app: Flask, hr: User, certificate: Certificate
) -> None:
    client = as_user(app, hr)
    token = csrf_token(client, f"/certificates/{certificate.code}")

    answer = client.post(
        f"/certificates/{certificate.code}/revoke",
        data={"csrf_token": token, "reason": "  "},
    )

    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="reason-error"' in html and "Give the reason for revoking" in html
    assert 'aria-invalid="true"' in html
    assert reloaded(certificate).revoked_at is None and revocations() == []


def test_revoking_without_the_pages_token_changes_nothing(
    app: Flask, hr: User, certificate: Certificate
) -> None:
    answer = as_user(app, hr).post(
        f"/certificates/{certificate.code}/revoke", data={"reason": "Issued in error."}
    )

    assert answer.status_code in (400, 422)
    assert reloaded(certificate).revoked_at is None and revocations() == []


def test_a_learner_cannot_revoke_even_with_a_valid_token(
    app: Flask, certificate: Certificate
) -> None:
    client = as_user(app, certificate.learner)
    token = csrf_token(client, "/dashboard/learner")  # the sign-out form's
    answer = client.post(
        f"/certificates/{certificate.code}/revoke",
        data={"csrf_token": token, "reason": "Mine to revoke?"},
    )

    assert answer.status_code == 403
    assert reloaded(certificate).revoked_at is None
