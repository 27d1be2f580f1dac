"""Open Badges 2.0 hosted assertions: each certificate as a badge a backpack can check."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from lms.auth.access import public
from lms.certificates import badges, services
from lms.certificates.codes import normalise_code
from lms.certificates.models import CertificateStatus
from lms.database import utcnow
from lms.extensions import limiter

bp = Blueprint("badges", __name__, url_prefix="/badges")

# Class and issuer change only when an administrator edits content or settings.
SHARED_DOCUMENT_CACHE = "public, max-age=300"


@bp.get("/assertions/<code>")
@limiter.limit(services.verify_limit)
@public
def assertion(code: str) -> Response:
    """The Assertion; 410 Gone for a revoked certificate, as hosted verification requires."""
    canonical = normalise_code(code)
    if canonical is not None and canonical != code:
        return redirect(url_for(".assertion", code=canonical), 301)
    certificate = services.find_by_code(code)
    if certificate is None:
        response = _json({"error": "No certificate has this code."}, 404, cache="no-store")
    elif certificate.status(utcnow()) is CertificateStatus.REVOKED:
        response = _json(badges.revoked_assertion(certificate), 410, cache="no-store")
    else:
        # An expired certificate still answers 200: its "expires" date tells verifiers.
        response = _json(badges.assertion(certificate), 200, cache="no-store")
    # One learner's award: fresh on every check (revocation shows at once), never indexed.
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/classes/<subject_key>")
@public
def badge_class(subject_key: str) -> Response:
    """What a certificate of this subject means: name, description, criteria, issuer."""
    document = badges.badge_class(subject_key)
    if document is None:
        return _json({"error": "No badge has this name."}, 404, cache="no-store")
    return _json(document, 200, cache=SHARED_DOCUMENT_CACHE)


@bp.get("/issuer")
@public
def issuer() -> Response:
    """The issuer Profile that every BadgeClass names."""
    return _json(badges.issuer(), 200, cache=SHARED_DOCUMENT_CACHE)


def _json(document: dict[str, Any], status: int, *, cache: str) -> Response:
    """JSON-LD as OB 2.0 "Setting Content-Type" asks: application/ld+json by default,
    application/json when that is all the client accepts."""
    mimetype = request.accept_mimetypes.best_match(
        ["application/ld+json", "application/json"], default="application/ld+json"
    )
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers["Cache-Control"] = cache
    # Public documents without cookies: displayers in other sites' pages may read them.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
