"""One learner's transcript, as a page and a PDF, and who may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services
from lms.database import utcnow
from lms.extensions import db
from lms.learning import services as learning
from lms.pdf import PdfUnavailable
from tests.assessments.attempt_steps import pass_knowledge_check
from tests.certificates.certificate_steps import (
    certificates_of,
    confirm_sample,
    judged_competent,
)
from tests.conftest import UserFactory
from tests.pdf_checks import pdftotext
from tests.reports.conftest import (
    TODAY,
    LearnerMaker,
    Organisation,
    client_for,
    enrol,
    make_cohort,
    person,
)

STATEMENT = "I have read the code of conduct and will follow it."


def read_every_lesson(learner: User, code: str) -> None:
    """Complete each lesson of the module through the learning services, acknowledging the
    policy lesson's statement."""
    modules = learning.progress_in(learner, learning.enrolled_modules(learner))
    module = next(m for m in modules if m.module.code == code)
    for status in module.lessons:
        learning.complete_lesson(
            learner, status, revision_id=status.revision.id, acknowledged=True, now=utcnow()
        )
    db.session.commit()


@pytest.fixture
def thandi(
    organisation: Organisation,
    make_learner: LearnerMaker,
    trainer: User,
    assessor: User,
    moderator: User,
) -> User:
    """In Vela Wave 1 after a move from another wave; read A1, passed its knowledge check,
    judged Competent on both outcomes (confirmed by moderation) and so certified in A1."""
    learner = make_learner("Thandi Mokoena", email="thandi@example.com", employee_number="EMP-777")
    first = make_cohort(trainer, "Sizwe Wave 0", due_days={"A1": 5})
    enrol(first, learner, actor=trainer)
    membership = services.current_membership(learner.id)
    assert membership is not None
    services.move(membership, organisation.wave1, actor=trainer, now=utcnow(), note="Client change")
    db.session.commit()
    read_every_lesson(learner, "A1")
    pass_knowledge_check(learner)
    judged_competent(learner, assessor)
    confirm_sample(learner, moderator)
    assert certificates_of(learner)
    return learner


def test_the_transcript_page_shows_the_whole_record(
    app: Flask, thandi: User, hr: User, assessor: User
) -> None:
    response = client_for(app, hr).get(f"/records/learners/{thandi.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    (certificate,) = certificates_of(thandi)
    for expected in (
        "Thandi Mokoena",
        "thandi@example.com",
        "EMP-777",
        "Vela Wave 1 (Enrolled)",
        "Sizwe Wave 0",
        "Moved to another cohort: Client change",
        "A1: A module",
        "Certified",
        "First steps",
        f"“{STATEMENT}”",
        "Quiz knowledge-check",
        "Passed",
        "100 %",
        "A1-LO1",
        "A1-LO2",
        assessor.full_name,
        certificate.code,
        "B2: A module",
        "Not started",
    ):
        assert expected in page, expected
    assert page.count(">Competent<") == 2
    assert f'href="/records/learners/{thandi.id}/transcript.pdf"' in page


def test_only_final_decisions_reach_the_transcript(
    app: Flask, organisation: Organisation, make_learner: LearnerMaker, hr: User, assessor: User
) -> None:
    """Judgements waiting for moderation are not on it yet."""
    learner = make_learner("Zodwa Khanyile")
    read_every_lesson(learner, "A1")
    pass_knowledge_check(learner)
    judged_competent(learner, assessor)
    page = client_for(app, hr).get(f"/records/learners/{learner.id}").get_data(as_text=True)
    assert "Awaiting marking" in page
    assert "No final decisions yet." in page
    assert "A1-LO1" not in page


def test_the_transcript_pdf_reads_back_with_the_same_record(
    app: Flask, thandi: User, hr: User, assessor: User
) -> None:
    response = client_for(app, hr).get(f"/records/learners/{thandi.id}/transcript.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "transcript-thandi-mokoena-" in response.headers["Content-Disposition"]
    text = pdftotext(response.get_data())
    (certificate,) = certificates_of(thandi)
    for expected in (
        "Transcript: Thandi Mokoena",
        "EMP-777",
        "Sizwe Wave 0",
        "Moved to another cohort: Client change",
        "A1: A module",
        "Certified",
        "Code of conduct",
        STATEMENT,
        "Quiz knowledge-check",
        "Passed",
        "A1-LO1",
        "A1-LO2",
        assessor.full_name,
        certificate.code,
        "B2: A module",
        "Not started",
    ):
        # Each alone: pdftotext may read a heading and the table beside it in either order.
        assert expected in text, expected
    assert text.count("Competent") == 2  # the two final decisions
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "transcript.exported")
    ).one()
    assert (event.actor_id, event.object_id) == (hr.id, str(thandi.id))


