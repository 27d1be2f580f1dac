"""File names for downloaded certificates: readable, ASCII-safe, and unique by code."""

from __future__ import annotations

import re
import unicodedata

from lms.certificates.models import PROGRAMME, Certificate


def download_name(certificate: Certificate) -> str:
    return file_name(certificate.code, certificate.subject_key, certificate.learner_name)


def file_name(code: str, subject_key: str, learner_name: str) -> str:
    """e.g. "Certificate-M4-Nomvula-Dlamini-Muller-7K3M-QX9T-2BHD.pdf"."""
    subject = "Programme" if subject_key == PROGRAMME else subject_key
    return f"Certificate-{_slug(subject)}-{_slug(learner_name)}-{code}.pdf"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:60] or "learner"
