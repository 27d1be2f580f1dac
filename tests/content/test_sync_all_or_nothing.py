"""A sync saves all or nothing: one bad file, or a dry run, leaves the database as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from tests.content.pictures import png_bytes
from tests.content.synced_rows import counts, snapshot, tallies
from tests.content.trees import two_modules
from tests.content_files import ModuleFile, sample_module, sync, write_module


def test_a_bad_file_anywhere_leaves_the_database_exactly_as_it_was(app: Flask, root: Path) -> None:
    """Edits, a new valid module and a removed lesson are all held back by one bad file."""
    alpha, _ = two_modules(root)
    sync(app, root)
    before = snapshot(app)
    alpha.lessons[0].body = "Changed text."
    write_module(root, alpha)
    (root / "02-beta" / "03-code-of-conduct.md").unlink()
    write_module(root, sample_module("03-gamma", "C1", order=3))
    bad = write_module(root, sample_module("04-delta", "D1", order=4))
    (bad / "02-on-the-phone.md").write_text(
        "---\ntitle: no\norder: 2\nestimated_minutes: 5\n---\nx"
    )
    report = sync(app, root)
    assert [str(error) for error in report.errors] == [
        "modules/04-delta/02-on-the-phone.md:2: `title`: YAML reads an unquoted no as false; write "
        'true or false, or "no" in quotes if you mean the word'
    ]
    assert tallies(report) == {name: (0, 0, 0, 0, 0) for name in ("modules", "lessons", "media")}
    assert not report.changed
    assert snapshot(app) == before


def test_a_bad_file_in_the_very_first_sync_saves_nothing(app: Flask, root: Path) -> None:
    """An empty database stays empty."""
    write_module(root, sample_module("01-alpha", "A1"))
    write_module(root, ModuleFile("02-beta", "B1", order=2))  # a module without lessons
    report = sync(app, root)
    assert [str(error) for error in report.errors] == [
        "modules/02-beta:0: the module has no lesson files"
    ]
    assert set(counts(app).values()) == {0}


def test_a_dry_run_reports_what_a_real_run_does_and_saves_nothing(app: Flask, root: Path) -> None:
    """Same counts as the real run that follows, but not one row changed."""
    alpha, _ = two_modules(root)
    sync(app, root)
    alpha.lessons[0].body = "Changed text."
    write_module(root, alpha)
    shutil.rmtree(root / "02-beta")
    gamma = sample_module("03-gamma", "C1", order=3)
    write_module(root, gamma)
    (root / "03-gamma" / "media").mkdir()
    (root / "03-gamma" / "media" / "chart.png").write_bytes(png_bytes())
    before = snapshot(app)
    dry = sync(app, root, dry_run=True)
    assert snapshot(app) == before
    real = sync(app, root)
    assert dry.dry_run and not real.dry_run
    assert (
        tallies(dry)
        == tallies(real)
        == {
            "modules": (2, 1, 0, 1, 1),
            "lessons": (6, 3, 1, 2, 0),
            "media": (1, 1, 0, 0, 0),
        }
    )
    assert {**dry.as_json(), "dry_run": False} == real.as_json()
    assert snapshot(app) != before


def test_a_dry_run_of_the_first_sync_saves_nothing(app: Flask, root: Path) -> None:
    """Not even the audit event of a sync that did not happen."""
    two_modules(root)
    report = sync(app, root, dry_run=True)
    assert tallies(report)["modules"] == (2, 2, 0, 0, 0)
    assert set(counts(app).values()) == {0}
