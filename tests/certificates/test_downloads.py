"""Getting certificates out: one stored PDF, the register as CSV, and many PDFs as a ZIP."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates import storage
from lms.certificates.downloads import download_name
from lms.certificates.models import PROGRAMME, Certificate
from lms.cohorts import services as cohorts
from lms.content.models import Module
from lms.database import utcnow
from lms.extensions import db
from tests.certificates.certificate_steps import certified
from tests.certificates.test_register_world import learner_named, stored_certificate
from tests.conftest import UserFactory, csrf_token
from tests.marking.marking_steps import as_user
from tests.quiz_files import QuizWorld


@pytest.fixture
def issued(learner: User, assessor: User, moderator: User) -> list[Certificate]:
    """The learner's real certificates: module A1 and the programme."""
    module_certificate = certified(learner, assessor, moderator)
    programme = db.session.scalar(
        select(Certificate).where(
            Certificate.learner_id == learner.id, Certificate.subject_key == PROGRAMME
        )
    )
    assert programme is not None
    return [module_certificate, programme]


def events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def test_downloading_serves_the_stored_file_with_a_readable_name(
    app: Flask, learner: User, issued: list[Certificate]
) -> None:
    certificate = issued[0]
    with as_user(app, learner).get(f"/certificates/{certificate.code}.pdf") as answer:
        body = answer.get_data()
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == certificate.pdf_sha256
    disposition = answer.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={download_name(certificate)}"
    assert download_name(certificate) == f"Certificate-A1-Thandi-Mokoena-{certificate.code}.pdf"


def test_asking_again_with_the_certificates_checksum_is_answered_not_modified(
    app: Flask, learner: User, issued: list[Certificate]
) -> None:
    """The stored file never changes, so its SHA-256 is its ETag."""
    certificate, client = issued[0], as_user(app, learner)
    with client.get(f"/certificates/{certificate.code}.pdf") as first:
        assert first.headers["ETag"] == f'"{certificate.pdf_sha256}"'
    again = {"If-None-Match": f'"{certificate.pdf_sha256}"'}
    with client.get(f"/certificates/{certificate.code}.pdf", headers=again) as answer:
        assert answer.status_code == 304 and answer.get_data() == b""
    other = {"If-None-Match": '"0000"'}
    with client.get(f"/certificates/{certificate.code}.pdf", headers=other) as answer:
        assert answer.status_code == 200 and answer.get_data().startswith(b"%PDF")


def test_another_learners_certificate_is_not_found(
    app: Flask, world: QuizWorld, make_user: UserFactory, issued: list[Certificate]
) -> None:
    """404, not 403: a stranger learns nothing about whether the code exists."""
    other = as_user(app, make_user(Role.LEARNER))

    assert other.get(f"/certificates/{issued[0].code}.pdf").status_code == 404


def read_csv(answer_body: bytes) -> list[dict[str, str]]:
    text = answer_body.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def test_csv_export_neutralises_every_hostile_learner_name(
    app: Flask, hr: User, world: QuizWorld, make_user: UserFactory
) -> None:
    learner = learner_named(make_user, "Nomvula Dlamini-Müller", "nomvula@example.com")
    made = []
    for position, name in enumerate(HOSTILE):
        certificate = stored_certificate(learner, cycle=position + 1)
        certificate.learner_name = name  # the name as it was printed
        made.append(certificate)
    db.session.commit()

    answer = as_user(app, hr).get("/certificates/export.csv")

    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.is_streamed
    today = utcnow().astimezone(ZoneInfo(app.config["TIMEZONE"])).date().isoformat()
    assert f'filename="certificates-{today}.csv"' in answer.headers["Content-Disposition"]
    rows = read_csv(answer.get_data())
    assert list(rows[0]) == [
        "code",
        "learner",
        "email",
        "subject",
        "issued",
        "expires",
        "status",
        "revoked_at",
    ]
    names = {row["code"]: row["learner"] for row in rows}
    assert names == {c.code: "'" + c.learner_name for c in made}
    assert {row["email"] for row in rows} == {"nomvula@example.com"}
    assert {row["status"] for row in rows} == {"valid"}
    (event,) = events("certificates.exported")
    assert event.actor_id == hr.id and event.details == {"filters": {}, "rows": len(HOSTILE)}


def test_csv_export_follows_the_filters_and_keeps_accents(
    app: Flask, hr: User, world: QuizWorld, make_user: UserFactory
) -> None:
    ayse = learner_named(make_user, "Ayşe Kaya", "ayse@example.com")
    kept = stored_certificate(ayse, revoked_at=utcnow() - timedelta(days=1))
    stored_certificate(ayse, subject_key=PROGRAMME)

    answer = as_user(app, hr).get("/certificates/export.csv?status=revoked&subject=A1")

    (row,) = read_csv(answer.get_data())
    assert (row["code"], row["learner"], row["status"]) == (kept.code, "Ayşe Kaya", "revoked")
    assert row["subject"] == "A1 Welcome" and row["revoked_at"].startswith("20")
    assert row["expires"] == ""
    (event,) = events("certificates.exported")
    assert event.details == {"filters": {"status": "revoked", "subject": "A1"}, "rows": 1}


