"""Syncs create, update and keep revisions, one current per lesson; a repeat changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.audit import AuditEvent
from lms.content.models import Lesson, LessonRevision, Module, Outcome
from lms.database import utcnow
from lms.extensions import db
from tests.content.synced_rows import lesson_row, revisions, snapshot, tallies
from tests.content.trees import two_modules
from tests.content_files import sample_module, sync, write_module


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


# --- the database's own guarantees ---------------------------------------------------------------


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
