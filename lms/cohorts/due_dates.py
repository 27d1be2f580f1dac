"""Due dates: calendar days in the academy's time zone, compared with UTC instants.

A module due on 3 February is due by the end of that day where the training happens
(`LMS_TIMEZONE`). At 23:30 on the 3rd in Johannesburg it is not yet overdue, although the
server's UTC clock reads 21:30; at 00:30 on the 4th it is, although UTC still reads the 3rd.
The deadline is therefore the first instant of the next local day, converted to UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_day(instant: datetime, tz: ZoneInfo | None = None) -> date:
    """The calendar date at `instant` in the academy's time zone."""
    return instant.astimezone(tz or zone()).date()


def due_on(start: date, *, day: int | None, on: date | None) -> date | None:
    """The due date of a module: an absolute date, or day `day` of the cohort (day 1 is the
    start date, so "by day 3" of a cohort starting 30 January is 1 February)."""
    if on is not None:
        return on
    if day is not None:
        return start + timedelta(days=day - 1)
    return None


def deadline(due: date, tz: ZoneInfo | None = None) -> datetime:
    """The UTC instant a module due on `due` becomes overdue: the next local midnight."""
    next_day = datetime.combine(due + timedelta(days=1), time.min, tzinfo=tz or zone())
    return next_day.astimezone(UTC)


@dataclass(frozen=True)
class DueStatus:
    """How a due date stands on a given local day."""

    due: date
    days_left: int  # negative once overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def label(self) -> str:
        if self.days_left < 0:
            days = -self.days_left
            return f"Overdue by {days} day{'s' if days != 1 else ''}"
        if self.days_left == 0:
            return "Due today"
        if self.days_left == 1:
            return "Due tomorrow"
        return f"{self.days_left} days left"


def due_status(due: date, now: datetime, tz: ZoneInfo | None = None) -> DueStatus:
    return DueStatus(due, (due - local_day(now, tz)).days)
