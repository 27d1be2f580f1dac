"""Certificates written straight into the register for the register, export and download
tests: many learners, subjects, dates and states without taking each through marking.

Each has a small stored file of its own, so archives and downloads can be compared byte for
byte. (Certificates issued by the real rule are used where the PDF itself matters.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates import storage
from lms.certificates.codes import new_code
from lms.certificates.models import PROGRAMME, Certificate
from lms.database import utcnow
from lms.extensions import db
from tests.conftest import UserFactory


def learner_named(make_user: UserFactory, full_name: str, email: str) -> User:
    """A learner in the test's session."""
    user = db.session.get(User, make_user(Role.LEARNER, full_name=full_name, email=email).id)
    assert user is not None
    return user


def stored_certificate(
    learner: User,
    *,
    subject_key: str = "A1",
    issued_at: datetime | None = None,
    expires_at: datetime | None = None,
    revoked_at: datetime | None = None,
    cycle: int = 1,
) -> Certificate:
    """A certificate row with a stored file, committed."""
    code = new_code()
    name, sha256, size = storage.keep(code, f"%PDF-1.7 certificate {code}\n".encode() * 40)
    certificate = Certificate(
        code=code,
        learner=learner,
        subject_key=subject_key,
        cycle=cycle,
        learner_name=learner.full_name,
        subject_title="Induction programme" if subject_key == PROGRAMME else "Welcome",
        achievements=[],
        assessor_names="Priya Naidoo",
        issued_at=issued_at or utcnow() - timedelta(days=10),
        expires_at=expires_at,
        revoked_at=revoked_at,
        revoke_reason="Issued in error" if revoked_at else None,
        pdf_name=name,
        pdf_sha256=sha256,
        pdf_size=size,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate
