"""`lms content coverage`: every criterion with the lessons that teach it and the questions that
test it, read from the files; a gap or a broken file makes it exit 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from lms.cli import main
from tests.assessments.quiz_trees import write_tree
from tests.content_files import LessonFile, ModuleFile, write_module
from tests.programme.shipped import modules


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(main, ["content", "coverage", *args])


def test_the_shipped_programme_has_no_gap(app: Flask) -> None:
    """With no arguments it reads the configured folders: every criterion taught and tested."""
    result = run(app, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    criteria = [c for module in summary["modules"] for c in module["criteria"]]
    assert summary["gaps"] == 0
    assert [m["code"] for m in summary["modules"]] == ["M1", "M2", "M3", "M4", "M5"]
    assert len(criteria) == sum(len(o.criteria) for m in modules() for o in m.meta.outcomes)
    assert all(c["taught_by"] and c["tested_by"] for c in criteria)
    staffing = next(c for c in criteria if "from-calls-to-agents" in c["taught_by"])
    assert staffing["outcome"] == "M3-LO2"


def gappy_programme(root: Path) -> tuple[Path, Path]:
    """Module A1 with two outcomes; only the first is taught and tested."""
    content = root / "modules"
    lesson = LessonFile("intro", "Intro", outcomes=("A1-LO1",))
    folder = write_module(
        content, ModuleFile("01-alpha", "A1", outcomes=("LO1", "LO2"), lessons=[lesson])
    )
    text = (folder / "01-intro.md").read_text(encoding="utf-8")
    (folder / "01-intro.md").write_text(
        text.replace("outcomes: [A1-LO1]", "criteria:\n  A1-LO1: [1]"), encoding="utf-8"
    )
    gift = "::colour::Which colour is the sky? {=blue ~green}\n"
    settings = (
        "title: Check\nmodule: A1\nkind: knowledge-check\npass_mark: 75\n"
        "criteria:\n  colour: {A1-LO1: [1]}\n"
    )
    assessments = write_tree(
        root / "assessments", {"A1/check.gift": gift, "A1/check.yml": settings}
    )
    return content, assessments


def test_a_criterion_nobody_teaches_or_tests_is_named_and_fails_the_check(
    app: Flask, tmp_path: Path
) -> None:
    """The gap is marked on its line, the total says how many, and the exit status is 1."""
    content, assessments = gappy_programme(tmp_path)
    result = run(app, str(content), "--assessments", str(assessments))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "A1 A module",
        "  A1-LO1.1 Does it well.",
        "      taught by: intro",
        "      tested by: check/colour",
        "  A1-LO2.1 Does it well.  <-- NOT TAUGHT AND NOT TESTED",
        "      taught by: -",
        "      tested by: -",
        "1 of 2 criteria are not both taught and tested.",
    ]


def test_a_problem_in_a_file_is_reported_as_a_sync_would(app: Flask, tmp_path: Path) -> None:
    """A criterion number the outcome does not have names its file and line; nothing else."""
    content, assessments = gappy_programme(tmp_path)
    settings = assessments / "A1" / "check.yml"
    settings.write_text(settings.read_text().replace("[1]}", "[3]}"), encoding="utf-8")
    result = run(app, str(content), "--assessments", str(assessments), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "assessments/A1/check.yml:6: outcome A1-LO1 has 1 criterion; there is no criterion 3"
    )
