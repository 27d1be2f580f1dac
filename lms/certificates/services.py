"""Finding certificates and deciding who may see which."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates.codes import normalise_code
from lms.certificates.models import Certificate
from lms.extensions import db

# Who may open any learner's certificate: HR and administrators keep the register; trainers
# follow their learners.
CERTIFICATE_STAFF = (Role.HR, Role.ADMIN, Role.TRAINER)


def find_by_code(typed: str) -> Certificate | None:
    """The certificate with this code, however it was typed; None if there is none."""
    code = normalise_code(typed)
    if code is None:
        return None
    query = (
        select(Certificate).where(Certificate.code == code).options(joinedload(Certificate.learner))
    )
    return db.session.scalar(query)


def certificate_for(user: User, typed: str) -> Certificate | None:
    """The certificate if `user` may download it: their own, or any for certificate staff."""
    certificate = find_by_code(typed)
    if certificate is None:
        return None
    if certificate.learner_id == user.id or user.has_role(*CERTIFICATE_STAFF):
        return certificate
    return None


def certificates_of(learner: User) -> list[Certificate]:
    """The learner's certificates, newest first."""
    query = (
        select(Certificate)
        .where(Certificate.learner_id == learner.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return list(db.session.scalars(query))
