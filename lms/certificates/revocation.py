"""Revoking a certificate: HR or an administrator withdraws it, with a reason, for good.

A revoked certificate is never deleted: it stays in the register and its code still answers
on the verification page, which says that it was revoked and when (the reason stays private
to staff).
"""

from __future__ import annotations

from datetime import datetime

from lms import audit
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.certificates.rendering import local_date
from lms.forms import CONTROL_CHARACTERS

REASON_LIMIT = 1000


class CertificateError(Exception):
    """A change to a certificate that was refused; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def revoke(certificate: Certificate, actor: User | None, reason: str, *, now: datetime) -> None:
    """Revoke the certificate for `reason` (required, at most 1000 characters); audited.

    `actor` is None when revoked from the command line without a person to name.
    """
    reason = reason.strip()
    if certificate.revoked_at is not None:
        raise CertificateError(
            f"Certificate {certificate.code} was already revoked on "
            f"{local_date(certificate.revoked_at)}; nothing was changed."
        )
    if not reason:
        raise CertificateError("Give the reason for revoking this certificate.", "reason")
    if len(reason) > REASON_LIMIT:
        raise CertificateError(
            f"Keep the reason to {REASON_LIMIT} characters (it has {len(reason)}).", "reason"
        )
    if CONTROL_CHARACTERS.search(reason):
        raise CertificateError("The reason contains characters that are not allowed.", "reason")
    certificate.revoked_at = now
    certificate.revoked_by = actor
    certificate.revoke_reason = reason
    audit.record(
        "certificate.revoked",
        actor=actor,
        target=certificate,
        details={"code": certificate.code, "reason": reason},
    )
