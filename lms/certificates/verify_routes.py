"""Public verification: anyone with a code can check a certificate, without signing in."""

from __future__ import annotations

from flask import Blueprint, render_template

from lms.auth.access import public
from lms.certificates import services
from lms.database import utcnow

bp = Blueprint("verification", __name__)


@bp.get("/verify/<code>")
@public
def verify_code(code: str) -> tuple[str, int]:
    certificate = services.find_by_code(code)
    if certificate is None:
        return render_template("verification/unknown.html", code=code[:40]), 404
    status = certificate.status(utcnow())
    return render_template("verification/result.html", certificate=certificate, status=status), 200
