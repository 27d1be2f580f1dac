"""Syncing content into the database: idempotent, revision-keeping, all-or-nothing, and the
`lms content sync` command that drives it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.audit import AuditEvent
from lms.auth.roles import Role
from lms.cli import main
from lms.content.models import Lesson, LessonRevision, MediaFile, Module, Outcome
from lms.content.sync import SyncReport
from lms.database import utcnow
from lms.extensions import db
from tests.content.test_loading import png_bytes
from tests.content_files import LessonFile, ModuleFile, sample_module, sync, write_module

ClientAs = Callable[..., FlaskClient]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "modules"
    folder.mkdir()
    return folder


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of every table, so "nothing changed" can be checked exactly."""
    with app.app_context():
        rows = {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return rows


def counts(app: Flask) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot(app).items()}


def tallies(report: SyncReport) -> dict[str, tuple[int, int, int, int, int]]:
    """(total, created, updated, unchanged, retired) for modules, lessons and media."""
    return {
        name: (t.total, t.created, t.updated, t.unchanged, t.retired)
        for name, t in (
            ("modules", report.modules),
            ("lessons", report.lessons),
            ("media", report.media),
        )
    }


def lesson_row(slug: str) -> Lesson:
    return db.session.scalars(select(Lesson).where(Lesson.slug == slug)).one()


def revisions(slug: str) -> list[LessonRevision]:
    return list(
        db.session.scalars(
            select(LessonRevision)
            .join(Lesson)
            .where(Lesson.slug == slug)
            .order_by(LessonRevision.number)
        )
    )


def audit_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def assert_one_current_revision_per_lesson() -> None:
    current = dict(
        db.session.execute(
            select(Lesson.id, func.count(LessonRevision.id))
            .outerjoin(
                LessonRevision, (LessonRevision.lesson_id == Lesson.id) & LessonRevision.is_current
            )
            .group_by(Lesson.id)
        ).all()
    )
    assert current and set(current.values()) == {1}, current


def two_modules(root: Path) -> tuple[ModuleFile, ModuleFile]:
    alpha = sample_module("01-alpha", "A1", outcomes=("LO1", "LO2"))
    beta = sample_module("02-beta", "B1", order=2)
    write_module(root, alpha)
    write_module(root, beta)
    return alpha, beta


# --- first and repeated syncs --------------------------------------------------------------------


def test_the_first_sync_creates_modules_outcomes_lessons_and_first_revisions(
    app: Flask, root: Path
) -> None:
    """Every module, outcome and lesson is created, each lesson with revision 1, current and
    published, and one audit event records the sync."""
    two_modules(root)
    report = sync(app, root)
    assert report.errors == []
    assert tallies(report) == {
        "modules": (2, 2, 0, 0, 0),
        "lessons": (6, 6, 0, 0, 0),
        "media": (0, 0, 0, 0, 0),
    }
    with app.app_context():
        modules = db.session.scalars(select(Module).order_by(Module.position)).all()
        assert [(m.code, m.slug, m.position, m.version) for m in modules] == [
            ("A1", "alpha", 1, 1),
            ("B1", "beta", 2, 1),
        ]
        alpha = modules[0]
        assert alpha.title == "A module"
        assert alpha.summary == "A summary."
        assert alpha.estimated_minutes == 30
        assert alpha.reviewed_on == date(2026, 11, 1)
        assert alpha.lessons_in_order is False
        assert alpha.intro_html == "<p>What this module is about.</p>"
        assert alpha.source_path == "modules/01-alpha/module.md"
        assert alpha.retired_at is None
        assert [(o.code, o.position, o.criteria) for o in alpha.outcomes] == [
            ("A1-LO1", 1, ["Does it well."]),
            ("A1-LO2", 2, ["Does it well."]),
        ]
        assert [(lesson.slug, lesson.position) for lesson in alpha.lessons] == [
            ("first-steps", 1),
            ("on-the-phone", 2),
            ("code-of-conduct", 3),
        ]
        assert db.session.scalar(select(func.count()).select_from(Outcome)) == 3
        [first] = revisions("on-the-phone")[:1]
        assert first.number == 1
        assert first.is_current and first.published
        assert first.title == "On the phone"
        assert first.source == "## Greeting\nSay hello.\n\n"
        assert first.html == '<h2 id="sec-greeting">Greeting</h2>\n<p>Say hello.</p>'
        assert first.toc == [{"level": 2, "anchor": "sec-greeting", "title": "Greeting"}]
        assert first.word_count == 3
        assert first.estimated_minutes == 5
        assert first.source_path in (
            "modules/01-alpha/02-on-the-phone.md",
            "modules/02-beta/02-on-the-phone.md",
        )
        conduct = db.session.scalars(
            select(LessonRevision).where(LessonRevision.title == "Code of conduct")
        ).first()
        assert conduct is not None
        assert conduct.acknowledge is True
        assert (
            conduct.acknowledge_statement == "I have read the code of conduct and will follow it."
        )
        steps = db.session.scalars(
            select(LessonRevision).where(LessonRevision.source_path.like("%01-alpha/01-%"))
        ).one()
        assert steps.outcome_codes == ["A1-LO1"]
        assert steps.acknowledge is False and steps.acknowledge_statement is None
        assert db.session.scalar(select(func.count()).select_from(LessonRevision)) == 6
        assert_one_current_revision_per_lesson()
        [event] = audit_events()
        assert event.action == "content.synced"
        assert event.actor_id is None
        assert event.details == {"path": str(root), "created": 8, "updated": 0, "retired": 0}