def zip_post(client: FlaskClient, data: dict[str, object]) -> tuple[int, bytes, dict[str, str]]:
    token = csrf_token(client, "/certificates/")
    answer = client.post("/certificates/download.zip", data={"csrf_token": token, **data})
    return answer.status_code, answer.get_data(), dict(answer.headers)


def test_zip_of_chosen_certificates_holds_each_stored_pdf_byte_for_byte(
    app: Flask, hr: User, issued: list[Certificate]
) -> None:
    status, body, headers = zip_post(as_user(app, hr), {"code": [c.code for c in issued]})

    assert status == 200 and headers["Content-Type"] == "application/zip"
    assert int(headers["Content-Length"]) == len(body)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(download_name(c) for c in issued)
    for certificate in issued:
        stored = storage.path_of(certificate.pdf_name).read_bytes()
        assert archive.read(download_name(certificate)) == stored
        assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256
    (event,) = events("certificates.downloaded")
    assert event.details == {"count": 2, "missing": [], "all": False}


def test_zip_of_all_matching_follows_the_filters_carried_by_the_form(
    app: Flask, hr: User, world: QuizWorld, make_user: UserFactory
) -> None:
    jose = learner_named(make_user, "José Fernandes", "jose@example.com")
    wanted = [stored_certificate(jose), stored_certificate(jose, cycle=2)]
    stored_certificate(jose, subject_key=PROGRAMME)

    status, body, _headers = zip_post(
        as_user(app, hr), {"all": "y", "subject": "A1", "q": "josé", "status": ""}
    )

    assert status == 200
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert sorted(archive.namelist()) == sorted(download_name(c) for c in wanted)
    assert events("certificates.downloaded")[0].details["all"] is True


def test_a_missing_stored_file_is_listed_inside_the_zip(
    app: Flask, hr: User, world: QuizWorld, make_user: UserFactory
) -> None:
    learner = learner_named(make_user, "José Fernandes", "jose@example.com")
    present, gone = stored_certificate(learner), stored_certificate(learner, cycle=2)
    storage.discard(gone.pdf_name)

    status, body, _headers = zip_post(as_user(app, hr), {"code": [present.code, gone.code]})

    archive = zipfile.ZipFile(io.BytesIO(body))
    assert status == 200
    assert sorted(archive.namelist()) == sorted(
        [download_name(present), "missing-certificates.txt"]
    )
    assert gone.code in archive.read("missing-certificates.txt").decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "No certificates were chosen"),
        ({"code": "AAAA-AAAA-AAAA"}, "No certificates were chosen"),
        ({"code": "not a code"}, "is not a certificate code"),
        ({"all": "y", "issued_from": "someday"}, "Not a valid date value"),
    ],
)
def test_an_empty_or_bad_zip_request_says_why_and_sends_no_archive(
    app: Flask, hr: User, issued: list[Certificate], data: dict[str, str], message: str
) -> None:
    client = as_user(app, hr)
    status, _body, headers = zip_post(client, data)

    assert status == 303 and "/certificates/" in headers["Location"]
    assert message in client.get(headers["Location"]).get_data(as_text=True)
    assert events("certificates.downloaded") == []


def test_zip_without_the_forms_token_is_refused(
    app: Flask, hr: User, issued: list[Certificate]
) -> None:
    answer = as_user(app, hr).post("/certificates/download.zip", data={"code": issued[0].code})

    assert answer.status_code == 400 and answer.mimetype != "application/zip"


def test_a_learner_cannot_download_a_zip(
    app: Flask, learner: User, issued: list[Certificate]
) -> None:
    client = as_user(app, learner)
    token = csrf_token(client, "/dashboard/learner")
    answer = client.post(
        "/certificates/download.zip", data={"csrf_token": token, "code": issued[0].code}
    )

    assert answer.status_code == 403


def test_a_trainer_downloads_the_certificates_of_their_cohorts_learners_only(
    app: Flask, make_user: UserFactory, learner: User, issued: list[Certificate]
) -> None:
    """Once the learner is in a cohort, its trainer may download their certificate and a
    trainer of another cohort finds nothing, as a stranger would."""
    theirs = db.session.get(User, make_user(Role.TRAINER).id)
    other = db.session.get(User, make_user(Role.TRAINER).id)
    assert theirs is not None and other is not None
    module = db.session.get(Module, issued[0].module_id)
    assert module is not None
    for trainer, name in ((theirs, "January"), (other, "February")):
        details = cohorts.CohortDetails(
            name=name, start_date=date(2026, 1, 5), modules=(cohorts.ModulePlan(module.id),)
        )
        made = cohorts.create_cohort(details, actor=trainer)
        if trainer is theirs:
            cohorts.enrol(made, learner, actor=trainer, now=utcnow())
    db.session.commit()
    path = f"/certificates/{issued[0].code}.pdf"
    with as_user(app, theirs).get(path) as answer:
        assert answer.status_code == 200 and answer.get_data().startswith(b"%PDF")
    assert as_user(app, other).get(path).status_code == 404
