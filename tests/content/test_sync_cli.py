"""`lms content sync`: its JSON summary, its output and exit status, and the shipped content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from lms.cli import main
from tests.content.synced_rows import counts
from tests.content.trees import two_modules
from tests.content_files import LessonFile, ModuleFile, sample_module, sync, write_module

SUMMARY_KEYS = {
    *("path", "assessments", "dry_run", "ok", "modules", "lessons", "quizzes"),
    *("created", "updated", "unchanged", "retired", "details", "errors"),
}
TALLY_KEYS = {"total", "created", "updated", "unchanged", "retired"}


# --- the JSON summary ----------------------------------------------------------------------------


def test_the_json_summary_has_exactly_the_documented_keys(app: Flask, root: Path) -> None:
    """Scripts rely on its shape: totals, changes of modules plus lessons, details, errors."""
    two_modules(root)
    summary = sync(app, root).as_json()
    assert set(summary) == SUMMARY_KEYS
    assert set(summary["details"]) == {"modules", "lessons", "media", "quizzes"}
    assert all(set(tally) == TALLY_KEYS for tally in summary["details"].values())
    assert summary == {
        "path": str(root),
        "assessments": None,
        "dry_run": False,
        "ok": True,
        "modules": 2,
        "lessons": 6,
        "quizzes": 0,
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "retired": 0,
        "details": {
            "modules": {"total": 2, "created": 2, "updated": 0, "unchanged": 0, "retired": 0},
            "lessons": {"total": 6, "created": 6, "updated": 0, "unchanged": 0, "retired": 0},
            "media": {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "retired": 0},
            "quizzes": {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "retired": 0},
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


# --- the command ---------------------------------------------------------------------------------


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
