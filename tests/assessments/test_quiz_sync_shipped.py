"""The quizzes shipped in `assessments/` load cleanly with the shipped modules, and stay put."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from lms.assessments.sync import sync_programme
from lms.cli import main
from lms.content.sync import SyncReport
from lms.database import utcnow
from lms.extensions import db
from tests.assessments.quiz_trees import quiz_tally

REPOSITORY = Path(__file__).resolve().parents[2]
CONTENT, ASSESSMENTS = REPOSITORY / "content" / "modules", REPOSITORY / "assessments"
SHIPPED_QUIZZES = len(list(ASSESSMENTS.glob("*/*.gift")))


def sync_shipped(app: Flask) -> SyncReport:
    """Sync the repository's own modules and quizzes, committing when clean."""
    with app.app_context():
        report = sync_programme(CONTENT, ASSESSMENTS, now=utcnow())
        if report.errors:
            db.session.rollback()
        else:
            db.session.commit()
        db.session.remove()
    return report


def test_the_shipped_quizzes_sync_cleanly_and_idempotently(app: Flask) -> None:
    """Every shipped quiz file loads without a problem, and a second sync changes nothing."""
    assert SHIPPED_QUIZZES >= 1
    report = sync_shipped(app)
    assert [str(error) for error in report.errors] == []
    assert quiz_tally(report) == (SHIPPED_QUIZZES, SHIPPED_QUIZZES, 0, 0, 0)
    again = sync_shipped(app)
    assert again.errors == []
    assert quiz_tally(again) == (SHIPPED_QUIZZES, 0, 0, SHIPPED_QUIZZES, 0)
    assert not again.changed


def test_the_command_without_a_path_loads_the_configured_modules_and_quizzes(
    app: Flask,
) -> None:
    """`lms content sync` alone reads CONTENT_PATH and ASSESSMENTS_PATH, which default to the
    repository's folders."""
    result = app.test_cli_runner().invoke(main, ["content", "sync", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["path"], summary["assessments"]) == (
        app.config["CONTENT_PATH"],
        app.config["ASSESSMENTS_PATH"],
    )
    assert Path(app.config["ASSESSMENTS_PATH"]) == ASSESSMENTS
    assert summary["ok"] is True
    assert summary["quizzes"] == summary["details"]["quizzes"]["created"] == SHIPPED_QUIZZES