def test_without_pango_the_pdf_answers_503(
    app: Flask, thandi: User, hr: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(_html: str, **_kwargs: object) -> bytes:
        raise PdfUnavailable("PDF rendering needs Pango on the server")

    monkeypatch.setattr("lms.pdf.render_pdf", missing)
    response = client_for(app, hr).get(f"/records/learners/{thandi.id}/transcript.pdf")
    assert response.status_code == 503
    assert "Pango" in response.get_data(as_text=True)


def test_a_learner_reads_their_own_transcript_and_no_one_elses(
    app: Flask, thandi: User, organisation: Organisation
) -> None:
    client = client_for(app, thandi)
    page = client.get("/records/me").get_data(as_text=True)
    assert "Your transcript" in page and "EMP-777" in page
    assert 'href="/records/me/transcript.pdf"' in page
    pdf = client.get("/records/me/transcript.pdf")
    assert pdf.status_code == 200 and "Thandi Mokoena" in pdftotext(pdf.get_data())
    for path in (
        f"/records/learners/{organisation.amahle.id}",
        f"/records/learners/{thandi.id}",
        f"/records/learners/{thandi.id}/transcript.pdf",
        "/records/",
    ):
        assert client.get(path).status_code == 403
    assert (
        db.session.scalars(
            select(AuditEvent.id).where(AuditEvent.action == "transcript.exported")
        ).all()
        == []
    )


def test_a_trainer_reads_the_transcripts_of_their_cohorts_learners_only(
    app: Flask, thandi: User, organisation: Organisation, trainer: User, other_trainer: User
) -> None:
    ours = client_for(app, trainer)
    assert ours.get(f"/records/learners/{thandi.id}").status_code == 200
    assert ours.get(f"/records/learners/{organisation.cebo.id}").status_code == 200  # withdrawn
    theirs = client_for(app, other_trainer)
    for path in (
        f"/records/learners/{thandi.id}",
        f"/records/learners/{thandi.id}/transcript.pdf",
        f"/records/learners/{organisation.amahle.id}",
    ):
        assert theirs.get(path).status_code == 404, path
    assert theirs.get(f"/records/learners/{organisation.elias.id}").status_code == 200


def test_hr_reads_every_transcript_and_unknown_ones_are_404(
    app: Flask, organisation: Organisation, hr: User, make_user: UserFactory
) -> None:
    client = client_for(app, hr)
    for learner in (organisation.amahle, organisation.cebo, organisation.dudu, organisation.elias):
        page = client.get(f"/records/learners/{learner.id}")
        assert page.status_code == 200
        assert learner.full_name in page.get_data(as_text=True)
    staff = person(make_user, Role.ASSESSOR)
    for missing in (staff.id, 999999, 2**40):
        assert client.get(f"/records/learners/{missing}").status_code == 404


def test_a_self_paced_learner_has_every_module_and_no_cohort(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    page = (
        client_for(app, hr).get(f"/records/learners/{organisation.dudu.id}").get_data(as_text=True)
    )
    assert "Never in a cohort" in page
    assert "A1: A module" in page and "B2: A module" in page
    assert "Self-paced (Enrolled)" in page


def test_due_dates_and_overdue_show_on_the_transcript(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    page = (
        client_for(app, hr)
        .get(f"/records/learners/{organisation.amahle.id}")
        .get_data(as_text=True)
    )
    a1 = page[page.index("A1: A module") : page.index("B2: A module")]
    assert f"<dd>{TODAY - timedelta(days=8):%d %b %Y} <span" in a1 and "Overdue" in a1
    b2 = page[page.index("B2: A module") :]
    assert f"<dd>{TODAY + timedelta(days=30):%d %b %Y}</dd>" in b2 and "Overdue" not in b2
