"""Lesson and module files: UTF-8, not too large, not empty, alike whatever their line ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content import loading
from lms.content.loading import read_programme
from tests.content.trees import lesson_file, problems, write
from tests.content_files import ModuleFile, sample_module, write_module


def test_a_text_file_larger_than_the_limit_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lesson files are text of a sensible size."""
    monkeypatch.setattr(loading, "MAX_TEXT_BYTES", 4096)
    folder = write_module(root, sample_module())
    write(folder / "04-long.md", lesson_file("Long", 4, body="word " * 1000))
    assert problems(root) == ["modules/01-alpha/04-long.md:1: the file is larger than 4 KB"]


def test_a_lesson_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte(
    root: Path,
) -> None:
    """A file saved as Latin-1 is pointed at the line with the first accented letter."""
    folder = write_module(root, sample_module())
    data = lesson_file("Intro", 4, body="First line.\nSecond line.\nCafé au lait.\n")
    (folder / "04-intro.md").write_bytes(data.encode("latin-1"))
    assert problems(root) == ["modules/01-alpha/04-intro.md:8: the file is not UTF-8 text"]


def test_a_module_file_that_is_not_utf8_is_refused_and_its_lessons_still_checked(
    root: Path,
) -> None:
    """The bad module.md and a bad lesson beside it are both reported."""
    module = sample_module()
    module.title = "Módulo"
    folder = write_module(root, module)
    (folder / "module.md").write_bytes(module.text().encode("latin-1"))
    write(folder / "04-bad.md", "no front matter\n")
    assert problems(root) == [
        "modules/01-alpha/04-bad.md:1: the file must start with a '---' line",
        "modules/01-alpha/module.md:2: the file is not UTF-8 text",
    ]


@pytest.mark.parametrize(
    "body", ["", "\n\n", "   \n\t\n"], ids=["nothing", "blank-lines", "spaces"]
)
def test_a_lesson_with_no_text_after_the_front_matter_is_refused(root: Path, body: str) -> None:
    """The error points at the line where the text should start."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:6: the lesson has no text after the front matter"
    ]


def test_an_empty_lesson_with_bad_front_matter_reports_both(root: Path) -> None:
    """An empty body does not hide a front-matter mistake, nor the reverse."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1, "colour: red", body=""))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:5: `colour` is not a known key",
        "modules/01-alpha/01-intro.md:7: the lesson has no text after the front matter",
    ]


def test_windows_line_ends_and_a_bom_read_the_same_and_hash_the_same(root: Path) -> None:
    """Saving the same lesson from another editor is not a change."""
    folder = write_module(root, sample_module())
    before = read_programme(root)
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    after = read_programme(root)
    assert after == before
    for old, new in zip(before[0].lessons, after[0].lessons, strict=True):
        assert (new.source_hash, new.content_hash) == (old.source_hash, old.content_hash)
    assert after[0].source_hash == before[0].source_hash
