"""`lms content sync PATH --assessments DIR`: quiz counts in its output, quiz errors on stderr
and in the exit status, and quizzes left alone when no assessments folder is named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask

from lms.cli import main
from tests.assessments.quiz_trees import quiz_row, row_counts
from tests.quiz_files import QuizWorld, quiz_world, summative_quiz

TALLY_KEYS = {"total", "created", "updated", "unchanged", "retired"}


@pytest.fixture
def world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Module A1 with a knowledge check and a summative, written to disk but not synced."""
    world = quiz_world(app, tmp_path)
    world.quizzes.append(summative_quiz())
    world.write()
    return world


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(main, list(args))


def sync_both(app: Flask, world: QuizWorld, *options: str) -> Result:
    """`lms content sync CONTENT --assessments ASSESSMENTS [options]`."""
    content, assessments = str(world.content), str(world.assessments)
    return run(app, "content", "sync", content, "--assessments", assessments, *options)


def summary_of(result: Result) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_the_json_summary_counts_the_quizzes(app: Flask, world: QuizWorld) -> None:
    """`quizzes`, `assessments` and `details.quizzes` are there, and quizzes count in the four
    totals."""
    result = sync_both(app, world, "--json")
    assert result.exit_code == 0, result.output
    summary = summary_of(result)
    assert (summary["path"], summary["assessments"]) == (
        str(world.content),
        str(world.assessments),
    )
    assert (summary["ok"], summary["modules"], summary["lessons"], summary["quizzes"]) == (
        True,
        1,
        3,
        2,
    )
    assert set(summary["details"]["quizzes"]) == TALLY_KEYS
    assert summary["details"]["quizzes"] == {
        "total": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "retired": 0,
    }
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (6, 0, 0)
    assert row_counts(app)["quiz_revisions"] == 2


def test_a_second_run_reports_every_quiz_unchanged(app: Flask, world: QuizWorld) -> None:
    """Idempotent from the command line too."""
    sync_both(app, world)
    summary = summary_of(sync_both(app, world, "--json"))
    assert summary["details"]["quizzes"] == {
        "total": 2,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "retired": 0,
    }
    assert (summary["created"], summary["unchanged"]) == (0, 6)


def test_the_text_summary_has_a_quizzes_line(app: Flask, world: QuizWorld) -> None:
    """A person sees the quiz counts after the images."""
    result = sync_both(app, world)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Modules: 1 (1 new, 0 updated, 0 unchanged, 0 retired)",
        "Lessons: 3 (3 new, 0 updated, 0 unchanged, 0 retired)",
        "Images:  0 (0 new, 0 updated, 0 unchanged, 0 retired)",
        "Quizzes: 2 (2 new, 0 updated, 0 unchanged, 0 retired)",
    ]
    assert result.stderr == ""


def test_a_quiz_error_is_printed_as_file_line_message_and_exits_1(
    app: Flask, world: QuizWorld
) -> None:
    """The error on stderr, nothing on stdout, nothing saved (not even the lessons)."""
    world.quiz().settings["pass_mark"] = "80"
    world.write()
    result = sync_both(app, world)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "assessments/A1/knowledge-check.yml:4: `pass_mark` should be a whole number",
        "Nothing was loaded: 1 problem(s) to fix.",
    ]
    assert result.stdout == ""
    assert set(row_counts(app).values()) == {0}


def test_a_quiz_error_with_json_is_in_the_errors_list_and_exits_1(
    app: Flask, world: QuizWorld
) -> None:
    """A script gets `ok: false`, the error as file, line and message, and every count 0."""
    (world.assessments / "A1" / "notes.txt").write_text("scratch")
    result = sync_both(app, world, "--json")
    assert result.exit_code == 1
    summary = summary_of(result)
    assert summary["ok"] is False
    assert summary["errors"] == [
        {
            "file": "assessments/A1/notes.txt",
            "line": 1,
            "message": "only .gift and .yml files belong here",
        }
    ]
    assert (summary["quizzes"], summary["details"]["quizzes"]["created"]) == (0, 0)
    assert set(row_counts(app).values()) == {0}


def test_a_missing_assessments_folder_is_an_error(app: Flask, world: QuizWorld) -> None:
    """A mistyped --assessments must not retire every quiz."""
    sync_both(app, world)
    nowhere = world.root / "assesments"
    result = run(app, "content", "sync", str(world.content), "--assessments", str(nowhere))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{nowhere}:0: no such folder"
    with app.app_context():
        assert quiz_row("knowledge-check").retired_at is None


def test_a_dry_run_counts_the_quizzes_and_saves_nothing(app: Flask, world: QuizWorld) -> None:
    """`--dry-run --json`: the counts of a first sync, and an empty database afterwards."""
    result = sync_both(app, world, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    summary = summary_of(result)
    assert (summary["dry_run"], summary["quizzes"], summary["created"]) == (True, 2, 6)
    assert set(row_counts(app).values()) == {0}


def test_a_path_without_assessments_leaves_the_quizzes_untouched(
    app: Flask, world: QuizWorld
) -> None:
    """Syncing only lessons neither retires the quizzes whose files are gone nor edits the
    changed ones."""
    sync_both(app, world)
    before = row_counts(app)
    world.quiz().settings["pass_mark"] = 90
    world.quizzes.pop()
    world.write()
    result = run(app, "content", "sync", str(world.content), "--json")
    assert result.exit_code == 0, result.output
    summary = summary_of(result)
    assert (summary["assessments"], summary["quizzes"]) == (None, 0)
    assert summary["details"]["quizzes"] == dict.fromkeys(TALLY_KEYS, 0)
    assert (summary["unchanged"], summary["retired"]) == (4, 0)
    assert row_counts(app) == before
    with app.app_context():
        assert quiz_row("summative").retired_at is None
        assert [r.number for r in quiz_row("knowledge-check").revisions] == [1]


def test_a_path_without_assessments_prints_no_quizzes_line(app: Flask, world: QuizWorld) -> None:
    """No `Quizzes:` line when quizzes were not part of the sync."""
    result = run(app, "content", "sync", str(world.content))
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "Modules",
        "Lessons",
        "Images",
    ]
    assert row_counts(app)["quizzes"] == 0
