"""`lms export records`: the same rows as the web export, to a file, audited; bad options are
refused before anything is written."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import select

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.cli import main
from lms.extensions import db
from lms.reports.exports import HEADERS
from tests.reports.conftest import Organisation, client_for


def run(app: Flask, *args: str) -> Result:
    db.session.commit()
    result = app.test_cli_runner().invoke(main, ["export", "records", *args])
    db.session.expire_all()
    return result


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the exported files (the content tree lives beside it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_the_csv_file_holds_the_same_rows_as_the_web_export(
    app: Flask, organisation: Organisation, hr: User, out: Path
) -> None:
    target = out / "records.csv"
    result = run(app, "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote 9 record(s)" in result.stdout
    assert target.read_bytes() == client_for(app, hr).get("/records/export.csv").get_data()
    assert read_csv(target)[0] == HEADERS


def test_the_xlsx_file_is_filtered_typed_and_audited(
    app: Flask, organisation: Organisation, out: Path
) -> None:
    target = out / "overdue.xlsx"
    result = run(
        app, "--format", "xlsx", "--cohort", "Vela Wave 1", "--status", "overdue", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[6]) for row in rows] == [("Amahle Zulu", "A1"), ("Bongani Mthethwa", "A1")]
    assert sheet.cell(2, HEADERS.index("Due") + 1).is_date
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "records.exported")
    ).one()
    assert event.actor_id is None
    assert event.details == {
        "format": "xlsx",
        "filters": {"cohort_id": str(organisation.wave1.id), "status": "overdue"},
        "rows": 2,
        "source": "command line",
    }
    assert list(out.iterdir()) == [target]  # no temporary file left beside it


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--cohort", "self-paced"], ["Dudu Nkosi", "Dudu Nkosi"]),
        (["--cohort", "{wave2}"], ["Elias Botha"]),
        (["--module", "b2", "--search", "EMP-"], ["Amahle Zulu", "Dudu Nkosi"]),
        (
            ["--due-from", "2000-01-01", "--module", "A1"],
            ["Amahle Zulu", "Bongani Mthethwa", "Cebo Dlamini"],
        ),
    ],
)
def test_the_options_filter_as_the_page_does(
    app: Flask,
    organisation: Organisation,
    out: Path,
    options: list[str],
    expected: list[str],
) -> None:
    target = out / "out.csv"
    args = [option.format(wave2=organisation.wave2.id) for option in options]
    result = run(app, "--format", "csv", *args, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert [row[0] for row in read_csv(target)[1:]] == expected


@pytest.mark.parametrize(
    ("options", "option_named"),
    [
        (["--format", "pdf"], "--format"),
        (["--format", "csv", "--status", "finished"], "--status"),
        (["--format", "csv", "--cohort", "No Such Wave"], "--cohort"),
        (["--format", "csv", "--cohort", "99999"], "--cohort"),
        (["--format", "csv", "--module", "ZZ9"], "--module"),
        (["--format", "csv", "--completed-from", "2026-02-30"], "--completed-from"),
        (
            ["--format", "csv", "--completed-from", "2026-12-05", "--completed-to", "2026-12-01"],
            "--completed-to",
        ),
        (["--format", "csv", "--due-from", "2026-12-05", "--due-to", "2026-01-01"], "--due-to"),
    ],
)
def test_bad_options_name_the_option_and_write_nothing(
    app: Flask, organisation: Organisation, out: Path, options: list[str], option_named: str
) -> None:
    target = out / "records.out"
    result = run(app, *options, "-o", str(target))
    assert result.exit_code == 2
    assert option_named in result.stderr
    assert list(out.iterdir()) == []
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "records.exported")).all()
        == []
    )


def test_an_output_in_a_missing_folder_is_refused(
    app: Flask, organisation: Organisation, out: Path
) -> None:
    result = run(app, "--format", "csv", "-o", str(out / "missing" / "records.csv"))
    assert result.exit_code == 2
    assert "-o" in result.stderr and "does not exist" in result.stderr
    assert list(out.iterdir()) == []


def test_the_output_option_is_required(app: Flask, organisation: Organisation) -> None:
    result = run(app, "--format", "csv")
    assert result.exit_code == 2
    assert "--output" in result.stderr
