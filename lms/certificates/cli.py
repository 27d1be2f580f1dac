"""`lms certificates ...`: list and revoke certificates, issue any that are due, and the daily
reminders of expiry (with recertification of expired compliance modules)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click
from flask.cli import with_appcontext

from lms.certificates import issuing, recertification, reminders, revocation
from lms.certificates.models import Certificate, CertificateStatus
from lms.certificates.register import RegisterFilter, register_query
from lms.certificates.services import find_by_code
from lms.database import utcnow
from lms.extensions import db
from lms.pdf import PdfUnavailable

STATUS_NAMES = [status.value for status in CertificateStatus]


@click.group("certificates")
def certificates_group() -> None:
    """Certificates: the register, revocation, and the daily expiry reminders."""


@certificates_group.command("list")
@click.option("--status", type=click.Choice(STATUS_NAMES), help="Only certificates in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@with_appcontext
def list_command(status: str | None, as_json: bool) -> None:
    """List certificates, newest first, revoked ones included."""
    now = utcnow()
    criteria = RegisterFilter(status=CertificateStatus(status) if status else None)
    rows = [_listed(c, now) for c in db.session.scalars(register_query(criteria, now=now))]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No certificates.")
        return
    for row in rows:
        expires = row["expires"][:10] if row["expires"] else "never"
        click.echo(
            f"{row['code']}  {row['status']:<8} {row['issued'][:10]}  {expires:<10}  "
            f"{row['learner']} <{row['email']}>: {row['subject']}"
        )


def _listed(certificate: Certificate, now: datetime) -> dict[str, Any]:
    """One certificate as `list --json` prints it: dates in ISO 8601, UTC."""
    expires = certificate.expires_at
    return {
        "code": certificate.code,
        "email": certificate.learner.email,
        "learner": certificate.learner_name,
        "subject": certificate.subject_title,
        "issued": certificate.issued_at.isoformat(),
        "expires": expires.isoformat() if expires is not None else None,
        "status": certificate.status(now).value,
    }


@certificates_group.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Why it is revoked (kept private to staff).")
@with_appcontext
def revoke_command(code: str, reason: str) -> None:
    """Revoke the certificate with this code; it stays in the register as revoked."""
    certificate = find_by_code(code)
    if certificate is None:
        raise click.ClickException(f"No certificate has the code {code!r}; nothing was changed.")
    try:
        revocation.revoke(certificate, None, reason, now=utcnow())
    except revocation.CertificateError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(
        f"Revoked {certificate.code} ({certificate.learner_name}, {certificate.subject_title})."
    )


@certificates_group.command("issue")
@with_appcontext
def issue_command() -> None:
    """Issue every certificate learners have earned and not yet received (safe to rerun)."""
    try:
        issued = issuing.issue_everywhere(now=utcnow())
    except PdfUnavailable as error:
        raise click.ClickException(f"PDF rendering is unavailable here: {error}") from error
    db.session.commit()
    click.echo(f"Issued {issued} certificate(s).")


@certificates_group.command("remind")
@with_appcontext
def remind_command() -> None:
    """Email learners (and a summary to trainers) before their certificates expire, and enrol
    learners again in compliance modules whose certificates have expired. Run it daily."""
    now = utcnow()
    report = reminders.send_reminders(now=now)
    restarts = recertification.open_restarts(now=now)
    db.session.commit()
    for sent in report.sent:
        when = "expired" if sent.expired else f"{sent.days_left} day(s) left"
        click.echo(f"Reminded {sent.email}: {sent.subject} ({sent.code}, {when}).")
    if report.trainers:
        click.echo(f"Sent the summary to {len(report.trainers)} trainer(s).")
    for restart in restarts:
        click.echo(f"Enrolled {restart.email} in {restart.module} again ({restart.code} expired).")
    for address in report.failed:
        click.echo(f"Could not email {address}; it is tried again on the next run.", err=True)
    click.echo(f"{len(report.sent)} reminder(s), {len(restarts)} recertification(s).")
