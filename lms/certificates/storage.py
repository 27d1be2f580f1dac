"""Stored certificate PDFs: rendered once at issue, kept in `instance/certificates/`
(the CERTIFICATE_FOLDER setting).

Files are written whole before they are named (a reader never sees half a PDF), and served
only by the name recorded in the certificate's row, never by a name from a request.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app


def folder() -> Path:
    path = Path(current_app.config["CERTIFICATE_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(code: str, pdf: bytes) -> tuple[str, str, int]:
    """Store a certificate's PDF; return its file name, SHA-256 and size."""
    name = f"{code}.pdf"
    target = folder() / name
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, target)
    return name, hashlib.sha256(pdf).hexdigest(), len(pdf)


def path_of(name: str) -> Path:
    return folder() / Path(name).name


def discard(name: str) -> None:
    path_of(name).unlink(missing_ok=True)


def expiry(issued: datetime, months: int | None) -> datetime | None:
    """`months` calendar months after `issued` (31 January + 1 month is 28 or 29 February)."""
    if not months:
        return None
    month_index = issued.month - 1 + months
    year, month = issued.year + month_index // 12, month_index % 12 + 1
    day = min(issued.day, calendar.monthrange(year, month)[1])
    return issued.replace(year=year, month=month, day=day)
