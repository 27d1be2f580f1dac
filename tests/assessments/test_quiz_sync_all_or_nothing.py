"""Lessons and quizzes load together, all or nothing; a dry run and an idle sync save nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.extensions import db
from tests.assessments.quiz_trees import quiz_tally, row_counts, sync_events
from tests.content.synced_rows import snapshot
from tests.content_files import sample_module
from tests.quiz_files import KNOWLEDGE_CHECK_GIFT, QuizFile, QuizWorld, quiz_world, summative_quiz

FIRST = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = FIRST + timedelta(days=1)


@pytest.fixture
def world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Modules A1 and B1; A1 has a knowledge check and a summative, B1 a knowledge check."""
    world = quiz_world(app, tmp_path)
    world.quizzes.append(summative_quiz())
    world.modules.append(sample_module("02-beta", "B1", order=2))
    world.quizzes.append(QuizFile("knowledge-check", "B1"))
    return world


def break_three_quizzes(world: QuizWorld) -> list[str]:
    """Put one mistake in each quiz; return the errors a sync must report, in order."""
    a1_check, a1_summative, b1_check = world.quizzes
    a1_check.gift = KNOWLEDGE_CHECK_GIFT + "\n::broken::Which is right? {=this ~that\n"
    a1_summative.settings["colour"] = "red"
    b1_check.settings["outcomes"] = {"questions": {"pick-one": ["A1-LO1"]}}
    return [
        "assessments/A1/knowledge-check.gift:19: the answer block '{' is not closed with '}'",
        "assessments/A1/summative.yml:15: `colour` is not a known key",
        "assessments/B1/knowledge-check.yml:8: outcome A1-LO1 is not an outcome of this module",
    ]


def test_three_broken_quizzes_are_all_reported_and_nothing_is_loaded(
    app: Flask, world: QuizWorld
) -> None:
    """The very first sync: every problem listed, and not one module, lesson or quiz saved."""
    expected = break_three_quizzes(world)
    world.write()
    report = world.sync(now=FIRST)
    assert [str(error) for error in report.errors] == expected
    assert quiz_tally(report) == (0, 0, 0, 0, 0)
    assert (report.modules.total, report.lessons.total) == (0, 0)
    assert not report.changed
    assert set(row_counts(app).values()) == {0}


def test_a_broken_quiz_holds_back_every_lesson_and_quiz_change(
    app: Flask, world: QuizWorld
) -> None:
    """Edited lessons, a new module and edited quizzes all wait for the one bad quiz file."""
    world.publish(now=FIRST)
    before = snapshot(app)
    world.modules[0].lessons[0].body = "Changed text."
    world.modules.append(sample_module("03-gamma", "C1", order=3))
    world.quiz().settings["pass_mark"] = 90
    world.quizzes[1].settings["draw"] = 5
    world.write()
    report = world.sync(now=LATER)
    assert [str(error) for error in report.errors] == [
        "assessments/A1/summative.yml:15: `draw` asks for 5 questions but the file has 2"
    ]
    assert snapshot(app) == before


def test_a_broken_lesson_holds_back_every_quiz_change(app: Flask, world: QuizWorld) -> None:
    """The same rule the other way round: a bad lesson file saves no quiz either."""
    world.publish(now=FIRST)
    before = snapshot(app)
    world.quiz().settings["pass_mark"] = 90
    world.quizzes.pop()
    world.modules[0].lessons[1].body = "# A second title\n"
    world.write()
    report = world.sync(now=LATER)
    assert [str(error) for error in report.errors] == [
        "content/01-alpha/02-on-the-phone.md:6: use ## for sections: the title is the only # "
        "heading"
    ]
    assert snapshot(app) == before


def test_a_dry_run_reports_what_the_real_run_does_and_saves_nothing(
    app: Flask, world: QuizWorld
) -> None:
    """A changed, a removed and a new quiz: the same counts twice, but rows only after the real
    run."""
    world.publish(now=FIRST)
    world.quiz().settings["pass_mark"] = 90
    del world.quizzes[1]
    world.quizzes.append(summative_quiz("B1"))
    world.write()
    before = snapshot(app)
    dry = world.sync(now=LATER, dry_run=True)
    assert snapshot(app) == before
    real = world.sync(now=LATER)
    assert dry.errors == real.errors == []
    assert quiz_tally(dry) == quiz_tally(real) == (3, 1, 1, 1, 1)
    assert {**dry.as_json(), "dry_run": False} == real.as_json()
    assert snapshot(app) != before


def test_a_dry_run_of_the_first_sync_saves_nothing(app: Flask, world: QuizWorld) -> None:
    """Not a quiz, not a lesson, not the audit event of a sync that did not happen."""
    world.write()
    report = world.sync(now=FIRST, dry_run=True)
    assert quiz_tally(report) == (3, 3, 0, 0, 0)
    assert report.dry_run
    assert set(row_counts(app).values()) == {0}


def test_the_sync_is_audited_only_when_something_changed(app: Flask, world: QuizWorld) -> None:
    """First sync: one event; an idle sync: none; a quiz-only edit: one more, counting it."""
    world.publish(now=FIRST)
    world.publish(now=LATER)
    world.quiz().settings["pass_mark"] = 90
    world.publish(now=LATER)
    with app.app_context():
        events = sync_events()
        assert [(e.actor_id, e.details) for e in events] == [
            (None, {"path": str(world.content), "created": 11, "updated": 0, "retired": 0}),
            (None, {"path": str(world.content), "created": 0, "updated": 1, "retired": 0}),
        ]
        db.session.remove()


def test_retiring_a_quiz_alone_is_audited(app: Flask, world: QuizWorld) -> None:
    """A sync whose only change is a retired quiz still counts as a change."""
    world.publish(now=FIRST)
    world.quizzes.pop()
    report = world.publish(now=LATER)
    assert report.changed
    with app.app_context():
        assert sync_events()[-1].details["retired"] == 1
        assert len(sync_events()) == 2
