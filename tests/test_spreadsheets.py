"""Spreadsheet cells: text that a spreadsheet would run as a formula is shown as typed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from lms.spreadsheets import Column, csv_lines, neutralise, xlsx_file

HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_starting_a_formula_gets_a_leading_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Nomvula Dlamini-Müller", "a=b", "", "'quoted", 5, -2.5, None])
def test_other_cells_are_left_alone(value: str | int | float | None) -> None:
    """Numbers stay numbers, even negative ones: only text can smuggle a formula."""
    assert neutralise(value) == value


def test_csv_lines_read_back_with_every_cell_neutralised() -> None:
    lines = list(csv_lines(["name", "n"], [[text, 1] for text in HOSTILE]))
    body = "".join(lines)

    assert body.startswith("\ufeff")  # so Excel reads UTF-8
    assert len(lines) == 1 + len(HOSTILE)  # one chunk per row: streamed, not built whole
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["name", "n"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert all(row[1] == "1" for row in rows[1:])


def test_xlsx_file_reads_back_typed_neutralised_and_frozen(tmp_path: Path) -> None:
    """Text neutralised (OOXML escapes a carriage return as _x000D_), numbers as numbers,
    dates as date cells, blanks left empty, a bold frozen header with the columns' widths."""
    path = tmp_path / "cells.xlsx"
    columns = [Column("Name", 30), Column("Count", 8), Column("Score", 8), Column("Due", 12)]
    rows = [[text, n, n + 0.25, date(2026, 12, 1 + n)] for n, text in enumerate(HOSTILE)]
    rows.append(["Nomvula Dlamini-Müller", -2, None, None])

    assert xlsx_file(path, columns, iter(rows), sheet="Cells") == len(rows)

    sheet = openpyxl.load_workbook(path)["Cells"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["Name", "Count", "Score", "Due"]
    assert sheet["A1"].font.b
    assert round(sheet.column_dimensions["A"].width) == 31  # Excel adds its padding
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    shown = [str(row[0]).replace("_x000D_", "\r") for row in values]
    assert shown[:-1] == ["'" + text for text in HOSTILE]
    assert values[-1] == ("Nomvula Dlamini-Müller", -2, None, None)
    assert [row[1] for row in values[:3]] == [0, 1, 2]
    assert values[1][2] == 1.25
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
    assert values[0][3] == datetime(2026, 12, 1)


@pytest.mark.parametrize("cell", [datetime(2026, 12, 1, 9, 0, tzinfo=UTC), True])
def test_xlsx_file_refuses_cells_it_cannot_write_faithfully(tmp_path: Path, cell: object) -> None:
    with pytest.raises(TypeError):
        xlsx_file(tmp_path / "bad.xlsx", [Column("When")], [[cell]], sheet="Bad")  # type: ignore[list-item]


def test_csv_lines_write_dates_as_iso_days() -> None:
    body = "".join(csv_lines(["due", "done"], [[date(2026, 2, 3), None]]))
    assert body.removeprefix("\ufeff").splitlines() == ["due,done", "2026-02-03,"]
