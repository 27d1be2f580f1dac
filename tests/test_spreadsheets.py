"""Spreadsheet cells: text that a spreadsheet would run as a formula is shown as typed."""

from __future__ import annotations

import csv
import io

import pytest

from lms.spreadsheets import csv_lines, neutralise

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
