"""Expiry reminders through a real SMTP server on loopback: 30 days, 7 days and the day itself,
each sent once, the most urgent only after missed days, with one summary per trainer."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates.models import Certificate, CertificateReminder
from lms.certificates.reminders import ReminderReport, days_left, send_reminders
from lms.cohorts import services as cohorts
from lms.content.models import Module
from lms.extensions import db
from lms.notifications import Notification
from tests.certificates.certificate_steps import NOW, certified
from tests.conftest import UserFactory
from tests.marking.marking_steps import as_user, module_a1
from tests.smtp_mailbox import SITE, Mailbox, mailbox, mailing_app

__all__ = ["mailbox", "mailing_app"]

# Certified at NOW (1 December 2026, 09:00 UTC) for 12 months: A1 expires on 1 December 2027,
# 11:00 in Johannesburg. The programme certificate never expires.
EXPIRES = datetime(2027, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def certificate(learner: User, assessor: User, moderator: User) -> Certificate:
    """Thandi's A1 certificate, valid for 12 months."""
    module_a1().certificate_valid_months = 12
    db.session.commit()
    issued = certified(learner, assessor, moderator)
    assert issued.expires_at == EXPIRES
    return issued


@pytest.fixture
def trainer(make_user: UserFactory) -> User:
    return make_user(Role.TRAINER, full_name="Lerato Khumalo", email="lerato@example.com")


def remind(app: Flask, now: datetime) -> ReminderReport:
    """One run of the daily command at `now`, in the mailing app, committed."""
    db.session.commit()  # the test's own session holds nothing open meanwhile
    with app.app_context():
        report = send_reminders(now=now)
        db.session.commit()
    db.session.expire_all()
    return report


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no plain-text part"
    return str(body.get_content())


def test_reminders_go_out_at_30_days_7_days_and_on_the_day_once_each(
    app: Flask,
    mailing_app: Flask,
    mailbox: Mailbox,
    certificate: Certificate,
    learner: User,
    trainer: User,
) -> None:
    """31 days before: nothing; at 30: the learner and a trainer summary; again the same day:
    nothing; at 7 and on the day: one each."""
    assert remind(mailing_app, EXPIRES - timedelta(days=31)).sent == []
    assert mailbox.take() == []

    report = remind(mailing_app, EXPIRES - timedelta(days=30))
    assert [(r.code, r.stage, r.days_left) for r in report.sent] == [(certificate.code, 30, 30)]
    assert report.trainers == ["lerato@example.com"]
    (to_learner, reminder), (to_trainer, summary) = mailbox.take()
    assert to_learner == [learner.email]
    assert reminder["Subject"] == "Your certificate expires in 30 days: A module"
    body = text_of(reminder)
    assert "expires in 30 days, on 1 December 2027" in body
    assert "enrolled in it again" in body  # a module that expires is a compliance module
    assert to_trainer == ["lerato@example.com"]
    assert summary["Subject"] == "Certificates expiring: 1 learner reminded"
    assert f"Thandi Mokoena ({learner.email}): A module, expires on 1 December 2027" in (
        text_of(summary)
    )

    assert remind(mailing_app, EXPIRES - timedelta(days=30, hours=-10)).sent == []
    assert mailbox.take() == []

    assert [r.stage for r in remind(mailing_app, EXPIRES - timedelta(days=7)).sent] == [7]
    subjects = [message["Subject"] for _, message in mailbox.take()]
    assert subjects == [
        "Your certificate expires in 7 days: A module",
        "Certificates expiring: 1 learner reminded",
    ]

    on_the_day = EXPIRES - timedelta(hours=3)  # 08:00 in Johannesburg
    assert [r.stage for r in remind(mailing_app, on_the_day).sent] == [0]
    [(_, last), _summary] = mailbox.take()
    assert last["Subject"] == "Your certificate expires today: A module"
    assert remind(mailing_app, EXPIRES + timedelta(days=1)).sent == []
    assert mailbox.take() == []
    stages = db.session.scalars(select(CertificateReminder.stage).order_by(CertificateReminder.id))
    assert list(stages) == ["30-days", "7-days", "expiry-day"]


