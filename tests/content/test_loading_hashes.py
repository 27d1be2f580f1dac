"""Source and content hashes: what changes each of them, and what changes neither."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lms.content.loading import LessonSource, ModuleSource, read_programme
from tests.content.pictures import png_bytes
from tests.content_files import LessonFile, ModuleFile, sample_module, write_module


def lesson(modules: list[ModuleSource], slug: str) -> LessonSource:
    return next(item for module in modules for item in module.lessons if item.slug == slug)


def read_lesson(root: Path, module: ModuleFile, slug: str = "on-the-phone") -> LessonSource:
    write_module(root, module)
    return lesson(read_programme(root), slug)


def test_reading_twice_gives_the_same_hashes(root: Path) -> None:
    """Hashes depend on the files only."""
    first = read_lesson(root, sample_module())
    second = read_lesson(root, sample_module())
    assert (first.source_hash, first.content_hash) == (second.source_hash, second.content_hash)
    assert len(first.source_hash) == len(first.content_hash) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda lesson: setattr(lesson, "order", 7),
        lambda lesson: setattr(lesson, "minutes", 45),
        lambda lesson: setattr(lesson, "outcomes", ("A1-LO1",)),
    ],
    ids=["order", "minutes", "outcomes"],
)
def test_bookkeeping_changes_the_source_hash_but_not_the_content_hash(
    root: Path, change: Callable[[LessonFile], object]
) -> None:
    """Moving a lesson or re-estimating its time is a new revision, not "updated since you
    read it"."""
    module = sample_module()
    before = read_lesson(root, module)
    change(module.lessons[1])
    after = read_lesson(root, module)
    assert after.source_hash != before.source_hash
    assert after.content_hash == before.content_hash


def ask_to_confirm(lesson: LessonFile) -> None:
    lesson.acknowledge = True
    lesson.statement = "I will greet every caller."


@pytest.mark.parametrize(
    "change",
    [
        lambda lesson: setattr(lesson, "body", "## Greeting\nSay hello warmly.\n"),
        lambda lesson: setattr(lesson, "title", "On the telephone"),
        lambda lesson: setattr(lesson, "acknowledge", True),
        ask_to_confirm,
    ],
    ids=["body", "title", "acknowledge", "statement"],
)
def test_what_the_learner_reads_changes_the_content_hash(
    root: Path, change: Callable[[LessonFile], object]
) -> None:
    """Text, title and the statement to confirm are what learners read."""
    module = sample_module()
    before = read_lesson(root, module)
    change(module.lessons[1])
    after = read_lesson(root, module)
    assert after.content_hash != before.content_hash
    assert after.source_hash != before.source_hash


def test_a_changed_statement_changes_the_content_hash(root: Path) -> None:
    """Rewording what is confirmed asks for a new confirmation."""
    module = sample_module()
    before = read_lesson(root, module, "code-of-conduct")
    module.lessons[2].statement = "I will follow the code of conduct at all times."
    after = read_lesson(root, module, "code-of-conduct")
    assert after.content_hash != before.content_hash


def test_new_picture_bytes_change_the_hashes_of_the_lessons_that_show_it(root: Path) -> None:
    """Replacing chart.png with another picture of the same name changes what is read, but only
    for the lesson that shows it."""
    module = sample_module()
    module.lessons[1].body = "## Chart\n![Chart](media/chart.png)\n"
    folder = write_module(root, module)
    (folder / "media").mkdir()
    (folder / "media" / "chart.png").write_bytes(png_bytes((0, 0, 0)))
    before = read_programme(root)
    (folder / "media" / "chart.png").write_bytes(png_bytes((255, 0, 0)))
    after = read_programme(root)
    shown_before, shown_after = lesson(before, "on-the-phone"), lesson(after, "on-the-phone")
    assert shown_after.content_hash != shown_before.content_hash
    assert shown_after.source_hash != shown_before.source_hash
    assert shown_after.rendered.html != shown_before.rendered.html
    other_before, other_after = lesson(before, "first-steps"), lesson(after, "first-steps")
    assert other_after.content_hash == other_before.content_hash
    assert other_after.source_hash == other_before.source_hash


def test_new_picture_bytes_change_the_module_hash_when_the_intro_shows_it(root: Path) -> None:
    """The module's own text can show a picture too."""
    folder = write_module(root, sample_module(intro="![Map](media/map.png)\n"))
    (folder / "media").mkdir()
    (folder / "media" / "map.png").write_bytes(png_bytes((0, 0, 0)))
    [before] = read_programme(root)
    (folder / "media" / "map.png").write_bytes(png_bytes((0, 0, 255)))
    [after] = read_programme(root)
    assert after.source_hash != before.source_hash
    assert after.rendered_intro.html != before.rendered_intro.html


def test_moving_a_file_changes_its_source_hash_but_not_its_content_hash(root: Path) -> None:
    """Renumbering the folder (01- to 05-) records the new path in a new revision, yet is not a
    change to what the lesson says."""
    write_module(root, sample_module("01-alpha"))
    before = lesson(read_programme(root), "on-the-phone")
    shutil.move(root / "01-alpha", root / "05-alpha")
    after = lesson(read_programme(root), "on-the-phone")
    assert after.path == "modules/05-alpha/02-on-the-phone.md"
    assert after.source_hash != before.source_hash
    assert after.content_hash == before.content_hash


def test_the_name_of_the_content_folder_itself_does_not_change_any_hash(tmp_path: Path) -> None:
    """Two checkouts of the same content in differently named folders hash alike."""
    first, second = tmp_path / "modules", tmp_path / "content-copy"
    write_module(first, sample_module())
    write_module(second, sample_module())
    [one], [two] = read_programme(first), read_programme(second)
    assert one.source_hash == two.source_hash
    assert [item.source_hash for item in one.lessons] == [item.source_hash for item in two.lessons]
    assert two.lessons[0].path == "content-copy/01-alpha/01-first-steps.md"
