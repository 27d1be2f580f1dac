"""Open Badges 2.0 documents: each certificate as a hosted Assertion a backpack can check.

Three linked documents, all at stable URLs on this site (hosted verification needs the
Assertion, its BadgeClass and the issuer Profile on one origin): the Assertion per
certificate, a BadgeClass per subject (a module code or the programme) and one Issuer.
Specification: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html

The recipient is a salted SHA-256 of the learner's email, so the public JSON names nobody;
each certificate keeps its own random salt, so the hash never changes once published.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import select

from lms.certificates.issuing import programme_modules
from lms.certificates.models import PROGRAMME, Certificate
from lms.content.models import Module
from lms.extensions import db
from lms.urls import external_url, site_url

CONTEXT = "https://w3id.org/openbadges/v2"
BADGE_IMAGE = "img/badge.svg"  # in static/


def assertion(certificate: Certificate) -> dict[str, Any]:
    """The hosted Assertion of a certificate that has not been revoked."""
    salt = certificate.badge_salt
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate.code),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hashed_identity(certificate.learner.email, salt),
        },
        "badge": external_url("badges.badge_class", subject_key=certificate.subject_key),
        "verification": {"type": "hosted"},
        "issuedOn": iso_timestamp(certificate.issued_at),
    }
    if certificate.expires_at is not None:
        document["expires"] = iso_timestamp(certificate.expires_at)
    return document


def revoked_assertion(certificate: Certificate) -> dict[str, Any]:
    """What a revoked certificate's Assertion URL answers, with 410 Gone.

    OB 2.0, "Revoking Hosted Assertions": "To mark a hosted assertion as revoked, respond
    with an HTTP Status of 410 Gone. [...] For revoked Assertions, only id and revoked are
    required." The recipient and the staff's reason are left out: the reason is private.
    """
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate.code),
        "revoked": True,
    }


def badge_class(subject_key: str) -> dict[str, Any] | None:
    """The BadgeClass of a module (by code) or of the programme; None for an unknown subject."""
    if subject_key == PROGRAMME:
        name = str(current_app.config["PROGRAMME_TITLE"])
        description = f"Awarded by {_issuer_name()} when every module of {name} is certified."
        lines = [f"- {m.code}: {m.title}" for m in programme_modules()]
        narrative = "Hold a current certificate for every module of the programme:\n\n"
    else:
        module = db.session.scalar(select(Module).where(Module.code == subject_key))
        if module is None:
            return None
        name = module.title
        description = (
            f"Awarded by {_issuer_name()} to learners assessed competent in every "
            f"learning outcome of {name}."
        )
        lines = [f"- {o.code}: {o.statement}" for o in module.current_outcomes]
        narrative = (
            "Pass the knowledge check and be judged Competent by an assessor in every "
            "learning outcome (confirmed by a moderator where sampled):\n\n"
        )
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": external_url("badges.badge_class", subject_key=subject_key),
        "name": name,
        "description": description,
        "image": external_url("static", filename=BADGE_IMAGE),
        "criteria": {"narrative": narrative + "\n".join(lines)},
        "issuer": external_url("badges.issuer"),
    }


def issuer() -> dict[str, Any]:
    """The issuer Profile: this site, with the address mail is sent from."""
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": external_url("badges.issuer"),
        "name": _issuer_name(),
        "url": site_url(),
        "email": parseaddr(str(current_app.config["MAIL_SENDER"]))[1],
    }


def assertion_url(code: str) -> str:
    return external_url("badges.assertion", code=code)


def hashed_identity(email: str, salt: str) -> str:
    """The IdentityHash of the spec: "sha256$" and the hex SHA-256 of email then salt."""
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def iso_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with its zone, as OB 2.0 requires of every DateTime."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _issuer_name() -> str:
    return str(current_app.config["SITE_NAME"])