def test_a_second_sync_without_changes_changes_nothing(app: Flask, root: Path) -> None:
    """Every count is "unchanged", and not one row (nor audit event) is added or altered."""
    two_modules(root)
    sync(app, root)
    before = snapshot(app)
    report = sync(app, root)
    assert report.errors == []
    assert not report.changed
    assert tallies(report) == {
        "modules": (2, 0, 0, 2, 0),
        "lessons": (6, 0, 0, 6, 0),
        "media": (0, 0, 0, 0, 0),
    }
    assert snapshot(app) == before


def test_editing_a_lesson_makes_revision_2_and_keeps_revision_1(app: Flask, root: Path) -> None:
    """The old text stays on record, no longer current; exactly one revision per lesson is."""
    alpha, _ = two_modules(root)
    sync(app, root)
    alpha.lessons[1].body = "## Greeting\nSay hello, then your name.\n"
    write_module(root, alpha)
    report = sync(app, root)
    assert tallies(report)["lessons"] == (6, 0, 1, 5, 0)
    assert tallies(report)["modules"] == (2, 0, 0, 2, 0)
    with app.app_context():
        module = db.session.scalars(select(Module).where(Module.code == "A1")).one()
        old, new = db.session.scalars(
            select(LessonRevision)
            .join(Lesson)
            .where(Lesson.module_id == module.id, Lesson.slug == "on-the-phone")
            .order_by(LessonRevision.number)
        ).all()
        assert (old.number, old.is_current) == (1, False)
        assert (new.number, new.is_current) == (2, True)
        assert old.source == "## Greeting\nSay hello.\n\n"
        assert new.source == "## Greeting\nSay hello, then your name.\n\n"
        assert new.content_hash != old.content_hash
        assert new.lesson_id == old.lesson_id
        assert db.session.scalar(select(func.count()).select_from(LessonRevision)) == 7
        assert_one_current_revision_per_lesson()
        events = audit_events()
        assert len(events) == 2
        assert events[1].details == {"path": str(root), "created": 0, "updated": 1, "retired": 0}


def test_three_edits_make_three_numbered_revisions(app: Flask, root: Path) -> None:
    """Revision numbers count up per lesson: 1, 2, 3."""
    module = sample_module()
    write_module(root, module)
    sync(app, root)
    for text in ("Second version.", "Third version."):
        module.lessons[0].body = text
        write_module(root, module)
        sync(app, root)
    with app.app_context():
        assert [(r.number, r.is_current, r.source.strip()) for r in revisions("first-steps")] == [
            (1, False, "Some lesson text for the learner to read."),
            (2, False, "Second version."),
            (3, True, "Third version."),
        ]
        assert [r.number for r in revisions("on-the-phone")] == [1]


def test_changing_only_the_minutes_makes_a_revision_with_the_same_content_hash(
    app: Flask, root: Path
) -> None:
    """Bookkeeping is recorded in a new revision, but learners are not told the text changed."""
    module = sample_module()
    write_module(root, module)
    sync(app, root)
    module.lessons[1].minutes = 12
    write_module(root, module)
    report = sync(app, root)
    assert tallies(report)["lessons"] == (3, 0, 1, 2, 0)
    with app.app_context():
        old, new = revisions("on-the-phone")
        assert (old.estimated_minutes, new.estimated_minutes) == (5, 12)
        assert new.content_hash == old.content_hash
        assert new.source_hash != old.source_hash
        assert new.is_current and not old.is_current


