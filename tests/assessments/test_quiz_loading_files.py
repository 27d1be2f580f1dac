"""The assessments folder's layout: module folders, .gift/.yml pairs, file names and encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assessments.quiz_trees import (
    GIFT,
    SETTINGS,
    Files,
    clean_tree_with,
    located,
    problems,
    read_clean,
)

LAYOUT_PROBLEMS: list[tuple[str, Files, tuple[str, ...], tuple[str, int, str]]] = [
    (
        "a stray file in a module folder",
        {"A1/notes.txt": "remember to add a question"},
        (),
        ("assessments/A1/notes.txt", 1, "only .gift and .yml files belong here"),
    ),
    (
        "a folder inside a module folder",
        {"A1/drafts": None},
        (),
        ("assessments/A1/drafts", 1, "only .gift and .yml files belong here"),
    ),
    (
        "a file beside the module folders",
        {"README.md": "# Quizzes"},
        (),
        ("assessments/README.md", 1, "only module folders belong here, named by module code"),
    ),
    (
        "a .gift file without its .yml",
        {},
        ("A1/check.yml",),
        ("assessments/A1/check.gift", 1, "check.yml is missing beside it"),
    ),
    (
        "a .yml file without its .gift",
        {},
        ("A1/check.gift",),
        ("assessments/A1/check.yml", 1, "check.gift is missing beside it"),
    ),
    (
        "a quiz file name with capitals and an underscore",
        {"A1/Final_Check.gift": GIFT, "A1/Final_Check.yml": SETTINGS},
        (),
        (
            "assessments/A1/Final_Check.gift",
            1,
            "a quiz file name may use only lower-case letters, digits and '-'",
        ),
    ),
    (
        "a folder named after no module",
        {"Z9/check.gift": GIFT, "Z9/check.yml": SETTINGS.replace("A1", "Z9")},
        (),
        ("assessments/Z9", 0, "there is no module with the code Z9"),
    ),
    (
        "a folder named after a module in the wrong case",
        {"a1/check.gift": GIFT, "a1/check.yml": SETTINGS.replace("A1", "a1")},
        (),
        ("assessments/a1", 0, "there is no module with the code a1"),
    ),
    (
        "a GIFT file that is not UTF-8",
        {"A1/check.gift": GIFT.encode() + b"::x::Caf\xe9? {T}\n"},
        (),
        ("assessments/A1/check.gift", 9, "the file is not UTF-8 text"),
    ),
    (
        "a settings file that is not UTF-8",
        {"A1/check.yml": SETTINGS.encode().replace(b"Sky", b"Ciel \xe0")},
        (),
        ("assessments/A1/check.yml", 1, "the file is not UTF-8 text"),
    ),
    (
        "a GIFT file over the size limit",
        {"A1/check.gift": GIFT + "// padding\n" * 100_000},
        (),
        ("assessments/A1/check.gift", 1, "the file is larger than 1024 KB"),
    ),
]


@pytest.mark.parametrize(
    ("files", "without", "expected"),
    [case[1:] for case in LAYOUT_PROBLEMS],
    ids=[case[0] for case in LAYOUT_PROBLEMS],
)
def test_a_layout_mistake_is_reported_at_its_file_and_line(
    tmp_path: Path, files: Files, without: tuple[str, ...], expected: tuple[str, int, str]
) -> None:
    """Each mistake in the folder's layout is exactly one `file:line: message`."""
    file, line, message = expected
    errors = problems(clean_tree_with(tmp_path / "assessments", files, without=without))
    assert located(errors) == [(file, line)]
    assert message in errors[0].message


def test_the_clean_tree_reads_as_one_quiz_of_its_folder_module(tmp_path: Path) -> None:
    """The baseline every row above changes: one knowledge check of A1, named by its files."""
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", {}))
    assert (quiz.module_code, quiz.slug, quiz.path) == ("A1", "check", "assessments/A1/check.gift")
    assert (quiz.gift_source, quiz.settings_source) == (GIFT, SETTINGS)
    assert [q.parsed.name for q in quiz.questions] == ["colour", "boils", "fruit"]


