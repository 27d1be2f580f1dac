"""The `lms` command: `lms demo`, `lms users ...`, `lms db upgrade`, `lms run` and Flask's own."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from lms import create_app
from lms.assessments.attempts import close_overdue_attempts
from lms.assessments.cli import gift_group
from lms.auth import services
from lms.auth.roles import Role
from lms.certificates.cli import certificates_group
from lms.certificates.demo import CERTIFICATE_DEMO_LEARNERS, load_certificate_demo
from lms.cohorts.cli import reminders_group
from lms.cohorts.demo import cohort_demo_line, load_cohort_demo
from lms.database import utcnow
from lms.demo import load_demo_data
from lms.extensions import db
from lms.marking.demo import MARKING_DEMO_LEARNERS, load_marking_demo
from lms.marking.demo import PASSWORD as DEMO_PASSWORD
from lms.reports.cli import export_group
from lms.sync_cli import content_group, echo_report, run_sync


def _create_app() -> Any:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Induction platform administration."""


main.add_command(content_group)
main.add_command(gift_group)
main.add_command(certificates_group)
main.add_command(reminders_group)
main.add_command(export_group)


@main.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the demo accounts as JSON.")
@with_appcontext
def demo_command(as_json: bool) -> None:
    """Bring the database up to date and load the demo accounts and programme (safe to rerun)."""
    upgrade()
    accounts = load_demo_data()
    db.session.commit()
    config = current_app.config
    report = run_sync(Path(config["CONTENT_PATH"]), Path(config["ASSESSMENTS_PATH"]))
    if report.errors:
        echo_report(report)
        raise click.ClickException("the shipped content has problems; nothing was loaded")
    load_marking_demo(now=utcnow())
    db.session.commit()
    load_certificate_demo(now=utcnow())
    db.session.commit()
    load_cohort_demo(now=utcnow())
    db.session.commit()
    listing = [
        {"email": a.email, "password": a.password, "roles": [r.value for r in a.roles]}
        for a in accounts
    ]
    if as_json:
        click.echo(json.dumps({"accounts": listing, "content": report.as_json()}, indent=2))
        return
    echo_report(report)
    click.echo("Demo accounts (sign in at /login):")
    for entry in listing:
        click.echo(f"  {', '.join(entry['roles']):<10} {entry['email']:<24} {entry['password']}")
    learners = ", ".join(f"{learner.email} {learner.stage}" for learner in MARKING_DEMO_LEARNERS)
    line = f"{len(MARKING_DEMO_LEARNERS)} learners at each marking stage ({DEMO_PASSWORD})"
    click.echo(f"Marking demo: {line}: {learners}")
    holders = ", ".join(f"{s.learner.email} {s.learner.stage}" for s in CERTIFICATE_DEMO_LEARNERS)
    click.echo(f"Certificate demo: {holders}")
    click.echo(f"Cohort demo: {cohort_demo_line()}")


@main.group("users")
def users_group() -> None:
    """Create and list user accounts."""


ROLE_NAMES = [role.value for role in Role]


@users_group.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", "full_name", help="Full name (default: the email's local part).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLE_NAMES),
    help="A role to give; repeat for several.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(
    email: str, full_name: str | None, roles: tuple[str, ...], password_stdin: bool
) -> None:
    """Create an active user with the given roles."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(
            email=email,
            full_name=full_name or email.split("@")[0],
            password=password,
            roles=[Role(r) for r in roles],
            actor=None,
        )
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(roles))}).")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
@with_appcontext
def list_users_command(as_json: bool) -> None:
    """List every user with roles and status."""
    users = list(db.session.scalars(services.users_query()))
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "full_name": u.full_name,
            "roles": [r.value for r in u.sorted_roles],
            "active": u.active,
            "created_at": u.created_at.isoformat(),
            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
        }
        for u in users
    ]
    if as_json:
        click.echo(json.dumps({"users": rows}, indent=2))
        return
    for user in users:
        roles = ", ".join(r.value for r in user.sorted_roles)
        status = "" if user.active else "deactivated"
        click.echo(f"{user.email:<32} {user.full_name:<28} {roles:<28} {status}".rstrip())


@main.group("attempts")
def attempts_group() -> None:
    """Quiz attempts."""


@attempts_group.command("close-overdue")
@with_appcontext
def close_overdue_command() -> None:
    """Submit every attempt whose time limit (plus grace) has passed, with what was saved.

    Pages do this too when the learner comes back; run this from cron (every few minutes) so
    records are right even for learners who never return.
    """
    grace = timedelta(seconds=int(current_app.config["ATTEMPT_GRACE_SECONDS"]))
    closed = close_overdue_attempts(now=utcnow(), grace=grace)
    db.session.commit()
    click.echo(f"Submitted {closed} overdue attempt(s).")
