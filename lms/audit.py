"""The audit trail: one function records who did what to which object, when and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Integer, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.database import UTCDateTime, utcnow
from lms.extensions import Model, db


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


def record(
    action: str,
    *,
    actor: User | None,
    target: Model | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; it is saved when the caller commits.

    The address is taken from the request being served unless one is given.
    """
    if ip_address is None and has_request_context():
        ip_address = request.remote_addr
    event = AuditEvent(
        action=action,
        actor=actor,
        object_type=target.__tablename__ if target is not None else None,
        object_id=str(target.id) if target is not None else None,  # type: ignore[attr-defined]
        ip_address=ip_address,
        details=details or {},
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor_email: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_events_query(criteria: AuditFilter) -> Select[AuditEvent]:
    """The newest events first, narrowed by the given criteria."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if criteria.action:
        query = query.where(AuditEvent.action == criteria.action)
    if criteria.actor_email:
        query = query.join(AuditEvent.actor).where(
            User.email.contains(criteria.actor_email.lower(), autoescape=True)
        )
    if criteria.since:
        query = query.where(AuditEvent.occurred_at >= criteria.since)
    if criteria.until:
        query = query.where(AuditEvent.occurred_at < criteria.until)
    return query


def known_actions() -> list[str]:
    """Every action that has been recorded, for the log's filter list."""
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))
