"""`lms content sync` loads the modules and their quizzes, or says exactly what is wrong;
`lms content coverage` says which lessons teach and which questions test each criterion."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from lms.assessments.coverage import ModuleCoverage, read_coverage
from lms.assessments.sync import sync_programme
from lms.content.frontmatter import ContentError
from lms.content.sync import SyncReport, Tally
from lms.database import utcnow
from lms.extensions import db

Command = TypeVar("Command", bound=Callable[..., Any])


@click.group("content")
def content_group() -> None:
    """Load and check the course content."""


def _programme_paths(default: str) -> Callable[[Command], Command]:
    """PATH (the modules' folder) and --assessments (the quizzes' folder) of a content command;
    `default` says which quizzes' folder is read when --assessments is not given."""

    def decorate(command: Command) -> Command:
        option = click.option(
            "--assessments",
            type=click.Path(path_type=Path),
            help=f"The quizzes' folder (default: {default}).",
        )
        return click.argument("path", required=False, type=click.Path(path_type=Path))(
            option(command)
        )

    return decorate


@content_group.command("sync")
@_programme_paths("the configured one when PATH is not given")
@click.option("--dry-run", is_flag=True, help="Check and count, but save nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@with_appcontext
def sync_command(path: Path | None, assessments: Path | None, dry_run: bool, as_json: bool) -> None:
    """Load every module under PATH (default: the configured content folder) and its quizzes.

    Unchanged files create nothing, changed lessons and quizzes become new revisions, removed
    ones are retired. Any problem in any file stops the sync and nothing is saved.
    """
    root = path or Path(current_app.config["CONTENT_PATH"])
    if assessments is None and path is None:
        assessments = Path(current_app.config["ASSESSMENTS_PATH"])
    report = run_sync(
        root, assessments, dry_run=dry_run, show_progress=not as_json and sys.stdout.isatty()
    )
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        echo_report(report)
    if report.errors:
        sys.exit(1)


@content_group.command("coverage")
@_programme_paths("the configured one")
@click.option("--json", "as_json", is_flag=True, help="Print the coverage as JSON.")
@with_appcontext
def coverage_command(path: Path | None, assessments: Path | None, as_json: bool) -> None:
    """Show, for every assessment criterion, the lessons that teach it and the questions that
    test it. Exits 1 when a criterion is not taught or not tested, or a file has a problem.

    Reads the files only: nothing is loaded, and no database is needed.
    """
    root = path or Path(current_app.config["CONTENT_PATH"])
    quizzes = assessments or Path(current_app.config["ASSESSMENTS_PATH"])
    try:
        modules = read_coverage(root, quizzes)
    except ContentError as error:
        for problem in error.errors:
            click.echo(str(problem), err=True)
        sys.exit(1)
    gaps = sum(len(c.gaps) > 0 for module in modules for c in module.criteria)
    if as_json:
        summary = {"modules": [module.as_json() for module in modules], "gaps": gaps}
        click.echo(json.dumps(summary, indent=2))
    else:
        _echo_coverage(modules, gaps)
    if gaps:
        sys.exit(1)


def _echo_coverage(modules: list[ModuleCoverage], gaps: int) -> None:
    for module in modules:
        click.echo(f"{module.code} {module.title}")
        for criterion in module.criteria:
            problems = f"  <-- {' and '.join(criterion.gaps).upper()}" if criterion.gaps else ""
            click.echo(f"  {criterion.reference} {criterion.text}{problems}")
            click.echo(f"      taught by: {', '.join(criterion.taught_by) or '-'}")
            click.echo(f"      tested by: {', '.join(criterion.tested_by) or '-'}")
    total = sum(len(module.criteria) for module in modules)
    if gaps:
        click.echo(f"{gaps} of {total} criteria are not both taught and tested.")
    else:
        click.echo(f"All {total} criteria are taught in a lesson and tested by a question.")


def run_sync(
    root: Path,
    assessments: Path | None,
    *,
    dry_run: bool = False,
    show_progress: bool = False,
) -> SyncReport:
    """Sync `root` (and the quizzes in `assessments`) in one transaction: committed when clean,
    rolled back on errors or dry runs."""
    folders = _module_folder_count(root)
    with click.progressbar(
        length=folders, label="Reading modules", file=sys.stderr, hidden=not show_progress
    ) as bar:
        try:
            report = sync_programme(
                root,
                assessments,
                now=utcnow(),
                dry_run=dry_run,
                on_module=lambda _name: bar.update(1),
            )
        except SQLAlchemyError as error:
            db.session.rollback()
            raise click.ClickException(f"the database refused the changes: {error}") from error
    if report.errors or dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def echo_report(report: SyncReport) -> None:
    """Print a sync's outcome for a person: problems to stderr, counts to stdout."""
    for error in report.errors:
        click.echo(str(error), err=True)
    if report.errors:
        click.echo(f"Nothing was loaded: {len(report.errors)} problem(s) to fix.", err=True)
        return
    click.echo(f"Modules: {_describe(report.modules)}")
    click.echo(f"Lessons: {_describe(report.lessons)}")
    click.echo(f"Images:  {_describe(report.media)}")
    if report.assessments is not None:
        click.echo(f"Quizzes: {_describe(report.quizzes)}")
    if report.dry_run:
        click.echo("Dry run: nothing was saved.")


def _describe(tally: Tally) -> str:
    return (
        f"{tally.total} ({tally.created} new, {tally.updated} updated, "
        f"{tally.unchanged} unchanged, {tally.retired} retired)"
    )


def _module_folder_count(root: Path) -> int:
    if not root.is_dir():
        return 0
    return sum(1 for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
