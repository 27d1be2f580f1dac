"""`lms gift check` and `lms gift convert`: exit codes, streams, JSON, and files that are not
GIFT at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from lms.assessments.formats.gift import parse_gift
from lms.cli import main

GOOD = "::Hold::How long may a caller hold? {#30:5}\n\nCalls are recorded.{T}\n\nGreet. {}\n"
BAD = "Q {=a ~%45%b}\n\nFine {T}\n\nR {#x}\n"
JSON_KEYS = {"file", "errors", "questions"}


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def no_app() -> Flask:
    raise AssertionError("the command built the app")


def lms(*args: str | Path) -> Result:
    """Run `lms` as the console script does, with an app factory that must not be called."""
    return CliRunner().invoke(main, [str(a) for a in args], obj=ScriptInfo(create_app=no_app))


def test_check_of_a_good_file_prints_a_summary_and_exits_0(tmp_path: Path) -> None:
    """One line on stdout counting the questions by type; nothing on stderr."""
    result = lms("gift", "check", write(tmp_path, "bank.gift", GOOD))
    assert result.exit_code == 0
    assert result.stdout == "3 questions (1 truefalse, 1 numerical, 1 essay)\n"
    assert result.stderr == ""


def test_check_of_a_bad_file_lists_each_problem_on_stderr_and_exits_1(tmp_path: Path) -> None:
    """Each problem as file:line: message, then a count; the summary still goes to stdout."""
    path = write(tmp_path, "bank.gift", BAD)
    result = lms("gift", "check", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:1: 45% is not a weight Moodle accepts: use 100, 90, 83.33333, 80, 75, 70, "
        "66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, "
        "5 or 0, or minus one of them",
        f"{path}:5: 'x' is not a number",
        "2 problems to fix",
    ]
    assert result.stdout == "1 question (1 truefalse)\n"


def test_check_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    """The questions are their as_json(), the errors file, line and message; exit 0."""
    path = write(tmp_path, "bank.gift", "$CATEGORY: a\n\n::n::Q {=x#Yes. ~y}\n")
    result = lms("gift", "check", path, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "file": str(path),
        "errors": [],
        "questions": [
            {
                "name": "n",
                "type": "multichoice",
                "text": "Q",
                "format": "moodle",
                "category": "a",
                "general_feedback": None,
                "answers": [
                    {"text": "x", "fraction": 100, "feedback": "Yes."},
                    {"text": "y", "fraction": 0, "feedback": None},
                ],
            }
        ],
    }


def test_check_json_of_a_bad_file_lists_the_errors_and_exits_1(tmp_path: Path) -> None:
    """Each error is exactly line and message, the good questions are still listed, and
    nothing goes to stderr."""
    path = write(tmp_path, "bank.gift", BAD)
    result = lms("gift", "check", "--json", path)
    report: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == 1 and result.stderr == ""
    assert set(report) == JSON_KEYS
    assert [q["type"] for q in report["questions"]] == ["truefalse"]
    assert [set(e) for e in report["errors"]] == [{"line", "message"}] * 2
    assert [e["line"] for e in report["errors"]] == [1, 5]


def test_check_reads_a_bom_and_windows_line_ends(tmp_path: Path) -> None:
    """The same bank saved by Notepad (BOM, CRLF) checks to the same questions."""
    path = write(tmp_path, "bank.gift", "\ufeff" + GOOD.replace("\n", "\r\n"))
    result = lms("gift", "check", "--json", path)
    assert result.exit_code == 0
    questions = [q.as_json() for q in parse_gift(GOOD).questions]
    assert json.loads(result.stdout)["questions"] == questions


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.gift", None, "the file cannot be read: No such file or directory"),
        ("folder.gift", "folder", "the file cannot be read: Is a directory"),
        (
            "picture.gift",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "the file is not text (it holds NUL bytes; UTF-16? save it as UTF-8)",
        ),
        (
            "latin.gift",
            "Q {T}\n\nCafé {T}\n".encode("latin-1"),
            "the file is not UTF-8 text (a bad byte on line 3)",
        ),
    ],
    ids=["missing", "directory", "binary", "latin-1"],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
def test_a_file_that_cannot_be_read_is_one_error_on_line_1(
    tmp_path: Path, name: str, content: bytes | str | None, message: str, as_json: bool
) -> None:
    """Missing, a folder, binary or not UTF-8: an error in the usual shapes, never a traceback."""
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = lms("gift", "check", path, *(["--json"] if as_json else []))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if as_json:
        report = json.loads(result.stdout)
        assert report["errors"] == [{"line": 1, "message": message}]
        assert report["questions"] == []
    else:
        assert result.stderr == f"{path}:1: {message}\n1 problem to fix\n"
        assert result.stdout == "0 questions\n"


def test_convert_prints_gift_that_reads_back_to_the_same_questions(tmp_path: Path) -> None:
    """`convert bank.gift` writes the bank again, as Moodle lays it out."""
    result = lms("gift", "convert", write(tmp_path, "bank.gift", GOOD))
    assert result.exit_code == 0 and result.stderr == ""
    assert parse_gift(result.stdout).questions == parse_gift(GOOD).questions
    assert result.stdout.startswith("::Hold::How long may a caller hold?{#\n\t=30:5\n}\n\n")


def test_convert_reads_a_txt_file_as_aiken(tmp_path: Path) -> None:
    """A .txt file is Aiken: its questions come out as plain-text multiple choice GIFT."""
    path = write(tmp_path, "bank.txt", "Which queue?\r\nA. Sales\r\nB) Billing\r\nANSWER: B\r\n")
    result = lms("gift", "convert", path)
    assert result.exit_code == 0
    assert result.stdout == "[plain]Which queue?{\n\t~Sales\n\t=Billing\n}\n"


def test_from_overrides_the_format_the_name_suggests(tmp_path: Path) -> None:
    """A GIFT file exported by Moodle as .txt is read as GIFT with --from gift."""
    path = write(tmp_path, "export.txt", GOOD)
    assert lms("gift", "check", path).exit_code == 1  # read as Aiken: not a question in sight
    result = lms("gift", "check", "--from", "gift", path)
    assert (result.exit_code, result.stdout) == (
        0,
        "3 questions (1 truefalse, 1 numerical, 1 essay)\n",
    )


def test_convert_of_a_bad_file_prints_only_the_errors_and_exits_1(tmp_path: Path) -> None:
    """Nothing is converted when anything is wrong."""
    result = lms("gift", "convert", write(tmp_path, "bank.gift", BAD))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.endswith("2 problems to fix\n")


def test_check_runs_under_the_app_cli_runner_too(app: Flask, tmp_path: Path) -> None:
    """Through the app's own CLI runner, as the other `lms` commands are tested."""
    result = app.test_cli_runner().invoke(
        main, ["gift", "check", str(write(tmp_path, "b.gift", GOOD))]
    )
    assert (result.exit_code, result.stdout) == (
        0,
        "3 questions (1 truefalse, 1 numerical, 1 essay)\n",
    )