def test_changing_only_the_order_moves_the_lesson_with_the_same_content_hash(
    app: Flask, root: Path
) -> None:
    """The moved lesson gets a new revision; a lesson that only shifted position keeps its own."""
    module = sample_module()
    write_module(root, module)
    sync(app, root)
    module.lessons[1].order = 9
    write_module(root, module)
    report = sync(app, root)
    assert tallies(report)["lessons"] == (3, 0, 2, 1, 0)
    with app.app_context():
        old, new = revisions("on-the-phone")
        assert new.content_hash == old.content_hash
        assert [r.number for r in revisions("code-of-conduct")] == [1]
        assert [(s, lesson_row(s).position) for s in ("first-steps", "code-of-conduct")] == [
            ("first-steps", 1),
            ("code-of-conduct", 2),
        ]
        assert lesson_row("on-the-phone").position == 3
        assert_one_current_revision_per_lesson()


def test_editing_module_md_updates_the_module_and_bumps_its_version(app: Flask, root: Path) -> None:
    """A module's own fields are updated in place with a version count; lessons are untouched."""
    module = sample_module(title="Old title")
    write_module(root, module)
    sync(app, root)
    module.title = "New title"
    module.lessons_in_order = True
    write_module(root, module)
    report = sync(app, root)
    assert tallies(report)["modules"] == (1, 0, 1, 0, 0)
    assert tallies(report)["lessons"] == (3, 0, 0, 3, 0)
    with app.app_context():
        row = db.session.scalars(select(Module)).one()
        assert (row.title, row.lessons_in_order, row.version) == ("New title", True, 2)
        assert row.updated_at >= row.created_at
        assert db.session.scalar(select(func.count()).select_from(LessonRevision)) == 3


# --- retiring and restoring ----------------------------------------------------------------------


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


# --- all or nothing ------------------------------------------------------------------------------


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


# --- media ---------------------------------------------------------------------------------------


def add_picture(root: Path, module: ModuleFile, name: str, data: bytes) -> None:
    """Give `module` a picture in media/ shown by its second lesson."""
    module.lessons[1].body = f"## Chart\n![Chart]({'media/' + name})\n"
    write_module(root, module)
    (root / module.folder / "media").mkdir(exist_ok=True)
    (root / module.folder / "media" / name).write_bytes(data)


def test_a_picture_used_by_two_modules_is_stored_once(app: Flask, root: Path) -> None:
    """Pictures are kept by their SHA-256: the same bytes make one row."""
    alpha, beta = sample_module("01-alpha", "A1"), sample_module("02-beta", "B1", order=2)
    add_picture(root, alpha, "chart.png", png_bytes())
    add_picture(root, beta, "chart.png", png_bytes())
    report = sync(app, root)
    assert tallies(report)["media"] == (2, 1, 0, 1, 0)
    with app.app_context():
        [stored] = db.session.scalars(select(MediaFile)).all()
        assert stored.data == png_bytes()
        assert (stored.filename, stored.mime_type, stored.size) == (
            "chart.png",
            "image/png",
            len(png_bytes()),
        )
        url = f"/content/media/{stored.sha256}/chart.png"
        htmls = [r.html for r in revisions("on-the-phone")]
        assert len(htmls) == 2
        assert all(f'src="{url}"' in text for text in htmls)
    again = sync(app, root)
    assert tallies(again)["media"] == (2, 0, 0, 2, 0)


def test_a_changed_picture_is_stored_beside_the_old_one(app: Flask, root: Path) -> None:
    """Old revisions keep showing the picture they were written with."""
    module = sample_module()
    add_picture(root, module, "chart.png", png_bytes((0, 0, 0)))
    sync(app, root)
    (root / "01-alpha" / "media" / "chart.png").write_bytes(png_bytes((255, 255, 255)))
    report = sync(app, root)
    assert tallies(report)["media"] == (1, 1, 0, 0, 0)
    assert tallies(report)["lessons"] == (3, 0, 1, 2, 0)
    with app.app_context():
        stored = {m.sha256 for m in db.session.scalars(select(MediaFile))}
        assert len(stored) == 2
        old, new = revisions("on-the-phone")
        assert new.content_hash != old.content_hash
        for revision in (old, new):
            [sha] = [s for s in stored if s in revision.html]
            assert f"/content/media/{sha}/chart.png" in revision.html


