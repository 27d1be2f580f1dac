"""The certificates benchmark's instance: an HR account, 500 learners and 500 certificates.

The certificates are not rendered one by one: one real PDF (a five-module programme
certificate) is rendered and stored under 500 codes, with the rows inserted directly, because
the serving and ZIP measures only read stored files.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from lms import create_app
from lms.auth import services as accounts
from lms.auth.roles import Role
from lms.certificates import storage
from lms.certificates.codes import ALPHABET
from lms.certificates.models import PROGRAMME, Certificate
from lms.certificates.rendering import certificate_values, render_certificate
from lms.extensions import db

CERTIFICATES = 500
HR_EMAIL, PASSWORD = "hr.bench@example.com", "bench password 2026"
ISSUED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def build_instance(instance: Path) -> tuple[list[str], int]:
    """Migrate, add HR and 500 learners, store 500 copies of one real PDF; their codes and the
    size of the PDF."""
    from flask_migrate import upgrade

    os.environ["LMS_INSTANCE_PATH"] = str(instance)
    app = create_app({"SECURE_COOKIES": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade()
        accounts.create_user(
            email=HR_EMAIL, full_name="Bench HR", password=PASSWORD, roles=[Role.HR], actor=None
        )
        learners = [
            accounts.create_user(
                email=f"learner{i}@example.com",
                full_name=f"Learner {i:03d} Dlamini-Müller",
                password=PASSWORD,
                roles=[Role.LEARNER],
                actor=None,
            )
            for i in range(CERTIFICATES)
        ]
        db.session.flush()
        pdf = render_certificate(certificate_values(sample(learners[0].id, bench_code(0))))
        rows = []
        for number, learner in enumerate(learners):
            code = bench_code(number)
            name, sha256, size = storage.keep(code, pdf)
            rows.append(row(sample(learner.id, code, learner.full_name), name, sha256, size))
        db.session.execute(insert(Certificate), rows)
        db.session.commit()
        codes = [r["code"] for r in rows]
        db.session.remove()
        db.engine.dispose()
    return codes, len(pdf)


def bench_code(number: int) -> str:
    """A well-formed code of its own for each number: BNCH-xxxx-xxxx in the code alphabet."""
    symbols = ""
    for _ in range(8):
        number, digit = divmod(number, len(ALPHABET))
        symbols = ALPHABET[digit] + symbols
    return f"BNCH-{symbols[:4]}-{symbols[4:]}"


def sample(learner_id: int, code: str, name: str = "Nomvula Dlamini-Müller") -> Certificate:
    """A five-module programme certificate as issuing makes it (not added to the session)."""
    return Certificate(
        code=code,
        learner_id=learner_id,
        subject_key=PROGRAMME,
        cycle=1,
        learner_name=name,
        subject_title="Contact Centre & BPO Induction",
        achievements=[
            {
                "code": f"M{m}",
                "title": f"Module {m}",
                "outcomes": [
                    {"code": f"M{m}-LO{o}", "statement": "Handle the call as the guide says."}
                    for o in range(1, 4)
                ],
            }
            for m in range(1, 6)
        ],
        assessor_names="Priya Naidoo, Johan van Wyk",
        issued_at=ISSUED,
        expires_at=None,
    )


def row(certificate: Certificate, name: str, sha256: str, size: int) -> dict[str, Any]:
    columns = ("code", "learner_id", "subject_key", "cycle", "learner_name", "subject_title")
    values = {column: getattr(certificate, column) for column in columns}
    return {
        **values,
        "achievements": certificate.achievements,
        "assessor_names": certificate.assessor_names,
        "issued_at": certificate.issued_at,
        "pdf_name": name,
        "pdf_sha256": sha256,
        "pdf_size": size,
    }
