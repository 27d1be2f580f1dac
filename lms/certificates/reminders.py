"""Expiry reminders: the daily `lms certificates remind` tells learners, and trainers, ahead.

Stages come from the CERTIFICATE_REMINDER_DAYS setting (30, 7 and 0 days before expiry, in
calendar days of the site's time zone). A certificate that has reached several stages since the
last run (the command missed a few days) gets only the most urgent one, and a stage already
sent, or a more urgent one, is never sent again: each is a CertificateReminder row, unique per
certificate and stage, added with the email, so a second run on the same day sends nothing.

Each trainer of a reminded learner's current cohort receives one summary per run listing their
learners reminded in it, rather than one email per certificate. A learner in no cohort has no
trainer of their own, so every active trainer hears about them.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.certificates.models import Certificate, CertificateReminder
from lms.certificates.rendering import local_date
from lms.cohorts.services import cohort_trainers
from lms.extensions import db
from lms.notifications import notify
from lms.urls import external_url, path_for

log = logging.getLogger(__name__)

EXPIRY_DAY = "expiry-day"


@dataclass(frozen=True)
class Reminder:
    """One reminder sent: which certificate, at which stage, with how many days left."""

    code: str
    learner_id: int
    email: str
    learner: str
    subject: str
    stage: int
    days_left: int
    expired: bool  # already, at the time of the run (it may still be the expiry day)
    expires: str  # as printed: "5 December 2026"
    verify_url: str


@dataclass
class ReminderReport:
    sent: list[Reminder] = field(default_factory=list)
    trainers: list[str] = field(default_factory=list)  # emails that received the summary
    failed: list[str] = field(default_factory=list)  # recipients whose email could not be sent


def stage_name(days: int) -> str:
    """How a stage is stored: "30-days", "7-days", "expiry-day"."""
    return EXPIRY_DAY if days == 0 else f"{days}-days"


def stage_days(name: str) -> int:
    """The days before expiry a stored stage stands for (the inverse of `stage_name`)."""
    return 0 if name == EXPIRY_DAY else int(name.removesuffix("-days"))


def days_left(certificate: Certificate, now: datetime) -> int:
    """Calendar days from today to the expiry date, in the site's time zone (negative after)."""
    assert certificate.expires_at is not None
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return (certificate.expires_at.astimezone(zone).date() - now.astimezone(zone).date()).days


def due_stage(left: int, stages: list[int], sent: set[int]) -> int | None:
    """The most urgent stage reached, unless it or a more urgent one was already sent."""
    reached = [stage for stage in stages if left <= stage]
    if not reached:
        return None
    stage = min(reached)
    if any(done <= stage for done in sent):
        return None
    return stage


def send_reminders(*, now: datetime) -> ReminderReport:
    """Send every reminder due at `now`, then one summary to each trainer; return what was sent.

    Each reminder is added in its own savepoint with its row, so an address the mail server
    refuses is reported and retried on the next run while the others are kept; the caller
    commits.
    """
    stages = sorted({int(days) for days in current_app.config["CERTIFICATE_REMINDER_DAYS"]})
    report = ReminderReport()
    if not stages:
        return report
    # A day's margin either side of the furthest stage: time zones shift the calendar day.
    horizon = now + timedelta(days=stages[-1] + 1)
    for certificate in _candidates(horizon):
        sent = {stage_days(r.stage) for r in _reminders_of(certificate)}
        left = days_left(certificate, now)
        stage = due_stage(left, stages, sent)
        if stage is None:
            continue
        reminder = _reminder(certificate, stage, left, now)
        outcome = _send(certificate, reminder, now=now)
        if outcome == "sent":
            report.sent.append(reminder)
        elif outcome == "failed":
            report.failed.append(certificate.learner.email)
    if report.sent:
        _summarise_for_trainers(report)
    return report


