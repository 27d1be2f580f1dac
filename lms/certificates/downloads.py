"""File names for downloaded certificates: readable, ASCII-safe, and unique by code."""

from __future__ import annotations

import re
import unicodedata

from lms.certificates.models import Certificate


def download_name(certificate: Certificate) -> str:
    """e.g. "Certificate-M4-Nomvula-Dlamini-Muller-7K3M-QX9T-2BHD.pdf"."""
    subject = "Programme" if certificate.is_programme else certificate.subject_key
    return f"Certificate-{_slug(subject)}-{_slug(certificate.learner_name)}-{certificate.code}.pdf"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:60] or "learner"
