"""Quizzes whose files disappear are retired, never deleted, and come back when restored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.assessments.quiz_trees import quiz_row, quiz_tally, row_counts
from tests.content_files import sample_module
from tests.quiz_files import QuizFile, QuizWorld, quiz_world, summative_quiz

FIRST = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = FIRST + timedelta(days=1)
LATEST = FIRST + timedelta(days=2)


@pytest.fixture
def world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Modules A1 and B1; A1 has a knowledge check and a summative, B1 a knowledge check."""
    world = quiz_world(app, tmp_path)
    world.quizzes.append(summative_quiz())
    world.modules.append(sample_module("02-beta", "B1", order=2))
    world.quizzes.append(QuizFile("knowledge-check", "B1"))
    return world


def without(world: QuizWorld, module: str, slug: str | None = None) -> QuizFile:
    """Take the quiz (or, without a slug, the first quiz of `module`) out of the world."""
    quiz = next(q for q in world.quizzes if q.module == module and slug in (None, q.slug))
    world.quizzes.remove(quiz)
    return quiz


def test_a_removed_quiz_is_retired_with_its_revisions_kept(app: Flask, world: QuizWorld) -> None:
    """The row, its revision and its questions stay, so attempts on it stay readable."""
    world.publish(now=FIRST)
    before = row_counts(app)
    without(world, "A1", "summative")
    report = world.publish(now=LATER)
    assert quiz_tally(report) == (2, 0, 0, 2, 1)
    assert report.changed
    kept = ("quizzes", "quiz_revisions", "questions")
    assert [row_counts(app)[name] for name in kept] == [before[name] for name in kept]
    with app.app_context():
        quiz = quiz_row("summative")
        assert quiz.retired_at == LATER
        assert [(r.number, r.is_current) for r in quiz.revisions] == [(1, True)]
        assert quiz_row("knowledge-check").retired_at is None


def test_a_retired_quiz_is_counted_once(app: Flask, world: QuizWorld) -> None:
    """The next sync neither retires it again nor moves its retirement date."""
    world.publish(now=FIRST)
    without(world, "A1", "summative")
    world.publish(now=LATER)
    report = world.publish(now=LATEST)
    assert quiz_tally(report) == (2, 0, 0, 2, 0)
    assert not report.changed
    with app.app_context():
        assert quiz_row("summative").retired_at == LATER


def test_a_restored_unchanged_quiz_is_updated_and_keeps_its_revision(
    app: Flask, world: QuizWorld
) -> None:
    """Putting the files back un-retires the quiz; the same revision is current again."""
    world.publish(now=FIRST)
    summative = without(world, "A1", "summative")
    world.publish(now=LATER)
    world.quizzes.append(summative)
    report = world.publish(now=LATEST)
    assert quiz_tally(report) == (3, 0, 1, 2, 0)
    assert report.changed
    with app.app_context():
        quiz = quiz_row("summative")
        assert quiz.retired_at is None
        assert [(r.number, r.is_current, r.created_at) for r in quiz.revisions] == [
            (1, True, FIRST)
        ]


def test_a_restored_changed_quiz_is_updated_once_with_a_new_revision(
    app: Flask, world: QuizWorld
) -> None:
    """Restored and edited: counted once as updated, with revision 2 current."""
    world.publish(now=FIRST)
    summative = without(world, "A1", "summative")
    world.publish(now=LATER)
    summative.settings["pass_mark"] = 50
    world.quizzes.append(summative)
    report = world.publish(now=LATEST)
    assert quiz_tally(report) == (3, 0, 1, 2, 0)
    with app.app_context():
        quiz = quiz_row("summative")
        assert quiz.retired_at is None
        assert [(r.number, r.is_current) for r in quiz.revisions] == [(1, False), (2, True)]
        assert quiz.revisions[1].settings["pass_mark"] == 50


def test_removing_a_modules_quiz_folder_retires_all_its_quizzes(
    app: Flask, world: QuizWorld
) -> None:
    """A1's folder gone: both A1 quizzes retired, B1's untouched, the module itself kept."""
    world.publish(now=FIRST)
    world.quizzes = [q for q in world.quizzes if q.module != "A1"]
    report = world.publish(now=LATER)
    assert not (world.assessments / "A1").exists()
    assert quiz_tally(report) == (1, 0, 0, 1, 2)
    assert report.modules.retired == 0
    with app.app_context():
        assert quiz_row("knowledge-check", "A1").retired_at == LATER
        assert quiz_row("summative", "A1").retired_at == LATER
        assert quiz_row("knowledge-check", "B1").retired_at is None


def test_retiring_a_module_with_its_quiz_folder_retires_both(app: Flask, world: QuizWorld) -> None:
    """B1's content folder and quiz folder removed together: the module and its quiz retire."""
    world.publish(now=FIRST)
    world.modules = [m for m in world.modules if m.code != "B1"]
    without(world, "B1")
    report = world.publish(now=LATER)
    assert (report.modules.retired, quiz_tally(report)) == (1, (2, 0, 0, 2, 1))
    with app.app_context():
        quiz = quiz_row("knowledge-check", "B1")
        assert (quiz.retired_at, quiz.module.retired_at) == (LATER, LATER)


def test_a_quiz_folder_left_behind_by_a_retired_module_stops_the_sync(
    app: Flask, world: QuizWorld
) -> None:
    """Removing B1's lessons but not its quizzes is a mistake: nothing is retired."""
    world.publish(now=FIRST)
    before = row_counts(app)
    world.modules = [m for m in world.modules if m.code != "B1"]
    world.write()
    report = world.sync(now=LATER)
    assert [str(error) for error in report.errors] == [
        "assessments/B1:0: there is no module with the code B1"
    ]
    assert row_counts(app) == before
    with app.app_context():
        assert quiz_row("knowledge-check", "B1").module.retired_at is None


def test_quizzes_with_the_same_file_name_in_two_modules_are_two_quizzes(
    app: Flask, world: QuizWorld
) -> None:
    """A quiz is its module plus its file name: retiring A1's leaves B1's alone."""
    world.publish(now=FIRST)
    without(world, "A1", "knowledge-check")
    world.publish(now=LATER)
    with app.app_context():
        assert quiz_row("knowledge-check", "A1").retired_at == LATER
        assert quiz_row("knowledge-check", "B1").retired_at is None
