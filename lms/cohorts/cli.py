"""`lms reminders send`: due-date reminders to learners and the weekly summary to trainers."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from lms.cohorts import reminders
from lms.cohorts.due_dates import zone
from lms.database import utcnow


@click.group("reminders")
def reminders_group() -> None:
    """Due-date reminders (run daily from cron)."""


@reminders_group.command("send")
@click.option(
    "--now",
    "now_text",
    metavar="ISO",
    help="Run as if at this moment, e.g. 2026-12-08T07:00 (ISO 8601; without an offset it is "
    "local time in LMS_TIMEZONE). For trying the command out; cron leaves it off.",
)
@with_appcontext
def send_command(now_text: str | None) -> None:
    """Email learners whose modules are due soon or overdue, and each trainer a weekly summary.

    Run it daily: each reminder goes out once, so a second run the same day sends nothing.
    Exits with status 1 if the mail server refused a message (it is tried on the next run).
    """
    now = _moment(now_text) if now_text else utcnow()
    report = reminders.send_reminders(now=now)
    day = reminders.long_date(report.today)
    click.echo(
        f"Due-date reminders for {day} (modules due within {report.days} days: DUE_REMINDER_DAYS)."
    )
    click.echo(
        f"Emailed {report.learners} learner(s): {len(report.due_soon)} with modules due soon, "
        f"{len(report.overdue)} with overdue modules."
    )
    click.echo(f"Sent the weekly summary to {len(report.trainers)} trainer(s).")
    if report.raced:
        click.echo(f"Skipped {report.raced} message(s) another run was sending at the same time.")
    for address in report.failed:
        click.echo(f"Could not email {address}; it is tried again on the next run.", err=True)
    if report.failed:
        raise click.exceptions.Exit(1)


def _moment(text: str) -> datetime:
    """An ISO 8601 moment as UTC; one without an offset is local time in LMS_TIMEZONE."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 date and time, e.g. 2026-12-08T07:00.",
            param_hint="--now",
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone())
    return moment.astimezone(UTC)
