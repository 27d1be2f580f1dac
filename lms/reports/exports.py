"""The completion records as CSV and XLSX, for the browser and the command line alike.

Both formats take the same rows (`records.iter_records`, a generator) and the same cells, and
both send every text cell through `lms.spreadsheets.neutralise`. Neither holds the rows in
memory: CSV goes out line by line as the rows are read, and XLSX is written row by row to a
temporary file (XlsxWriter's constant-memory mode), then sent in chunks.

Every export is audited as `records.exported` with the format, the filters and the number of
rows actually written. That number is known only once the rows have been read, so a CSV
download records its event when its stream ends, in a transaction of its own; a download cut
short is still recorded, with `complete: false` and the rows sent until then.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from flask import stream_with_context
from werkzeug.wrappers import Response

from lms import audit
from lms.auth.models import User
from lms.extensions import db
from lms.reports.records import RecordFilter, RecordRow
from lms.spreadsheets import Cell, Column, csv_lines, xlsx_file

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024

COLUMNS = (
    Column("Learner", 26),
    Column("Email", 30),
    Column("Employee number", 12),
    Column("Cohort", 22),
    Column("Client / line of business", 20),
    Column("Membership", 11),
    Column("Module", 8),
    Column("Module title", 34),
    Column("Stage", 20),
    Column("Lessons done", 8),
    Column("Lessons total", 8),
    Column("Best knowledge check %", 11),
    Column("Due", 11),
    Column("Completed", 11),
    Column("Overdue", 8),
    Column("Certificate", 15),
    Column("Certificate expires", 11),
)
HEADERS = [column.header for column in COLUMNS]


def cells(row: RecordRow) -> list[Cell]:
    """One record as spreadsheet cells, in COLUMNS order: numbers and dates stay typed."""
    percent = row.best_check_percent
    return [
        row.name,
        row.email,
        row.employee_number,
        row.cohort,
        row.client,
        row.membership,
        row.module_code,
        row.module_title,
        row.stage.label,
        row.lessons_done,
        row.lessons_total,
        round(float(percent), 1) if percent is not None else None,
        row.due,
        row.completed,
        "Yes" if row.overdue else "No",
        row.certificate_code or "",
        row.certificate_expires,
    ]


def filename(extension: str, today: date) -> str:
    return f"completion-records-{today:%Y-%m-%d}.{extension}"


def audit_export(
    fmt: str, criteria: RecordFilter, rows: int, *, actor: User | None, **extra: Any
) -> None:
    """Record one export (the caller commits)."""
    details = {"format": fmt, "filters": criteria.described(), "rows": rows, **extra}
    audit.record("records.exported", actor=actor, details=details)


# --- To a browser -----------------------------------------------------------------------------


def csv_download(
    rows: Iterable[RecordRow], criteria: RecordFilter, *, actor: User, today: date
) -> Response:
    """A streamed CSV response; its audit event is recorded as the stream ends."""

    def lines() -> Iterator[str]:
        counted = _Counted(rows)
        complete = False
        try:
            yield from csv_lines(HEADERS, counted)
            complete = True
        finally:
            # Also when the download is cut short (GeneratorExit) or fails: the rows that left
            # are on record, in a transaction of their own.
            db.session.rollback()
            extra = {} if complete else {"complete": False}
            audit_export("csv", criteria, counted.count, actor=actor, **extra)
            db.session.commit()

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename("csv", today)}"'},
    )


def xlsx_download(
    rows: Iterable[RecordRow], criteria: RecordFilter, *, actor: User, today: date
) -> Response:
    """The XLSX written to a temporary file (audited once written), then streamed from it."""
    handle, path = _temporary_file(".xlsx")
    try:
        written = xlsx_file(path, COLUMNS, (cells(row) for row in rows), sheet="Records")
        audit_export("xlsx", criteria, written, actor=actor)
        db.session.commit()
        # The open handle keeps the data readable; the name goes at once, so nothing is left
        # behind however the download ends.
        source = open(path, "rb")  # noqa: SIM115 (closed by the response)
    finally:
        os.close(handle)
        path.unlink(missing_ok=True)
    size = os.fstat(source.fileno()).st_size
    response = Response(
        _chunks(source),
        mimetype=XLSX_TYPE,
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f'attachment; filename="{filename("xlsx", today)}"',
        },
    )
    response.call_on_close(source.close)  # should the download end before it is read out
    return response


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    with source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk


# --- To a file --------------------------------------------------------------------------------


def write_file(path: Path, fmt: str, rows: Iterable[RecordRow]) -> int:
    """Write the records to `path` in `fmt`; returns the rows written. The file appears only
    when complete: it is written beside `path` and renamed, and removed on any failure."""
    handle, partial = _temporary_file(f".{fmt}", folder=path.parent)
    os.close(handle)
    try:
        if fmt == "xlsx":
            written = xlsx_file(partial, COLUMNS, (cells(row) for row in rows), sheet="Records")
        else:
            written = _write_csv(partial, rows)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return written


def _write_csv(path: Path, rows: Iterable[RecordRow]) -> int:
    counted = _Counted(rows)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.writelines(csv_lines(HEADERS, counted))
    return counted.count


class _Counted:
    """The rows as cells, counting each as it is handed over (its line is written next)."""

    def __init__(self, rows: Iterable[RecordRow]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[list[Cell]]:
        for row in self.rows:
            self.count += 1
            yield cells(row)


def _temporary_file(suffix: str, folder: Path | None = None) -> tuple[int, Path]:
    handle, name = tempfile.mkstemp(prefix=".records-", suffix=suffix, dir=folder)
    return handle, Path(name)
