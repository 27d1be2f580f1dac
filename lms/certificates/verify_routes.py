"""Public verification: anyone with a code can check a certificate, without signing in.

The page shows what the certificate printed and whether it still stands, nothing more: no
email, no other certificates of the learner, never the private reason for a revocation.
Both views are throttled per address, so codes cannot be tried in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from lms.auth.access import public
from lms.certificates import services
from lms.certificates.codes import normalise_code
from lms.certificates.models import Certificate, CertificateStatus
from lms.certificates.verify_forms import VerifyForm
from lms.database import utcnow
from lms.extensions import limiter
from lms.forms import FORM_REJECTED

bp = Blueprint("verification", __name__)


@dataclass(frozen=True)
class PublicRecord:
    """Everything the public may know of a certificate."""

    code: str
    learner_name: str
    subject_title: str
    status: CertificateStatus
    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def public_record(certificate: Certificate, now: datetime) -> PublicRecord:
    """The certificate as printed, and its standing at `now`."""
    return PublicRecord(
        code=certificate.code,
        learner_name=certificate.learner_name,
        subject_title=certificate.subject_title,
        status=certificate.status(now),
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        revoked_at=certificate.revoked_at,
    )


@bp.after_request
def _private_and_fresh(response: Response) -> Response:
    """A verification answer names a person and may change (revocation): not for search
    engines, and never from a cache."""
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/verify")
@limiter.limit(services.verify_limit)
@public
def verify() -> Response | tuple[str, int]:
    """The form; a well-formed code goes on to its certificate's page."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return render_template("verification/verify.html", form=form), 200
    if not form.validate():
        return render_template("verification/verify.html", form=form), FORM_REJECTED
    return redirect(url_for(".verify_code", code=form.canonical_code()))


@bp.get("/verify/<code>")
@limiter.limit(services.verify_limit)
@public
def verify_code(code: str) -> Response | tuple[str, int]:
    """One certificate's standing; another spelling of a code moves to the canonical URL."""
    canonical = normalise_code(code)
    if canonical is not None and canonical != code:
        return redirect(url_for(".verify_code", code=canonical), 301)
    certificate = services.find_by_code(code) if canonical else None
    if certificate is None:
        form = VerifyForm(data={"code": code[:40]})
        return render_template("verification/unknown.html", form=form, code=code[:40]), 404
    record = public_record(certificate, utcnow())
    return render_template("verification/result.html", record=record), 200