def _candidates(horizon: datetime) -> list[Certificate]:
    """Certificates expiring by `horizon`, not revoked, not replaced by a later award, whose
    last reminder has not gone out."""
    later = aliased(Certificate)
    replaced = exists().where(
        later.learner_id == Certificate.learner_id,
        later.subject_key == Certificate.subject_key,
        later.cycle > Certificate.cycle,
    )
    query = (
        select(Certificate)
        .join(Certificate.learner)
        .where(
            Certificate.expires_at <= horizon,
            Certificate.revoked_at.is_(None),
            User.active.is_(True),
            ~replaced,
            ~exists().where(
                CertificateReminder.certificate_id == Certificate.id,
                CertificateReminder.stage == EXPIRY_DAY,
            ),
        )
        .options(joinedload(Certificate.learner), joinedload(Certificate.module))
        .order_by(Certificate.expires_at, Certificate.id)
    )
    return list(db.session.scalars(query))


def _reminders_of(certificate: Certificate) -> list[CertificateReminder]:
    query = select(CertificateReminder).where(CertificateReminder.certificate_id == certificate.id)
    return list(db.session.scalars(query))


def _reminder(certificate: Certificate, stage: int, left: int, now: datetime) -> Reminder:
    assert certificate.expires_at is not None
    return Reminder(
        code=certificate.code,
        learner_id=certificate.learner_id,
        email=certificate.learner.email,
        learner=certificate.learner_name,
        subject=certificate.subject_title,
        stage=stage,
        days_left=left,
        expired=certificate.expires_at <= now,
        expires=local_date(certificate.expires_at),
        verify_url=external_url("verification.verify_code", code=certificate.code),
    )


def _send(
    certificate: Certificate, reminder: Reminder, *, now: datetime
) -> Literal["sent", "already-sent", "failed"]:
    """Record the stage and email the learner, in one savepoint."""
    try:
        with db.session.begin_nested():
            row = CertificateReminder(
                certificate_id=certificate.id, stage=stage_name(reminder.stage), sent_at=now
            )
            db.session.add(row)
            db.session.flush()  # a run racing this one stops here, before sending twice
            notify(
                certificate.learner,
                _learner_subject(reminder),
                render_template(
                    "email/certificate_reminder.txt",
                    reminder=reminder,
                    recertifies=certificate.module_id is not None,
                ),
                link=path_for("certificates.download", code=certificate.code),
            )
    except IntegrityError:
        return "already-sent"  # by another run, a moment ago
    except (smtplib.SMTPException, OSError):
        log.exception("certificate reminder to %s not sent", certificate.learner.email)
        return "failed"
    return "sent"


def _learner_subject(reminder: Reminder) -> str:
    if reminder.expired:
        return f"Your certificate has expired: {reminder.subject}"
    if reminder.days_left > 0:
        days = "1 day" if reminder.days_left == 1 else f"{reminder.days_left} days"
        return f"Your certificate expires in {days}: {reminder.subject}"
    return f"Your certificate expires today: {reminder.subject}"


def _summarise_for_trainers(report: ReminderReport) -> None:
    everyone = _trainers()
    by_trainer: dict[int, tuple[User, list[Reminder]]] = {}
    for reminder in report.sent:
        for trainer in cohort_trainers(reminder.learner_id) or everyone:
            by_trainer.setdefault(trainer.id, (trainer, []))[1].append(reminder)
    for trainer, reminders in by_trainer.values():
        _summarise_for(trainer, reminders, report)


def _summarise_for(trainer: User, reminders: list[Reminder], report: ReminderReport) -> None:
    count = len(reminders)
    subject = f"Certificates expiring: {count} learner{'' if count == 1 else 's'} reminded"
    body = render_template("email/certificate_trainer_summary.txt", reminders=reminders)
    try:
        with db.session.begin_nested():
            notify(trainer, subject, body)
    except (smtplib.SMTPException, OSError):
        log.exception("certificate summary to %s not sent", trainer.email)
        report.failed.append(trainer.email)
    else:
        report.trainers.append(trainer.email)


def _trainers() -> list[User]:
    query = (
        select(User)
        .where(User.active.is_(True), User.role_links.any(UserRole.role == Role.TRAINER.value))
        .order_by(User.id)
    )
    return list(db.session.scalars(query))
