"""`lms export records`: the completion records as CSV or XLSX, streamed to a file.

The rows, their cells and the neutralising of hostile text are those of the web export; the
file appears only once complete, and the export is audited (actor: the command line).
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from lms.cohorts.models import Cohort
from lms.cohorts.standing import Stage
from lms.content.catalogue import current_catalogue
from lms.database import utcnow
from lms.extensions import db
from lms.reports import exports
from lms.reports.records import OVERDUE, RecordFilter, RecordScope, count_pairs, iter_records

SELF_PACED = "self-paced"
STATUS_NAMES = [*(stage.value for stage in Stage), OVERDUE]
DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.group("export")
def export_group() -> None:
    """Export records to files."""


@export_group.command("records")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True)
@click.option("--cohort", help="A cohort's name or id, or 'self-paced' for learners in none.")
@click.option("--module", "module_code", help="A module code, e.g. M1.")
@click.option("--status", type=click.Choice(STATUS_NAMES), help="A stage, or 'overdue'.")
@click.option("--completed-from", type=DAY, help="Completed on or after (YYYY-MM-DD).")
@click.option("--completed-to", type=DAY, help="Completed on or before (YYYY-MM-DD).")
@click.option("--due-from", type=DAY, help="Due on or after (YYYY-MM-DD).")
@click.option("--due-to", type=DAY, help="Due on or before (YYYY-MM-DD).")
@click.option("--search", help="Part of a learner's name, email or employee number.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def records_command(
    fmt: str,
    cohort: str | None,
    module_code: str | None,
    status: str | None,
    completed_from: datetime | None,
    completed_to: datetime | None,
    due_from: datetime | None,
    due_to: datetime | None,
    search: str | None,
    output: Path,
) -> None:
    """Write the completion records (one row per learner and module) to a CSV or XLSX file."""
    if not output.parent.is_dir():
        raise click.BadParameter(
            f"the folder {str(output.parent)!r} does not exist", param_hint="-o"
        )
    cohort_id, self_paced = _cohort(cohort)
    criteria = RecordFilter(
        cohort_id=cohort_id,
        self_paced=self_paced,
        module_code=_module(module_code),
        status=status,
        completed_from=_day(completed_from),
        completed_to=_after(_day(completed_to), _day(completed_from), "--completed-to"),
        due_from=_day(due_from),
        due_to=_after(_day(due_to), _day(due_from), "--due-to"),
        search=(search or "").strip() or None,
    )
    now, zone = utcnow(), ZoneInfo(current_app.config["TIMEZONE"])
    scope = RecordScope()
    with click.progressbar(
        length=count_pairs(criteria, scope),
        label="Exporting records",
        file=sys.stderr,
        hidden=not sys.stderr.isatty(),
    ) as bar:
        rows = iter_records(criteria, scope, now=now, zone=zone, on_progress=bar.update)
        written = exports.write_file(output, fmt, rows)
    db.session.rollback()  # end the long read before the audit's own transaction
    exports.audit_export(fmt, criteria, written, actor=None, source="command line")
    db.session.commit()
    click.echo(f"Wrote {written} record(s) to {output}.")


def _cohort(given: str | None) -> tuple[int | None, bool]:
    """The cohort's id (or None), and whether the self-paced learners are asked for."""
    if given is None:
        return None, False
    text = given.strip()
    if text.casefold() == SELF_PACED:
        return None, True
    query = select(Cohort.id).where(Cohort.name == text)
    if text.isdigit() and len(text) < 10:
        query = select(Cohort.id).where((Cohort.id == int(text)) | (Cohort.name == text))
    found = db.session.scalars(query).first()
    if found is None:
        raise click.BadParameter(f"no cohort is named or numbered {given!r}", param_hint="--cohort")
    return found, False


def _module(code: str | None) -> str | None:
    if code is None:
        return None
    codes = {module.code.upper(): module.code for module in current_catalogue().modules}
    found = codes.get(code.strip().upper())
    if found is None:
        known = ", ".join(codes.values()) or "none"
        raise click.BadParameter(
            f"no module has the code {code!r} (one of {known})", param_hint="--module"
        )
    return found


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _after(end: date | None, start: date | None, option: str) -> date | None:
    if end is not None and start is not None and end < start:
        raise click.BadParameter("the end date is before the start date", param_hint=option)
    return end
