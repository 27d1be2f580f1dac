"""Certificate pages for signed-in users: downloads, the register, revocation, the template."""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.auth.access import signed_in
from lms.certificates import services, storage
from lms.certificates.downloads import download_name

bp = Blueprint("certificates", __name__, url_prefix="/certificates")


@bp.get("/<code>.pdf")
@signed_in
def download(code: str) -> Response:
    """The stored PDF: the learner's own, or any for HR, admin and trainers."""
    certificate = services.certificate_for(current_user, code)
    if certificate is None:
        abort(404)
    path = storage.path_of(certificate.pdf_name)
    if not path.is_file():
        abort(410)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name(certificate),
        max_age=0,
    )
