"""Spreadsheet exports: the one place cells are made safe to open in Excel or LibreOffice.

A cell that begins with =, +, -, @, tab or carriage return is read as a formula by spreadsheet
programs, so text a learner typed ("=HYPERLINK(...)") could run when HR opens an export. Every
exported text cell goes through `neutralise`, which prefixes such cells with an apostrophe: the
program then shows the text as typed. CSV and XLSX both go through here.

An XLSX file is written with XlsxWriter, row by row (`constant_memory`), so a file of a hundred
thousand rows takes no more memory than one of ten. Text is always written as text, never
guessed at: `strings_to_formulas` and `strings_to_urls` are off, and `neutralise` still runs, so
a cell copied out of the workbook into a CSV file stays harmless there too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a CSV file as the local code page unless it starts with a byte order mark, which
# would turn "Müller" into "MÃ¼ller".
BYTE_ORDER_MARK = "\ufeff"

# A date is written as a date cell in XLSX and as YYYY-MM-DD in CSV.
Cell = str | int | float | date | None


def neutralise(value: Cell) -> Cell:
    """The cell as a spreadsheet should show it: text that would start a formula gets a
    leading apostrophe; numbers, dates and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """A CSV file line by line (header first), every cell neutralised, for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Sequence[Cell]) -> str:
        writer.writerow([neutralise(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield BYTE_ORDER_MARK + line(header)
    for row in rows:
        yield line(row)


@dataclass(frozen=True)
class Column:
    """A column of an XLSX sheet: its heading and its width in characters."""

    header: str
    width: float = 14


# Every XlsxWriter workbook the platform writes is opened with these options.
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # each row goes to disk as it is written
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def xlsx_file(
    path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Cell]], *, sheet: str
) -> int:
    """Write an XLSX file of one sheet: a bold, frozen header row, the columns' widths, text
    neutralised, numbers as numbers and dates as date cells. Returns the rows written."""
    workbook = Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        worksheet = workbook.add_worksheet(sheet)
        header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        for index, column in enumerate(columns):
            worksheet.set_column(index, index, column.width)
            worksheet.write_string(0, index, str(neutralise(column.header)), header)
        worksheet.freeze_panes(1, 0)
        writers = _cell_writers(workbook, worksheet)
        written = 0
        for written, row in enumerate(rows, start=1):
            for index, cell in enumerate(row):
                if cell is not None and cell != "":  # blank cells are left out
                    writers.get(type(cell), _refuse)(written, index, cell)
        worksheet.autofilter(0, 0, written, len(columns) - 1)
    finally:
        workbook.close()
    return written


Writer = Callable[[int, int, Any], Any]


def _cell_writers(workbook: Workbook, worksheet: Any) -> dict[type, Writer]:
    """How each type of cell is written, looked up once per cell: the loop's hot path."""
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    decimal = workbook.add_format({"num_format": "0.0"})
    return {
        str: lambda row, column, text: worksheet.write_string(row, column, neutralise(text)),
        int: worksheet.write_number,
        float: lambda row, column, number: worksheet.write_number(row, column, number, decimal),
        date: lambda row, column, value: worksheet.write_datetime(row, column, value, day),
    }


def _refuse(_row: int, _column: int, cell: Any) -> None:
    # A datetime would need a time zone XLSX cannot hold; a bool is not a number.
    raise TypeError(f"cannot write a {type(cell).__name__} cell: use text, a number or a date")
