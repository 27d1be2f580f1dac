"""Certificates: what was printed for whom and when, and what has happened to it since.

A certificate keeps the words it was printed with (the learner's name, the subject, each
outcome, the assessors), so the register, the verification page and a re-download all say
what the PDF says even after a name or a module changes. The PDF itself is rendered once, at
issue, and stored; its SHA-256 is kept here.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.content.models import Module
from lms.database import UTCDateTime, utcnow
from lms.extensions import Model

# The subject key of the programme certificate; a module certificate's key is the module code.
PROGRAMME = "PROGRAMME"


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Certificate(Model):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("learner_id", "subject_key", "cycle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(14), unique=True)  # XXXX-XXXX-XXXX
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"), index=True)
    subject_key: Mapped[str] = mapped_column(String(20), index=True)  # module code or PROGRAMME
    # 1 for the first award; each recertification of an expired module adds one.
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    # As printed.
    learner_name: Mapped[str] = mapped_column(String(200))
    subject_title: Mapped[str] = mapped_column(String(200))
    # [{"code", "title", "outcomes": [{"code", "statement"}]}], one entry per module covered.
    achievements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    assessor_names: Mapped[str] = mapped_column(String(400))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    revoke_reason: Mapped[str | None] = mapped_column(Text, default=None)  # private: staff only
    pdf_name: Mapped[str] = mapped_column(String(80))  # file in instance/certificates/
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int] = mapped_column(Integer)
    # Salts the Open Badges recipient hash; kept, so the hash outlives a change of secret key.
    badge_salt: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    module: Mapped[Module | None] = relationship()
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_programme(self) -> bool:
        return self.subject_key == PROGRAMME

    def status(self, now: datetime) -> CertificateStatus:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.subject_key}>"


class CertificateReminder(Model):
    """A reminder of expiry that was sent: one per certificate and stage, so a second run of
    the daily command on the same day sends nothing again."""

    __tablename__ = "certificate_reminders"
    __table_args__ = (UniqueConstraint("certificate_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))  # "30-days", "7-days", "expiry-day"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertificateTemplate(Model):
    """The certificate's wording and logo, edited in settings; one row (id 1), created with the
    defaults on first use."""

    __tablename__ = "certificate_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    heading: Mapped[str] = mapped_column(String(120))
    statement: Mapped[str] = mapped_column(String(400))
    signatory: Mapped[str] = mapped_column(String(200))
    footer: Mapped[str] = mapped_column(String(400))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # PNG or JPEG
    logo_type: Mapped[str | None] = mapped_column(String(20), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
