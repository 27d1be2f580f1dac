"""The certificate template's settings: saving the wording and logo, and the specimen preview.

Saving changes only certificates issued afterwards: an issued certificate keeps the PDF it was
rendered with, byte for byte, so its stored SHA-256 still holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from lms import audit
from lms.auth.models import User
from lms.certificates import storage
from lms.certificates.issuing import programme_modules
from lms.certificates.models import PROGRAMME, Certificate, CertificateTemplate
from lms.certificates.rendering import DEFAULT_WORDING, certificate_values
from lms.extensions import db

# Printed on every preview. The code is well formed (so the layout is true to life) but is
# never issued: verifying it finds no certificate.
SPECIMEN_CODE = "SPEC-MEN2-3456"
SPECIMEN_LEARNER = "Nomvula Dlamini-Müller"
SPECIMEN_ASSESSOR = "Priya Naidoo"
SPECIMEN_VALID_MONTHS = 12  # the preview shows the "Valid until" line a certificate may carry
SPECIMEN_OUTCOMES = [
    {"code": "M1-LO1", "statement": "Explain how a call reaches an agent through the IVR and ACD."},
    {"code": "M1-LO2", "statement": "Verify a caller's identity before discussing an account."},
]


@dataclass(frozen=True)
class Wording:
    heading: str
    statement: str
    signatory: str
    footer: str


@dataclass(frozen=True)
class Logo:
    data: bytes
    mime: str  # image/png or image/jpeg


def saved_template() -> CertificateTemplate:
    """The template row (id 1), added with the default wording if nobody saved one yet."""
    template = db.session.get(CertificateTemplate, 1)
    if template is None:
        template = CertificateTemplate(id=1, **DEFAULT_WORDING)
        db.session.add(template)
    return template


def save_template(
    wording: Wording, *, logo: Logo | None, remove_logo: bool, actor: User, now: datetime
) -> CertificateTemplate:
    """Save the wording and, when given, the new logo (or go back to the platform's logo)."""
    template = saved_template()
    changed = [name for name, value in vars(wording).items() if getattr(template, name) != value]
    for name, value in vars(wording).items():
        setattr(template, name, value)
    logo_change = "kept"
    if logo is not None:
        template.logo, template.logo_type, logo_change = logo.data, logo.mime, "replaced"
    elif remove_logo and template.logo is not None:
        template.logo, template.logo_type, logo_change = None, None, "removed"
    template.updated_at, template.updated_by_id = now, actor.id
    db.session.flush()
    audit.record(
        "certificate-template.updated",
        actor=actor,
        target=template,
        details={"changed": changed, "logo": logo_change},
    )
    return template


def preview_template(wording: Wording, saved: CertificateTemplate) -> CertificateTemplate:
    """Unsaved wording with the saved logo, for a preview; never added to the session."""
    return CertificateTemplate(
        id=saved.id, **vars(wording), logo=saved.logo, logo_type=saved.logo_type
    )


def specimen_values(template: CertificateTemplate, *, now: datetime) -> dict[str, Any]:
    """What a programme certificate printed with `template` today would say, for a sample
    learner, marked SPECIMEN across the page."""
    specimen = Certificate(
        code=SPECIMEN_CODE,
        subject_key=PROGRAMME,
        learner_name=SPECIMEN_LEARNER,
        subject_title=current_app.config["PROGRAMME_TITLE"],
        achievements=_achievements(),
        assessor_names=SPECIMEN_ASSESSOR,
        issued_at=now,
        expires_at=storage.expiry(now, SPECIMEN_VALID_MONTHS),
    )
    return {**certificate_values(specimen, template), "specimen": True}


def _achievements() -> list[dict[str, Any]]:
    """Each current module with its current outcomes; a sample module when there are none."""
    achieved = [
        {
            "code": module.code,
            "title": module.title,
            "outcomes": [{"code": o.code, "statement": o.statement} for o in outcomes],
        }
        for module in programme_modules()
        if (outcomes := module.current_outcomes)
    ]
    return achieved or [{"code": "M1", "title": "Sample module", "outcomes": SPECIMEN_OUTCOMES}]