def test_the_links_in_a_reminder_are_absolute_and_open_the_certificate(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, certificate: Certificate, learner: User
) -> None:
    """The verification link answers anyone; the download link gives the learner the PDF."""
    remind(mailing_app, EXPIRES - timedelta(days=30))
    [(_, reminder)] = mailbox.take()
    links = re.findall(r"https?://\S+", text_of(reminder))
    verify, download = links
    assert verify == f"{SITE}/verify/{certificate.code}"
    assert download.startswith(SITE + "/")
    page = app.test_client().get(verify.removeprefix(SITE))
    assert page.status_code == 200
    assert "Thandi Mokoena" in page.get_data(as_text=True)
    with as_user(app, learner).get(download.removeprefix(SITE)) as pdf:
        assert pdf.status_code == 200
        assert pdf.data.startswith(b"%PDF")


def test_a_missed_week_sends_only_the_most_urgent_stage(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, certificate: Certificate, trainer: User
) -> None:
    """First run 5 days before expiry: one 7-day reminder, never the 30-day one after it."""
    report = remind(mailing_app, EXPIRES - timedelta(days=5))

    assert [(r.stage, r.days_left) for r in report.sent] == [(7, 5)]
    reminder, _summary = (message for _, message in mailbox.take())
    assert reminder["Subject"] == "Your certificate expires in 5 days: A module"
    assert remind(mailing_app, EXPIRES - timedelta(days=4)).sent == []
    assert mailbox.take() == []


def test_revoked_and_never_expiring_certificates_get_no_reminder(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, certificate: Certificate, trainer: User
) -> None:
    """A revoked certificate is not chased; the programme's (no expiry) never is."""
    certificate.revoked_at = NOW + timedelta(days=1)
    db.session.commit()

    assert remind(mailing_app, EXPIRES - timedelta(days=30)).sent == []
    assert remind(mailing_app, EXPIRES).sent == []
    assert mailbox.take() == []


def test_the_reminder_also_lands_on_the_learners_dashboard(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, certificate: Certificate, learner: User
) -> None:
    """The note links to the download, inside the site."""
    remind(mailing_app, EXPIRES - timedelta(days=7))

    note = db.session.scalar(
        select(Notification)
        .where(Notification.user_id == learner.id)
        .order_by(Notification.id.desc())
    )
    assert note is not None
    assert note.subject == "Your certificate expires in 7 days: A module"
    assert note.link is not None and certificate.code in note.link
    assert not note.link.startswith("http")
    count = select(func.count()).select_from(CertificateReminder)
    assert db.session.scalar(count) == 1


def test_days_left_counts_calendar_days_in_the_sites_time_zone(
    app: Flask, certificate: Certificate
) -> None:
    """Just after midnight in Johannesburg it is already the next day."""
    certificate.expires_at = datetime(2027, 12, 2, 21, 0, tzinfo=UTC)  # 23:00 on the 2nd there
    late_evening_utc = datetime(2027, 12, 1, 22, 30, tzinfo=UTC)  # 00:30 on the 2nd there

    assert days_left(certificate, late_evening_utc) == 0
    assert days_left(certificate, late_evening_utc - timedelta(hours=1)) == 1


def test_the_summary_goes_to_the_trainers_of_the_learners_cohort_only(
    app: Flask,
    mailing_app: Flask,
    mailbox: Mailbox,
    certificate: Certificate,
    learner: User,
    trainer: User,
    make_user: UserFactory,
) -> None:
    """Lerato trains another cohort; Sipho trains the learner's, so only he hears of them."""
    sipho = db.session.get(User, make_user(Role.TRAINER, email="sipho@example.com").id)
    assert sipho is not None
    module = db.session.get(Module, certificate.module_id)
    assert module is not None
    theirs = cohorts.CohortDetails(
        name="January", start_date=date(2026, 1, 5), modules=(cohorts.ModulePlan(module.id),)
    )
    cohort = cohorts.create_cohort(theirs, actor=sipho)
    cohorts.enrol(cohort, db.session.merge(learner), actor=sipho, now=EXPIRES)
    db.session.commit()

    report = remind(mailing_app, EXPIRES - timedelta(days=30))
    assert report.trainers == ["sipho@example.com"]
    assert [to for to, _ in mailbox.take()] == [[learner.email], ["sipho@example.com"]]
