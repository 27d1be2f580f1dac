"""The register HR keeps: who may open it, and each filter narrowing it in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates.models import PROGRAMME, Certificate, CertificateStatus
from lms.certificates.register import RegisterFilter, register_query, totals
from lms.cohorts import services as cohorts
from lms.content.models import Module
from lms.database import utcnow
from lms.extensions import db
from tests.certificates.test_register_world import learner_named, stored_certificate
from tests.conftest import UserFactory
from tests.marking.marking_steps import as_user
from tests.quiz_files import QuizWorld

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def three(app_context: None, world: QuizWorld, make_user: UserFactory) -> dict[str, Certificate]:
    """A valid, an expired (at NOW exactly) and a revoked certificate of three learners."""
    ayse = learner_named(make_user, "Ayşe Kaya", "ayse@example.com")
    jose = learner_named(make_user, "José Fernandes", "jose@example.com")
    dang = learner_named(make_user, "Đặng Văn Minh", "minh@example.com")
    return {
        "valid": stored_certificate(
            ayse, issued_at=NOW - timedelta(days=40), expires_at=NOW + timedelta(seconds=1)
        ),
        "expired": stored_certificate(
            jose, subject_key=PROGRAMME, issued_at=NOW - timedelta(days=400), expires_at=NOW
        ),
        "revoked": stored_certificate(
            dang, issued_at=NOW - timedelta(days=5), revoked_at=NOW - timedelta(days=1)
        ),
    }


def codes(criteria: RegisterFilter, now: datetime = NOW) -> list[str]:
    return [c.code for c in db.session.scalars(register_query(criteria, now=now))]


@pytest.mark.parametrize("status", list(CertificateStatus))
def test_status_filter_is_decided_in_the_query_at_the_given_time(
    three: dict[str, Certificate], status: CertificateStatus
) -> None:
    """Expiring exactly now counts as expired; revoked wins over any expiry."""
    assert codes(RegisterFilter(status=status)) == [three[status.value].code]
    assert three[status.value].status(NOW) is status


def test_without_filters_every_certificate_is_listed_newest_first(
    three: dict[str, Certificate],
) -> None:
    """Revoked ones stay in the register."""
    expected = [three["revoked"].code, three["valid"].code, three["expired"].code]
    assert codes(RegisterFilter()) == expected


def test_subject_filter(three: dict[str, Certificate]) -> None:
    assert codes(RegisterFilter(subject=PROGRAMME)) == [three["expired"].code]
    assert codes(RegisterFilter(subject="A1")) == [three["revoked"].code, three["valid"].code]


def test_cohort_filter_finds_learners_who_are_or_were_in_the_cohort(
    three: dict[str, Certificate], make_user: UserFactory, app: Flask, hr: User
) -> None:
    trainer = db.session.get(User, make_user(Role.TRAINER).id)
    assert trainer is not None
    module = db.session.scalars(select(Module)).first()
    assert module is not None
    plan = (cohorts.ModulePlan(module.id),)
    january, february = (
        cohorts.create_cohort(
            cohorts.CohortDetails(name=name, start_date=date(2026, 1, 5), modules=plan),
            actor=trainer,
        )
        for name in ("January", "February")
    )
    moved = cohorts.enrol(january, three["valid"].learner, actor=trainer, now=NOW)
    cohorts.move(moved, february, actor=trainer, now=NOW)
    cohorts.enrol(february, three["revoked"].learner, actor=trainer, now=NOW)
    db.session.commit()
    assert codes(RegisterFilter(cohort_id=january.id)) == [three["valid"].code]
    both = [three["revoked"].code, three["valid"].code]
    assert codes(RegisterFilter(cohort_id=february.id)) == both
    page = as_user(app, hr).get(f"/certificates/?cohort={january.id}").get_data(as_text=True)
    assert three["valid"].code in page
    assert three["revoked"].code not in page
    assert as_user(app, hr).get("/certificates/?cohort=999999").status_code == 400


def test_issued_and_expiry_date_filters(three: dict[str, Certificate]) -> None:
    """From is inclusive, before is exclusive; a certificate without expiry has no expiry date
    to fall in a range."""
    issued = RegisterFilter(issued_from=NOW - timedelta(days=41), issued_before=NOW)
    assert codes(issued) == [three["revoked"].code, three["valid"].code]
    expires = RegisterFilter(expires_from=NOW, expires_before=NOW + timedelta(days=1))
    assert codes(expires) == [three["valid"].code, three["expired"].code]


def test_learner_search_matches_printed_name_or_email(three: dict[str, Certificate]) -> None:
    assert codes(RegisterFilter(search="fernandes")) == [three["expired"].code]
    assert codes(RegisterFilter(search="MINH@example")) == [three["revoked"].code]
    assert codes(RegisterFilter(search="%")) == []  # a wildcard is taken literally


def test_totals_count_and_size_of_matching_pdfs(three: dict[str, Certificate]) -> None:
    count, size = totals(register_query(RegisterFilter(subject="A1"), now=NOW))
    assert (count, size) == (2, three["valid"].pdf_size + three["revoked"].pdf_size)


def test_register_page_lists_certificates_with_status_words(
    app: Flask, hr: User, three: dict[str, Certificate]
) -> None:
    page = as_user(app, hr).get("/certificates/")
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    for certificate in three.values():
        assert certificate.code in html
    assert "Ayşe Kaya" in html and "ayse@example.com" in html
    assert ">Valid<" in html and ">Revoked<" in html and ">Expired<" in html
    assert "Issued in error" in html  # the reason, for HR only
    assert "3 certificates match: 5 KB of PDFs" in html  # 3 files of 1,440 bytes


def test_register_page_filters_by_the_query_string(
    app: Flask, hr: User, three: dict[str, Certificate]
) -> None:
    """Status is judged at the time of the request: the valid one expires a second after NOW,
    long past, so today it is expired too."""
    html = as_user(app, hr).get("/certificates/?status=expired&q=a").get_data(as_text=True)

    assert three["expired"].code in html and three["valid"].code in html
    assert three["revoked"].code not in html


def test_register_status_today_in_the_page(app: Flask, hr: User, make_user: UserFactory) -> None:
    """A page-level check of each status against the real clock."""
    learner = learner_named(make_user, "Nomvula Dlamini-Müller", "nomvula@example.com")
    now = utcnow()
    valid = stored_certificate(learner, expires_at=now + timedelta(days=30))
    expired = stored_certificate(
        learner, subject_key=PROGRAMME, expires_at=now - timedelta(minutes=1)
    )
    client = as_user(app, hr)

    valid_page = client.get("/certificates/?status=valid").get_data(as_text=True)
    expired_page = client.get("/certificates/?status=expired").get_data(as_text=True)

    assert valid.code in valid_page and expired.code not in valid_page
    assert expired.code in expired_page and valid.code not in expired_page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lost", "Not a valid choice"),
        ("subject=Z9", "Not a valid choice"),
        ("issued_from=2026-13-45", "Not a valid date value"),
        ("expires_from=0001-01-01", "Enter a date in the years 1900 to 2999."),
        ("issued_from=2026-05-02&issued_to=2026-05-01", "The end date is before the start date."),
        ("q=" + "x" * 201, "Field cannot be longer than 200 characters."),
        ("q=a%00b", "This contains characters that are not allowed."),
        ("status=valid&status=revoked", "This was sent more than once."),
    ],
)
def test_bad_filter_values_show_the_field_error_and_still_render(
    app: Flask, hr: User, three: dict[str, Certificate], query: str, message: str
) -> None:
    page = as_user(app, hr).get(f"/certificates/?{query}")
    html = page.get_data(as_text=True)

    assert page.status_code == 400
    assert "There is a problem" in html and message in html
    assert three["valid"].code not in html  # nothing listed for filters that were refused


def test_bad_filter_on_the_csv_export_answers_with_the_form_not_a_file(
    app: Flask, hr: User, three: dict[str, Certificate]
) -> None:
    page = as_user(app, hr).get("/certificates/export.csv?issued_to=yesterday")

    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "Not a valid date value" in page.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ASSESSOR, Role.TRAINER, Role.MODERATOR])
def test_register_refuses_everyone_but_hr_and_admin(
    app: Flask, make_user: UserFactory, three: dict[str, Certificate], role: Role
) -> None:
    client = as_user(app, make_user(role))
    code = three["valid"].code

    assert client.get("/certificates/").status_code == 403
    assert client.get(f"/certificates/{code}").status_code == 403
    assert client.get("/certificates/export.csv").status_code == 403


@pytest.mark.parametrize("role", [Role.HR, Role.ADMIN])
def test_register_and_detail_open_for_hr_and_admin(
    app: Flask, make_user: UserFactory, three: dict[str, Certificate], role: Role
) -> None:
    client = as_user(app, make_user(role))
    certificate = three["revoked"]

    assert client.get("/certificates/").status_code == 200
    detail = client.get(f"/certificates/{certificate.code.lower()}")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert certificate.pdf_sha256 in html and "Issued in error" in html
    assert f"/certificates/{certificate.code}.pdf" in html


def test_unknown_code_on_the_detail_page_is_not_found(app: Flask, hr: User) -> None:
    client = as_user(app, hr)

    assert client.get("/certificates/AAAA-AAAA-AAAA").status_code == 404
    assert client.get("/certificates/not a code").status_code == 404
