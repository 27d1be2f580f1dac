"""Spreadsheet exports: the one place cells are made safe to open in Excel or LibreOffice.

A cell that begins with =, +, -, @, tab or carriage return is read as a formula by spreadsheet
programs, so text a learner typed ("=HYPERLINK(...)") could run when HR opens an export. Every
exported text cell goes through `neutralise`, which prefixes such cells with an apostrophe: the
program then shows the text as typed. CSV now, XLSX later, both through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a CSV file as the local code page unless it starts with a byte order mark, which
# would turn "Müller" into "MÃ¼ller".
BYTE_ORDER_MARK = "\ufeff"

Cell = str | int | float | None


def neutralise(value: Cell) -> Cell:
    """The cell as a spreadsheet should show it: text that would start a formula gets a
    leading apostrophe; numbers and empty cells stay as they are."""
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
