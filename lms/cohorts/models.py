"""Intake cohorts: who runs them, which modules they take and by when, and who is in them.

A membership is never deleted. Moving a learner closes one membership and opens another, and
withdrawing closes it, so the history of where a learner was stays on record; their progress,
attempts and judgements belong to them, not to the cohort, and are untouched.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.content.models import Module
from lms.database import UTCDateTime, utcnow
from lms.extensions import Model


class StaffRole(StrEnum):
    TRAINER = "trainer"
    ASSESSOR = "assessor"


class LeavingReason(StrEnum):
    MOVED = "moved"
    WITHDRAWN = "withdrawn"


def _values(states: type[StrEnum]) -> list[str]:
    return [state.value for state in states]


class Cohort(Model):
    """An intake wave: hired together, trained together, due on the floor by the same dates."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    client: Mapped[str] = mapped_column(String(120), default="")  # client account or LoB
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    staff: Mapped[list[CohortStaff]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", lazy="selectin"
    )
    modules: Mapped[list[CohortModule]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", lazy="selectin"
    )

    def staff_with(self, role: StaffRole) -> list[User]:
        people = [link.user for link in self.staff if link.role is role]
        return sorted(people, key=lambda user: user.full_name.casefold())

    @property
    def trainers(self) -> list[User]:
        return self.staff_with(StaffRole.TRAINER)

    @property
    def assessors(self) -> list[User]:
        return self.staff_with(StaffRole.ASSESSOR)

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"


class CohortStaff(Model):
    """A trainer who runs the cohort, or an assessor who marks its learners."""

    __tablename__ = "cohort_staff"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[StaffRole] = mapped_column(
        Enum(StaffRole, native_enum=False, length=20, values_callable=_values), primary_key=True
    )

    cohort: Mapped[Cohort] = relationship(back_populates="staff")
    user: Mapped[User] = relationship(lazy="joined")


class CohortModule(Model):
    """A module the cohort takes, due on a calendar date or on a day counted from the start
    (day 1 is the start date); neither means no due date."""

    __tablename__ = "cohort_modules"
    __table_args__ = (
        CheckConstraint("due_day IS NULL OR due_on IS NULL", name="one_kind_of_due_date"),
        CheckConstraint("due_day IS NULL OR due_day >= 1", name="due_day_from_one"),
    )

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), primary_key=True, index=True)
    due_day: Mapped[int | None] = mapped_column(Integer, default=None)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)

    cohort: Mapped[Cohort] = relationship(back_populates="modules")
    module: Mapped[Module] = relationship(lazy="joined")


class Membership(Model):
    """A learner's place in a cohort, from enrolment until they move or withdraw."""

    __tablename__ = "cohort_memberships"
    __table_args__ = (
        # A learner is in at most one cohort at a time: their due dates must be unambiguous.
        Index(
            "ux_cohort_memberships_current",
            "user_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
        Index("ix_cohort_memberships_cohort_current", "cohort_id", "left_at"),
        Index("ix_cohort_memberships_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    left_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    leaving_reason: Mapped[LeavingReason | None] = mapped_column(
        Enum(LeavingReason, native_enum=False, length=20, values_callable=_values), default=None
    )
    leaving_note: Mapped[str] = mapped_column(Text, default="")

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def current(self) -> bool:
        return self.left_at is None


class ReminderSent(Model):
    """One reminder email sent: the key makes `lms reminders send` idempotent per day."""

    __tablename__ = "cohort_reminders_sent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # e.g. "due-soon:2026-12-06:user=7:module=3" or "trainer-week:2026-W49:user=2"
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
