"""`lms gift check` and `lms gift convert`: read question files without touching the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lms.assessments.formats.aiken import parse_aiken
from lms.assessments.formats.gift import parse_gift
from lms.assessments.formats.gift_export import export_gift
from lms.assessments.formats.result import ParsedFile
from lms.content.frontmatter import SourceError

FILE_FORMATS: dict[str, Callable[[str, str], ParsedFile]] = {
    "gift": parse_gift,
    "aiken": parse_aiken,
}
FORMAT_OPTION = click.option(
    "--from",
    "file_format",
    type=click.Choice(sorted(FILE_FORMATS)),
    help="The file's format (default: aiken for .txt, gift otherwise).",
)


@click.group("gift")
def gift_group() -> None:
    """Check question files and convert them to GIFT (no database needed)."""


@gift_group.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@FORMAT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the questions and errors as JSON.")
def check_command(path: Path, file_format: str | None, as_json: bool) -> None:
    """Check a question file for problems.

    Every problem is printed as file:line: message; the exit status is 0 when there is none
    and 1 otherwise.
    """
    chosen = file_format or format_for(path)
    result = read_question_file(path, chosen)
    if as_json:
        click.echo(json.dumps(check_report(path, result), indent=2, ensure_ascii=False))
    else:
        echo_errors(result)
        click.echo(summary(result))
    if not result.ok:
        sys.exit(1)


@gift_group.command("convert")
@click.argument("path", type=click.Path(path_type=Path))
@FORMAT_OPTION
def convert_command(path: Path, file_format: str | None) -> None:
    """Print a question file as GIFT.

    Reads a .txt Aiken file or a .gift file; when it has problems, they are printed instead
    and the exit status is 1.
    """
    result = read_question_file(path, file_format or format_for(path))
    if not result.ok:
        echo_errors(result)
        sys.exit(1)
    try:
        click.echo(export_gift(result.questions), nl=False)
    except ValueError as error:
        raise click.ClickException(str(error)) from error


def format_for(path: Path) -> str:
    """The format a file's name suggests: Aiken for .txt, GIFT for anything else."""
    return "aiken" if path.suffix.lower() == ".txt" else "gift"


def read_question_file(path: Path, file_format: str) -> ParsedFile:
    """Read a question file; a file that cannot be read is one error on line 1, not a crash."""
    display = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _unreadable(display, f"the file cannot be read: {error.strerror or error}")
    if b"\x00" in data:
        return _unreadable(
            display, "the file is not text (it holds NUL bytes; UTF-16? save it as UTF-8)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return _unreadable(display, f"the file is not UTF-8 text (a bad byte on line {line})")
    return FILE_FORMATS[file_format](text, display)


def _unreadable(display: str, message: str) -> ParsedFile:
    return ParsedFile((), (SourceError(display, 1, message),))


def check_report(path: Path, result: ParsedFile) -> dict[str, Any]:
    """The documented JSON of `lms gift check --json`: exactly file, errors and questions."""
    return {
        "file": str(path),
        "errors": [{"line": error.line, "message": error.message} for error in result.errors],
        "questions": [question.as_json() for question in result.questions],
    }


def echo_errors(result: ParsedFile) -> None:
    """Each problem as `file:line: message` on stderr, then how many there are."""
    for error in result.errors:
        click.echo(str(error), err=True)
    if result.errors:
        count = len(result.errors)
        click.echo(f"{count} problem{'s' if count > 1 else ''} to fix", err=True)


def summary(result: ParsedFile) -> str:
    """One line for a person: "3 questions (2 multichoice, 1 truefalse)"."""
    count = len(result.questions)
    noun = "question" if count == 1 else "questions"
    kinds = ", ".join(f"{number} {kind}" for kind, number in result.type_counts().items())
    return f"{count} {noun} ({kinds})" if kinds else f"{count} {noun}"
