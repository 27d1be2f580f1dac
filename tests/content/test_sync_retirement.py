"""Lessons, modules and outcomes gone from the files are retired, and restored when back."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from lms.content.models import Lesson, Module, Outcome
from lms.extensions import db
from tests.content.synced_rows import counts, lesson_row, revisions, tallies
from tests.content.trees import two_modules
from tests.content_files import sample_module, sync, write_module


def test_a_removed_lesson_is_retired_and_restored_when_it_returns(app: Flask, root: Path) -> None:
    """The row and its revisions stay; `retired_at` is set, then cleared when the file is back,
    without a new revision for unchanged text."""
    module = sample_module()
    write_module(root, module)
    sync(app, root)
    (root / "01-alpha" / "02-on-the-phone.md").unlink()
    report = sync(app, root)
    # the lesson after it moves up a place, which counts as updated
    assert tallies(report)["lessons"] == (2, 0, 1, 1, 1)
    with app.app_context():
        lesson = lesson_row("on-the-phone")
        assert lesson.retired_at is not None
        assert [(r.number, r.is_current) for r in revisions("on-the-phone")] == [(1, True)]
        assert lesson_row("first-steps").retired_at is None
    write_module(root, module)
    report = sync(app, root)
    assert tallies(report)["lessons"] == (3, 0, 2, 1, 0)
    with app.app_context():
        assert lesson_row("on-the-phone").retired_at is None
        assert lesson_row("code-of-conduct").position == 3
        assert [r.number for r in revisions("on-the-phone")] == [1]
        assert db.session.scalar(select(func.count()).select_from(Lesson)) == 3


def test_a_retired_lesson_that_returns_changed_gets_the_next_revision_number(
    app: Flask, root: Path
) -> None:
    """Numbering continues across a retirement."""
    module = sample_module()
    write_module(root, module)
    sync(app, root)
    (root / "01-alpha" / "01-first-steps.md").unlink()
    sync(app, root)
    module.lessons[0].body = "Rewritten while it was away."
    write_module(root, module)
    sync(app, root)
    with app.app_context():
        assert lesson_row("first-steps").retired_at is None
        assert [(r.number, r.is_current) for r in revisions("first-steps")] == [
            (1, False),
            (2, True),
        ]


def test_a_removed_module_folder_retires_the_module_and_its_outcomes(
    app: Flask, root: Path
) -> None:
    """Nothing is deleted: the module, its lessons and revisions stay for the records."""
    two_modules(root)
    sync(app, root)
    before = counts(app)
    shutil.rmtree(root / "02-beta")
    report = sync(app, root)
    assert tallies(report)["modules"] == (1, 0, 0, 1, 1)
    with app.app_context():
        beta = db.session.scalars(select(Module).where(Module.code == "B1")).one()
        assert beta.retired_at is not None
        assert all(outcome.retired_at is not None for outcome in beta.outcomes)
        alpha = db.session.scalars(select(Module).where(Module.code == "A1")).one()
        assert alpha.retired_at is None
        assert all(outcome.retired_at is None for outcome in alpha.outcomes)
    after = counts(app)
    assert after["modules"] == before["modules"]
    assert after["lessons"] == before["lessons"]
    assert after["lesson_revisions"] == before["lesson_revisions"]
    assert after["outcomes"] == before["outcomes"]


def test_a_module_folder_that_returns_is_restored(app: Flask, root: Path) -> None:
    """Its module and outcomes are current again, with a new version."""
    _, beta = two_modules(root)
    sync(app, root)
    shutil.rmtree(root / "02-beta")
    sync(app, root)
    write_module(root, beta)
    report = sync(app, root)
    assert tallies(report)["modules"] == (2, 0, 1, 1, 0)
    with app.app_context():
        row = db.session.scalars(select(Module).where(Module.code == "B1")).one()
        assert row.retired_at is None
        assert row.version == 2
        assert all(outcome.retired_at is None for outcome in row.outcomes)
        assert db.session.scalar(select(func.count()).select_from(Module)) == 2


def test_a_removed_outcome_is_retired_and_restored_when_it_returns(app: Flask, root: Path) -> None:
    """Assessments may point at an outcome, so it is retired, never deleted."""
    module = sample_module(outcomes=("LO1", "LO2"))
    write_module(root, module)
    sync(app, root)
    module.outcomes = ("LO1",)
    write_module(root, module)
    sync(app, root)
    with app.app_context():
        outcomes = {o.code: o.retired_at for o in db.session.scalars(select(Outcome))}
        assert outcomes["A1-LO1"] is None
        assert outcomes["A1-LO2"] is not None
    module.outcomes = ("LO1", "LO2")
    write_module(root, module)
    sync(app, root)
    with app.app_context():
        assert all(o.retired_at is None for o in db.session.scalars(select(Outcome)))
        assert db.session.scalar(select(func.count()).select_from(Outcome)) == 2


def test_a_module_given_a_new_code_retires_the_old_one_and_takes_its_folder_name(
    app: Flask, root: Path
) -> None:
    """The code is the identity: a new code is a new module, and the retired one frees the slug."""
    write_module(root, sample_module("01-alpha", "A1"))
    sync(app, root)
    shutil.rmtree(root / "01-alpha")
    write_module(root, sample_module("01-alpha", "A2"))
    report = sync(app, root)
    assert report.errors == []
    assert tallies(report)["modules"] == (1, 1, 0, 0, 1)
    with app.app_context():
        rows = {m.code: m for m in db.session.scalars(select(Module))}
        assert rows["A2"].slug == "alpha" and rows["A2"].retired_at is None
        assert rows["A1"].slug == f"alpha-retired-{rows['A1'].id}"
        assert rows["A1"].retired_at is not None


def test_module_folders_may_swap_names_in_one_sync(app: Flask, root: Path) -> None:
    """Renaming folders so that one module takes the name another gives up (here a swap) is a
    rename of both, not a database error."""
    write_module(root, sample_module("01-alpha", "A1"))
    write_module(root, sample_module("02-beta", "B1", order=2))
    sync(app, root)
    shutil.move(root / "01-alpha", root / "swap")
    shutil.move(root / "02-beta", root / "02-alpha")
    shutil.move(root / "swap", root / "01-beta")
    report = sync(app, root)
    assert report.errors == []
    assert tallies(report)["modules"] == (2, 0, 2, 0, 0)
    with app.app_context():
        assert {m.code: m.slug for m in db.session.scalars(select(Module))} == {
            "A1": "beta",
            "B1": "alpha",
        }
