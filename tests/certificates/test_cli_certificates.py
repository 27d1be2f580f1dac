"""`lms certificates list | revoke | issue | remind` against real certificates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import delete, select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cli import main
from lms.database import utcnow
from lms.extensions import db
from lms.learning.models import ModuleRestart
from tests.certificates.certificate_steps import certificates_of, certified
from tests.conftest import UserFactory
from tests.marking.marking_steps import module_a1, new_learner
from tests.quiz_files import QuizWorld

KEYS = {"code", "email", "learner", "subject", "issued", "expires", "status"}


def run(app: Flask, *args: str) -> Result:
    db.session.commit()
    result = app.test_cli_runner().invoke(main, ["certificates", *args])
    db.session.expire_all()
    return result


@pytest.fixture
def certificates(
    learner: User,
    assessor: User,
    moderator: User,
    world: QuizWorld,
    make_user: UserFactory,
) -> dict[str, Certificate]:
    """Two learners certified in A1 and the programme; Thandi's A1 certificate has expired."""
    module_a1().certificate_valid_months = 12
    db.session.commit()
    second = new_learner(world, make_user, full_name="José Đặng", email="jose@example.com")
    certified(learner, assessor, moderator)
    certified(second, assessor, moderator)
    thandi_a1, thandi_programme = certificates_of(learner)
    jose_a1, jose_programme = certificates_of(second)
    thandi_a1.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    return {
        "thandi-a1": thandi_a1,
        "thandi-programme": thandi_programme,
        "jose-a1": jose_a1,
        "jose-programme": jose_programme,
    }


def listed(app: Flask, *args: str) -> list[dict[str, object]]:
    result = run(app, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_list_as_json_gives_each_certificate_with_exactly_the_documented_keys(
    app: Flask, certificates: dict[str, Certificate]
) -> None:
    """Names as printed (accents kept), ISO 8601 UTC dates, no expiry as null."""
    rows = listed(app)

    assert len(rows) == 4 and all(set(row) == KEYS for row in rows)
    jose = next(r for r in rows if r["code"] == certificates["jose-a1"].code)
    assert jose["learner"] == "José Đặng" and jose["email"] == "jose@example.com"
    assert jose["subject"] == "A module" and jose["status"] == "valid"
    issued = datetime.fromisoformat(str(jose["issued"]))
    assert issued.utcoffset() == timedelta(0)
    programme = next(r for r in rows if r["code"] == certificates["jose-programme"].code)
    assert programme["expires"] is None
    assert programme["subject"] == "Contact Centre & BPO Induction"


def test_list_filters_by_status(app: Flask, certificates: dict[str, Certificate]) -> None:
    """--status narrows the list to valid, expired or revoked certificates."""
    revoked = certificates["jose-programme"].code
    assert run(app, "revoke", revoked, "--reason", "Issued in error").exit_code == 0

    assert [r["code"] for r in listed(app, "--status", "expired")] == [
        certificates["thandi-a1"].code
    ]
    assert [r["code"] for r in listed(app, "--status", "revoked")] == [revoked]
    valid = {r["code"] for r in listed(app, "--status", "valid")}
    assert valid == {certificates["thandi-programme"].code, certificates["jose-a1"].code}
    assert run(app, "list", "--status", "lost").exit_code == 2


def test_list_prints_a_readable_table_by_default(
    app: Flask, certificates: dict[str, Certificate]
) -> None:
    """One line per certificate with code, status, dates, learner and subject."""
    result = run(app, "list")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    expired = next(line for line in lines if line.startswith(certificates["thandi-a1"].code))
    assert "expired" in expired and "Thandi Mokoena" in expired and "A module" in expired
    programme = next(line for line in lines if certificates["jose-programme"].code in line)
    assert "never" in programme and "José Đặng" in programme


def test_revoke_records_the_reason_and_keeps_the_certificate(
    app: Flask, certificates: dict[str, Certificate]
) -> None:
    """The code may be typed in lower case; the certificate is revoked, not removed."""
    code = certificates["jose-a1"].code

    result = run(app, "revoke", code.lower(), "--reason", "Identity fraud")

    assert result.exit_code == 0, result.output
    assert code in result.stdout
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    assert certificate is not None
    assert certificate.revoked_at is not None and certificate.revoke_reason == "Identity fraud"
    assert certificate.revoked_by_id is None


def test_revoke_refuses_an_unknown_code_or_an_empty_reason_and_changes_nothing(
    app: Flask, certificates: dict[str, Certificate]
) -> None:
    """Each error is on stderr with exit code 1; no certificate becomes revoked."""
    unknown = run(app, "revoke", "AAAA-BBBB-CCCC", "--reason", "Fraud")
    assert unknown.exit_code == 1
    assert "No certificate has the code" in unknown.stderr

    empty = run(app, "revoke", certificates["jose-a1"].code, "--reason", "   ")
    assert empty.exit_code == 1
    assert "Give the reason" in empty.stderr

    assert listed(app, "--status", "revoked") == []


def test_issue_catches_up_certificates_that_were_not_issued(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Earned but missing (a server without Pango at the time): issued once, then nothing."""
    certified(learner, assessor, moderator)
    db.session.execute(delete(Certificate))
    db.session.commit()

    first = run(app, "issue")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "Issued 2 certificate(s)."
    assert {c.subject_key for c in certificates_of(learner)} == {"A1", "PROGRAMME"}
    assert run(app, "issue").stdout.strip() == "Issued 0 certificate(s)."


def test_remind_reports_what_it_sent_and_reopens_expired_modules(
    app: Flask, outbox: Path, certificates: dict[str, Certificate]
) -> None:
    """The expired A1 certificate gets its expiry notice and a restart; a rerun does nothing."""
    code = certificates["thandi-a1"].code

    result = run(app, "remind")

    assert result.exit_code == 0, result.output
    assert f"({code}, expired)" in result.stdout
    assert f"in A1 again ({code} expired)" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 reminder(s), 1 recertification(s)."
    restarts = db.session.scalars(select(ModuleRestart.certificate_code))
    assert list(restarts) == [code]
    assert len(list(outbox.glob("*.eml"))) > 0
    again = run(app, "remind")
    assert again.stdout.splitlines() == ["0 reminder(s), 0 recertification(s)."]
