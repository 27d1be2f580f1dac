"""Telling a user something happened: an email and a note on their dashboard, in one call."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, ForeignKey, Integer, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from lms.auth.models import User
from lms.database import UTCDateTime, utcnow
from lms.extensions import Model, db
from lms.mail import send_email
from lms.urls import absolute


class Notification(Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # A path inside the site (built with url_for), never a URL someone typed.
    link: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


def notify(user: User, subject: str, body: str, *, link: str | None = None) -> Notification:
    """Add a dashboard note (saved when the caller commits) and send the email now.

    The email goes first in the caller's flow only as a side effect: if sending fails the
    exception rolls the caller's transaction back, so nobody is told of a change that did not
    happen.
    """
    note = Notification(user_id=user.id, subject=subject, body=body, link=link)
    db.session.add(note)
    text = body if link is None else f"{body}\n\n{absolute(link)}"
    send_email(user.email, subject, text)
    return note


def unread_for(user: User, *, limit: int = 10) -> list[Notification]:
    query = (
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def unread_count(user: User) -> int:
    query = select(func.count()).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread note of `user` read; return how many changed."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=utcnow()))
    return cast("CursorResult[Any]", result).rowcount
