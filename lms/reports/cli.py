"""`lms export records`: the completion records as CSV or XLSX, streamed to a file."""

from __future__ import annotations

import click


@click.group("export")
def export_group() -> None:
    """Export records to files."""
