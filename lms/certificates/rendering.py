"""A certificate as a PDF: plain values in, A4 landscape PDF bytes out.

`certificate_values` turns a certificate row and the template settings into a dict of strings
and lists; `render_certificate` turns that dict into a PDF through `lms.pdf.render_pdf`, the one
hardened renderer (only `data:` URLs and the app's static files are fetched).
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask import current_app, render_template
from sqlalchemy import select

from lms.certificates.models import Certificate, CertificateTemplate
from lms.extensions import db
from lms.pdf import render_pdf
from lms.urls import external_url

DEFAULT_WORDING = {
    "heading": "Certificate of Competence",
    "statement": "has been assessed and found competent in every learning outcome of",
    "signatory": "Head of Training",
    "footer": "Check this certificate with its code or QR code at the address below.",
}
DEFAULT_LOGO = "img/logo.svg"  # in static/


def current_template() -> CertificateTemplate:
    """The saved wording and logo, or the defaults when nobody has edited them (not saved)."""
    saved = db.session.scalar(select(CertificateTemplate).where(CertificateTemplate.id == 1))
    return saved or CertificateTemplate(id=1, **DEFAULT_WORDING)


def certificate_values(
    certificate: Certificate, template: CertificateTemplate | None = None
) -> dict[str, Any]:
    """Everything the PDF prints, as plain values."""
    template = template or current_template()
    verify_url = external_url("verification.verify_code", code=certificate.code)
    return {
        "site_name": current_app.config["SITE_NAME"],
        "heading": template.heading,
        "statement": template.statement,
        "signatory": template.signatory,
        "footer": template.footer,
        "logo_url": logo_url(template),
        "learner_name": certificate.learner_name,
        "subject_title": certificate.subject_title,
        "is_programme": certificate.is_programme,
        "achievements": certificate.achievements,
        "assessor_names": certificate.assessor_names,
        "issued": local_date(certificate.issued_at),
        "expires": local_date(certificate.expires_at) if certificate.expires_at else "",
        "code": certificate.code,
        "verify_url": verify_url,
        "qr_url": qr_data_url(verify_url),
        "specimen": False,  # a preview from the template settings says SPECIMEN across it
    }


def render_certificate(values: dict[str, Any]) -> bytes:
    """The certificate's PDF from `certificate_values` (A4 landscape, one page)."""
    return render_pdf(render_template("certificates/certificate_pdf.html", **values))


def logo_url(template: CertificateTemplate) -> str:
    if template.logo and template.logo_type:
        encoded = base64.b64encode(template.logo).decode("ascii")
        return f"data:{template.logo_type};base64,{encoded}"
    return DEFAULT_LOGO


def qr_data_url(url: str) -> str:
    """The URL as a QR code, an SVG `data:` URL (medium error correction survives a smudge)."""
    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=2, dark="#111111"))


def local_date(moment: datetime) -> str:
    """A date as printed: "5 December 2026", in the site's time zone."""
    local = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return f"{local.day} {local:%B %Y}"
