"""Due dates: day N of a cohort across month ends and leap years, dates as typed on the form,
and when a module becomes overdue in the academy's time zone while the server keeps UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from lms.cohorts.due_dates import deadline, due_on, due_status, local_day
from lms.cohorts.forms import Due, DueError, due_text, parse_due
from tests.conftest import AppFactory


@pytest.mark.parametrize(
    ("start", "day", "due"),
    [
        (date(2027, 1, 30), 1, date(2027, 1, 30)),  # day 1 is the start date
        (date(2027, 1, 30), 3, date(2027, 2, 1)),  # across a month end
        (date(2027, 2, 27), 3, date(2027, 3, 1)),  # February without 29 days
        (date(2028, 2, 27), 3, date(2028, 2, 29)),  # a leap year's 29 February
        (date(2028, 2, 28), 3, date(2028, 3, 1)),
        (date(2027, 12, 31), 2, date(2028, 1, 1)),  # across a year end
        (date(2027, 1, 1), 366, date(2028, 1, 1)),
    ],
)
def test_day_n_counts_from_the_start_date_as_day_one(start: date, day: int, due: date) -> None:
    """Day N is the start date plus N - 1 calendar days, whatever the month or year."""
    assert due_on(start, day=day, on=None) == due


def test_an_absolute_date_is_kept_and_no_due_date_is_none() -> None:
    """A date given as a date does not move with the start; neither kind means none."""
    assert due_on(date(2027, 1, 30), day=None, on=date(2027, 3, 15)) == date(2027, 3, 15)
    assert due_on(date(2027, 1, 30), day=None, on=None) is None


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("day 3", Due(day=3)),
        ("Day  12", Due(day=12)),
        ("DAY1", Due(day=1)),
        ("7", Due(day=7)),
        (" 366 ", Due(day=366)),
        ("2028-02-29", Due(on=date(2028, 2, 29))),
        ("", Due()),
        ("   ", Due()),
    ],
)
def test_the_form_reads_a_day_a_number_or_a_date(typed: str, due: Due) -> None:
    """ "day N", a bare number and YYYY-MM-DD are understood; blank means no due date."""
    assert parse_due(typed) == due


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("day 0", "due day must be 1–366"),  # noqa: RUF001
        ("367", "due day must be 1–366"),  # noqa: RUF001
        ("day 999999999", "due day must be 1–366"),  # noqa: RUF001
        ("2027-02-30", "2027-02-30 is not a date"),
        ("2027-02-29", "2027-02-29 is not a date"),  # not a leap year
        ("next Friday", "not a date"),
        ("3 Feb 2027", "not a date"),
        ("-3", "not a date"),
    ],
)
def test_the_form_names_what_is_wrong_with_a_due_value(typed: str, message: str) -> None:
    """Each bad value is refused with a message saying why."""
    with pytest.raises(DueError, match=message):
        parse_due(typed)


def test_a_stored_due_date_is_shown_as_it_would_be_typed() -> None:
    """Editing a cohort shows "day 3" or the ISO date, which the form reads back the same."""
    assert due_text(3, None) == "day 3"
    assert due_text(None, date(2027, 2, 1)) == "2027-02-01"
    assert due_text(None, None) == ""
    for day, on in ((3, None), (None, date(2027, 2, 1))):
        assert parse_due(due_text(day, on)) == Due(day=day, on=on)


def test_johannesburg_overdue_starts_at_local_midnight_not_utc_midnight(app: Flask) -> None:
    """Due on 3 February: at 23:30 there (21:30 UTC) it is due today; at 00:30 on the 4th
    there it is overdue, although the server's UTC clock still reads the 3rd."""
    due = date(2027, 2, 3)
    with app.app_context():
        assert app.config["TIMEZONE"] == "Africa/Johannesburg"
        assert deadline(due) == datetime(2027, 2, 3, 22, 0, tzinfo=UTC)
        late_evening = datetime(2027, 2, 3, 21, 30, tzinfo=UTC)
        after_midnight = datetime(2027, 2, 3, 22, 30, tzinfo=UTC)
        assert late_evening < deadline(due) <= after_midnight
        assert due_status(due, late_evening).days_left == 0
        assert not due_status(due, late_evening).overdue
        assert due_status(due, late_evening).label == "Due today"
        assert after_midnight.date() == due  # UTC's calendar still says the 3rd
        assert local_day(after_midnight) == date(2027, 2, 4)
        assert due_status(due, after_midnight).overdue
        assert due_status(due, after_midnight).label == "Overdue by 1 day"
        assert due_status(due, datetime(2027, 2, 1, 9, 0, tzinfo=UTC)).label == "2 days left"
        assert due_status(due, datetime(2027, 2, 2, 9, 0, tzinfo=UTC)).label == "Due tomorrow"


def test_another_time_zone_moves_the_deadline(make_app: AppFactory) -> None:
    """With LMS_TIMEZONE set to New York, due on 3 February is overdue from 05:00 UTC on the
    4th: at 03:30 UTC on the 4th (22:30 on the 3rd there) it is still due today."""
    new_york = make_app(TIMEZONE="America/New_York")
    due = date(2027, 2, 3)
    with new_york.app_context():
        assert deadline(due) == datetime(2027, 2, 4, 5, 0, tzinfo=UTC)
        evening_there = datetime(2027, 2, 4, 3, 30, tzinfo=UTC)
        assert evening_there.date() == date(2027, 2, 4)  # UTC is already on the 4th
        assert not due_status(due, evening_there).overdue
        assert due_status(due, datetime(2027, 2, 4, 5, 30, tzinfo=UTC)).overdue
        # Clocks go forward on 14 March 2027 there: that day's midnight is EST, the next EDT.
        assert deadline(date(2027, 3, 13)) == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
        assert deadline(date(2027, 3, 14)) == datetime(2027, 3, 15, 4, 0, tzinfo=UTC)