def test_hidden_files_and_an_empty_module_folder_are_ignored(tmp_path: Path) -> None:
    """An editor's `.DS_Store` or `.check.gift.swp`, and a module with no quizzes yet, are not
    mistakes."""
    root = clean_tree_with(
        tmp_path / "assessments",
        {".DS_Store": b"\0", "A1/.check.gift.swp": b"\0", ".git": None, "B1": None},
    )
    assert [quiz.slug for quiz in read_clean(root)] == ["check"]


def test_a_missing_assessments_folder_is_an_error_not_an_empty_programme(tmp_path: Path) -> None:
    """A mistyped path must not read as "no quizzes", which would retire every quiz."""
    errors = problems(tmp_path / "nowhere")
    assert [str(error) for error in errors] == [f"{tmp_path / 'nowhere'}:0: no such folder"]


def test_quizzes_of_a_module_not_being_loaded_are_refused(tmp_path: Path) -> None:
    """A1's folder is fine when A1 is loaded, and an error when only B1 is."""
    root = clean_tree_with(tmp_path / "assessments", {})
    errors = problems(root, {"B1": {"B1-LO1": 1}})
    assert [str(error) for error in errors] == [
        "assessments/A1:0: there is no module with the code A1"
    ]


def test_a_byte_order_mark_and_crlf_line_ends_read_as_the_same_text(tmp_path: Path) -> None:
    """A byte-order mark and CRLF line ends give the same questions and lines as LF."""
    crlf = "\ufeff" + GIFT.replace("\n", "\r\n")
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", {"A1/check.gift": crlf}))
    assert quiz.gift_source == GIFT
    assert [q.parsed.line for q in quiz.questions] == [3, 5, 7]


def test_every_layout_mistake_in_a_tree_is_listed_at_once(tmp_path: Path) -> None:
    """An author fixes everything in one pass: each problem, sorted by file."""
    root = clean_tree_with(
        tmp_path / "assessments",
        {
            "A1/notes.txt": "scratch",
            "A1/orphan.gift": GIFT,
            "Z9/check.gift": GIFT,
            "Z9/check.yml": SETTINGS,
        },
    )
    assert [str(error) for error in problems(root)] == [
        "assessments/A1/notes.txt:1: only .gift and .yml files belong here",
        "assessments/A1/orphan.gift:1: orphan.yml is missing beside it",
        "assessments/Z9:0: there is no module with the code Z9",
    ]


def test_a_bad_name_is_reported_at_the_file_that_exists(tmp_path: Path) -> None:
    """`Notes.yml` alone is reported as itself, not as a `Notes.gift` the author cannot find."""
    root = clean_tree_with(tmp_path / "assessments", {"A1/Notes.yml": SETTINGS})
    assert located(problems(root)) == [("assessments/A1/Notes.yml", 1)]


def test_a_folder_named_like_a_quiz_file_is_one_error(tmp_path: Path) -> None:
    """A folder is not half of a quiz: one error, at the folder."""
    root = clean_tree_with(tmp_path / "assessments", {"A1/drafts.gift": None})
    assert [str(error) for error in problems(root)] == [
        "assessments/A1/drafts.gift:1: only .gift and .yml files belong here"
    ]


def test_a_quiz_file_name_longer_than_the_database_allows_is_refused(tmp_path: Path) -> None:
    """An 81-character name is the author's mistake, reported at the file, not a database
    failure."""
    slug = "a" * 81
    root = clean_tree_with(
        tmp_path / "assessments", {f"A1/{slug}.gift": GIFT, f"A1/{slug}.yml": SETTINGS}
    )
    assert located(problems(root)) == [(f"assessments/A1/{slug}.gift", 1)]