def test_every_picture_a_lesson_shows_is_served(
    app: Flask, root: Path, client_as: ClientAs
) -> None:
    """The same picture under two names (in two modules, or renamed) is stored once, and each
    lesson's image address still answers with the picture."""
    alpha, beta = sample_module("01-alpha", "A1"), sample_module("02-beta", "B1", order=2)
    add_picture(root, alpha, "chart.png", png_bytes())
    add_picture(root, beta, "service-level.png", png_bytes())
    sync(app, root)
    with app.app_context():
        sources = [r.html.split('src="')[1].split('"')[0] for r in revisions("on-the-phone")]
    assert len(sources) == 2
    client = client_as(Role.LEARNER)
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200, source
        assert response.data == png_bytes()
        assert response.mimetype == "image/png"


# --- the database's own guarantees --------------------------------------------------------------


def test_the_database_refuses_two_current_revisions_of_one_lesson(
    app: Flask, app_context: None, root: Path
) -> None:
    """The partial unique index holds even if application code forgets to retire the old one."""
    write_module(root, sample_module())
    sync(app, root)
    lesson = lesson_row("first-steps")
    [current] = revisions("first-steps")
    second = LessonRevision(
        lesson_id=lesson.id,
        number=2,
        title=current.title,
        estimated_minutes=5,
        word_count=1,
        outcome_codes=[],
        source="x",
        html="<p>x</p>",
        toc=[],
        source_hash="0" * 64,
        content_hash="0" * 64,
        source_path=current.source_path,
        is_current=True,
        created_at=utcnow(),
    )
    db.session.add(second)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_index_allows_many_old_revisions_of_one_lesson(
    app: Flask, app_context: None, root: Path
) -> None:
    """Only current revisions are unique per lesson; history may be long."""
    write_module(root, sample_module())
    sync(app, root)
    lesson = lesson_row("first-steps")
    for number in (2, 3):
        db.session.add(
            LessonRevision(
                lesson_id=lesson.id,
                number=number,
                title="Old",
                estimated_minutes=5,
                word_count=1,
                outcome_codes=[],
                source="x",
                html="<p>x</p>",
                toc=[],
                source_hash="0" * 64,
                content_hash="0" * 64,
                source_path="old.md",
                is_current=False,
                created_at=utcnow(),
            )
        )
    db.session.flush()
    assert len(revisions("first-steps")) == 3
    db.session.rollback()


# --- the JSON summary and the command ------------------------------------------------------------

SUMMARY_KEYS = {
    *("path", "dry_run", "ok", "modules", "lessons"),
    *("created", "updated", "unchanged", "retired", "details", "errors"),
}
TALLY_KEYS = {"total", "created", "updated", "unchanged", "retired"}


def test_the_json_summary_has_exactly_the_documented_keys(app: Flask, root: Path) -> None:
    """Scripts rely on its shape: totals, changes of modules plus lessons, details, errors."""
    two_modules(root)
    summary = sync(app, root).as_json()
    assert set(summary) == SUMMARY_KEYS
    assert set(summary["details"]) == {"modules", "lessons", "media"}
    assert all(set(tally) == TALLY_KEYS for tally in summary["details"].values())
    assert summary == {
        "path": str(root),
        "dry_run": False,
        "ok": True,
        "modules": 2,
        "lessons": 6,
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "retired": 0,
        "details": {
            "modules": {"total": 2, "created": 2, "updated": 0, "unchanged": 0, "retired": 0},
            "lessons": {"total": 6, "created": 6, "updated": 0, "unchanged": 0, "retired": 0},
            "media": {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "retired": 0},
        },
        "errors": [],
    }
    assert json.loads(json.dumps(summary)) == summary


def test_the_json_summary_lists_errors_with_file_line_and_message(app: Flask, root: Path) -> None:
    """Each error is an object with exactly file, line and message."""
    write_module(root, ModuleFile("01-alpha", "A1"))
    summary = sync(app, root).as_json()
    assert set(summary) == SUMMARY_KEYS
    assert summary["ok"] is False
    assert summary["errors"] == [
        {"file": "modules/01-alpha", "line": 0, "message": "the module has no lesson files"}
    ]


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(main, list(args))


