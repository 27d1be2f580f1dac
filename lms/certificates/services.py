"""Finding certificates and deciding who may see which."""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates.codes import normalise_code
from lms.certificates.downloads import file_name
from lms.certificates.models import Certificate
from lms.cohorts.services import reaches_learner
from lms.extensions import db


def verify_limit() -> str:
    """Lookups allowed per address on the public pages and badge assertions: each answers
    whether a code exists, so codes must not be tried in bulk."""
    return str(current_app.config["VERIFY_LIMIT_PER_ADDRESS"])


def find_by_code(typed: str) -> Certificate | None:
    """The certificate with this code, however it was typed; None if there is none."""
    code = normalise_code(typed)
    if code is None:
        return None
    query = (
        select(Certificate).where(Certificate.code == code).options(joinedload(Certificate.learner))
    )
    return db.session.scalar(query)


class StoredPdf(NamedTuple):
    """What a download needs of a certificate: read as a few columns, not a whole row, because
    serving stored PDFs is the busiest certificate path (bench/certificates.py)."""

    learner_id: int
    pdf_name: str
    sha256: str
    download_name: str


STORED_PDF = select(
    Certificate.learner_id,
    Certificate.pdf_name,
    Certificate.pdf_sha256,
    Certificate.subject_key,
    Certificate.learner_name,
).where(Certificate.code == bindparam("code"))


def stored_pdf_for(user: User, typed: str) -> StoredPdf | None:
    """The certificate's stored PDF if `user` may download it: their own; any for HR and
    admins; a trainer's cohorts' learners' (`reaches_learner`). None when there is no such
    certificate or it is not theirs to read."""
    code = normalise_code(typed)
    if code is None:
        return None
    row = db.session.execute(STORED_PDF, {"code": code}).one_or_none()
    if row is None or not _may_download(user, row.learner_id):
        return None
    name = file_name(code, row.subject_key, row.learner_name)
    return StoredPdf(row.learner_id, row.pdf_name, row.pdf_sha256, name)


def _may_download(user: User, learner_id: int) -> bool:
    if learner_id == user.id or user.has_role(Role.HR, Role.ADMIN):
        return True
    return user.has_role(Role.TRAINER) and reaches_learner(user, learner_id)


def certificates_of(learner: User) -> list[Certificate]:
    """The learner's certificates, newest first."""
    query = (
        select(Certificate)
        .where(Certificate.learner_id == learner.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return list(db.session.scalars(query))
