"""`lms reminders send`: due-date reminders to learners and the weekly summary to trainers."""

from __future__ import annotations

import click


@click.group("reminders")
def reminders_group() -> None:
    """Due-date reminders (run daily from cron)."""