def test_the_command_syncs_and_prints_json(app: Flask, root: Path) -> None:
    """`lms content sync PATH --json` exits 0, prints the summary and saves the content."""
    two_modules(root)
    result = run(app, "content", "sync", str(root), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) == SUMMARY_KEYS
    assert (summary["ok"], summary["created"], summary["dry_run"]) == (True, 8, False)
    assert counts(app)["lesson_revisions"] == 6
    again = json.loads(run(app, "content", "sync", str(root), "--json").stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 8)


def test_the_command_prints_counts_for_a_person(app: Flask, root: Path) -> None:
    """Without --json the counts are sentences on stdout."""
    write_module(root, sample_module())
    result = run(app, "content", "sync", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Modules: 1 (1 new, 0 updated, 0 unchanged, 0 retired)",
        "Lessons: 3 (3 new, 0 updated, 0 unchanged, 0 retired)",
        "Images:  0 (0 new, 0 updated, 0 unchanged, 0 retired)",
    ]
    assert result.stderr == ""


def test_the_command_reports_bad_files_on_stderr_and_exits_1(app: Flask, root: Path) -> None:
    """Each problem is a `file:line: message` line on stderr; nothing is saved."""
    module = sample_module()
    module.lessons.append(LessonFile("extra", "Extra", body="# Big title\n"))
    folder = write_module(root, module)
    (folder / "05-notes.txt").write_text("scratch")
    result = run(app, "content", "sync", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "modules/01-alpha/04-extra.md:6: use ## for sections: the title is the only # heading",
        "modules/01-alpha/05-notes.txt:1: lesson files are named NN-slug.md, for example "
        "01-welcome.md",
        "Nothing was loaded: 2 problem(s) to fix.",
    ]
    assert result.stdout == ""
    assert set(counts(app).values()) == {0}


def test_the_command_with_json_reports_bad_files_in_the_json_and_exits_1(
    app: Flask, root: Path
) -> None:
    """A script gets `ok: false` and the errors, and the exit status says it failed."""
    write_module(root, ModuleFile("01-alpha", "A1"))
    result = run(app, "content", "sync", str(root), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert [e["message"] for e in summary["errors"]] == ["the module has no lesson files"]
    assert set(counts(app).values()) == {0}


def test_the_command_dry_run_saves_nothing(app: Flask, root: Path) -> None:
    """`--dry-run` counts what would change, says so, and leaves the database alone."""
    two_modules(root)
    result = run(app, "content", "sync", str(root), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Modules: 2 (2 new, 0 updated, 0 unchanged, 0 retired)"
    assert result.stdout.splitlines()[-1] == "Dry run: nothing was saved."
    assert set(counts(app).values()) == {0}
    as_json = json.loads(run(app, "content", "sync", str(root), "--dry-run", "--json").stdout)
    assert (as_json["dry_run"], as_json["created"]) == (True, 8)
    assert set(counts(app).values()) == {0}


def test_the_command_reports_an_impossible_date_as_a_file_line_error(
    app: Flask, root: Path
) -> None:
    """`reviewed: 2026-02-30` is the author's mistake: reported at its line, exit 1, no crash."""
    folder = write_module(root, sample_module())
    text = (folder / "module.md").read_text().replace("2026-11-01", "2026-02-30")
    (folder / "module.md").write_text(text)
    result = run(app, "content", "sync", str(root))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("modules/01-alpha/module.md:6: `reviewed`")
    assert set(counts(app).values()) == {0}


def test_the_command_refuses_a_missing_folder(app: Flask, tmp_path: Path) -> None:
    """A mistyped path is an error, not an empty programme that retires everything."""
    result = run(app, "content", "sync", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{tmp_path / 'nowhere'}:0: no such folder"


def test_the_shipped_content_syncs_cleanly_and_idempotently(app: Flask) -> None:
    """The modules in the repository load without a single problem, and a second sync of them
    changes nothing."""
    root = Path(app.config["CONTENT_PATH"])
    assert root.is_dir()
    report = sync(app, root)
    assert [str(error) for error in report.errors] == []
    assert report.modules.created >= 1
    assert report.lessons.created >= 1
    again = sync(app, root)
    assert not again.changed
    assert again.errors == []
