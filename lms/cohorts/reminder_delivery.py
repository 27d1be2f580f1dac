"""Sending a due-date reminder once: the keys that record each announcement, and delivery
that records before it sends.

Every announcement is a ReminderSent row with a unique key. A message's rows and its
dashboard note are committed before the email goes out, so neither a rerun nor a second run
at the same moment can send it twice. If the mail server refuses it, the rows are deleted and
the next run tries again; a crash between the commit and the send loses that one email rather
than sending it twice.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.cohorts.models import ReminderSent
from lms.extensions import db
from lms.mail import send_email
from lms.notifications import Notification

log = logging.getLogger(__name__)

# Keys are looked up this many at a time, well inside every database's limit on IN lists.
CHUNK = 500


# --- Keys: what has been announced ------------------------------------------------------------


def due_soon_key(user_id: int, module_id: int, due: date) -> str:
    """The module's due-soon announcement; a changed due date is announced afresh."""
    return f"due-soon:{due.isoformat()}:user={user_id}:module={module_id}"


def overdue_key(user_id: int, module_id: int, due: date) -> str:
    """The module's first overdue announcement."""
    return f"overdue:{due.isoformat()}:user={user_id}:module={module_id}"


def overdue_told_key(user_id: int, day: date) -> str:
    """The learner was emailed about overdue modules on `day` (the weekly cadence)."""
    return f"overdue-told:{day.isoformat()}:user={user_id}"


def trainer_week_key(user_id: int, day: date) -> str:
    """The trainer's summary for the ISO week of `day`."""
    year, week, _ = day.isocalendar()
    return f"trainer-week:{year}-W{week:02d}:user={user_id}"


# --- Messages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One email, the dashboard note that goes with it, and the keys it settles."""

    user_id: int
    to: str
    subject: str
    text: str
    note: str
    link: str  # the note's link: a path inside the site
    keys: tuple[str, ...]
    lists_due_soon: bool = False  # a learner's email listing modules due soon
    lists_overdue: bool = False  # ... listing overdue modules


def already_sent(keys: Iterable[str]) -> set[str]:
    """The keys among `keys` already recorded."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(
            db.session.scalars(select(ReminderSent.key).where(ReminderSent.key.in_(chunk)))
        )
    return found


# --- Delivery ----------------------------------------------------------------------------------


def deliver(message: Message, now: datetime) -> Literal["sent", "raced", "failed"]:
    """Commit the message's keys and note, then send it; undo both if the server refuses."""
    rows = [ReminderSent(key=key, user_id=message.user_id, sent_at=now) for key in message.keys]
    note = Notification(
        user_id=message.user_id,
        subject=message.subject[:200],
        body=message.note,
        link=message.link,
        created_at=now,
    )
    db.session.add_all([*rows, note])
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another run claimed it a moment ago, and sends it
        return "raced"
    try:
        send_email(message.to, message.subject, message.text)
    except (smtplib.SMTPException, OSError):
        log.exception("due-date reminder to %s not sent", message.to)
        for row in [*rows, note]:
            db.session.delete(row)
        db.session.commit()
        return "failed"
    return "sent"
