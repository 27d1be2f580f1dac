"""Reading a tree: module and lesson order, names, structure, and every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.loading import read_programme
from tests.content.pictures import JPEG
from tests.content.trees import lesson_file, problems, write
from tests.content_files import LessonFile, ModuleFile, sample_module, write_module

# --- a clean tree --------------------------------------------------------------------------------


def test_a_clean_tree_is_read_in_module_and_lesson_order(root: Path) -> None:
    """Modules come back by their `order`, lessons by theirs, each with slug, path and HTML."""
    write_module(root, sample_module("01-beta", "B1", order=2))
    write_module(root, sample_module("02-alpha", "A1", order=1))
    modules = read_programme(root)
    assert [(m.slug, m.meta.code) for m in modules] == [("alpha", "A1"), ("beta", "B1")]
    alpha = modules[0]
    assert alpha.path == "modules/02-alpha/module.md"
    assert [item.slug for item in alpha.lessons] == [
        "first-steps",
        "on-the-phone",
        "code-of-conduct",
    ]
    phone = alpha.lessons[1]
    assert phone.path == "modules/02-alpha/02-on-the-phone.md"
    assert phone.body == "## Greeting\nSay hello.\n\n"
    assert phone.rendered.html == '<h2 id="sec-greeting">Greeting</h2>\n<p>Say hello.</p>'
    assert alpha.rendered_intro.html == "<p>What this module is about.</p>"
    assert (
        alpha.lessons[2].meta.statement() == "I have read the code of conduct and will follow it."
    )
    assert alpha.media == ()


def test_lessons_are_ordered_by_their_order_key_not_their_file_name(root: Path) -> None:
    """`order` decides; the NN in the file name only keeps folders tidy."""
    module = sample_module()
    module.lessons[0].order = 9
    write_module(root, module)
    [read] = read_programme(root)
    assert [item.slug for item in read.lessons] == [
        "on-the-phone",
        "code-of-conduct",
        "first-steps",
    ]


def test_hidden_entries_and_loose_files_at_the_top_are_ignored(root: Path) -> None:
    """`.git`, `.DS_Store` and a README beside the module folders are not modules."""
    folder = write_module(root, sample_module())
    (root / ".git").mkdir()
    write(root / "README.md", "# Notes for authors\n")
    write(folder / ".DS_Store", "\x00")
    write(folder / ".01-draft.md", "not front matter")
    (folder / "media").mkdir()
    write(folder / "media" / ".gitkeep", "")
    [read] = read_programme(root)
    assert len(read.lessons) == 3


def test_a_missing_content_folder_is_reported(tmp_path: Path) -> None:
    """A wrong path is one clear error rather than an empty programme."""
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0: no such folder"]


def test_reading_reports_progress_once_per_module_folder(root: Path) -> None:
    """`on_module` is told each folder's name, for the progress bar."""
    write_module(root, sample_module("01-alpha", "A1"))
    write_module(root, sample_module("02-beta", "B1", order=2))
    seen: list[str] = []
    read_programme(root, on_module=seen.append)
    assert seen == ["01-alpha", "02-beta"]


# --- names and structure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["1-alpha", "001-alpha", "01_alpha", "01-Alpha", "alpha", "01-alpha-", "01--alpha"]
)
def test_a_module_folder_not_named_nn_slug_is_refused(root: Path, name: str) -> None:
    """Folder names are two digits, a dash and a lower-case slug."""
    write_module(root, sample_module(name))
    assert problems(root) == [
        f"modules/{name}:0: module folders are named NN-slug, for example 01-welcome"
    ]


@pytest.mark.parametrize(
    "name", ["1-intro.md", "01-intro.txt", "01-Intro.md", "01_intro.md", "intro.md", "01-intro.MD"]
)
def test_a_lesson_file_not_named_nn_slug_md_is_refused(root: Path, name: str) -> None:
    """Anything in a module folder other than module.md and media/ must be a lesson file."""
    folder = write_module(root, sample_module())
    write(folder / name, lesson_file("Extra", 9))
    assert problems(root) == [
        f"modules/01-alpha/{name}:1: lesson files are named NN-slug.md, for example 01-welcome.md"
    ]


def test_a_sub_folder_in_a_module_is_refused(root: Path) -> None:
    """Only media/ may be a folder inside a module."""
    folder = write_module(root, sample_module())
    (folder / "04-extra").mkdir()
    assert problems(root) == [
        "modules/01-alpha/04-extra:1: lesson files are named NN-slug.md, for example 01-welcome.md"
    ]


def test_a_module_folder_without_module_md_is_refused(root: Path) -> None:
    """The module's own file is required."""
    folder = write_module(root, sample_module())
    (folder / "module.md").unlink()
    assert problems(root) == ["modules/01-alpha:0: the folder has no module.md"]


def test_a_module_with_no_lessons_is_refused(root: Path) -> None:
    """A module must teach something."""
    write_module(root, ModuleFile("01-alpha", "A1"))
    assert problems(root) == ["modules/01-alpha:0: the module has no lesson files"]


def test_a_module_whose_only_lessons_are_misnamed_is_also_reported_empty(root: Path) -> None:
    """The misnamed file and the missing lessons are both explained."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "intro.md", lesson_file("Intro", 1))
    assert problems(root) == [
        "modules/01-alpha:0: the module has no lesson files",
        "modules/01-alpha/intro.md:1: lesson files are named NN-slug.md, for example 01-welcome.md",
    ]


def test_module_codes_orders_and_outcome_codes_must_differ_across_modules(root: Path) -> None:
    """The second module to use a code or order is reported at that key's line."""
    write_module(root, sample_module("01-alpha", "A1", order=1))
    write_module(root, ModuleFile("02-beta", "A1", order=1, lessons=[LessonFile("intro", "I")]))
    assert problems(root) == [
        "modules/02-beta/module.md:3: module code A1 is already used by modules/01-alpha/module.md",
        "modules/02-beta/module.md:7: module order 1 is already used by modules/01-alpha/module.md",
        "modules/02-beta/module.md:9: outcome code A1-LO1 is already used by "
        "modules/01-alpha/module.md",
    ]


def test_an_outcome_code_used_by_another_module_is_reported_at_its_item(root: Path) -> None:
    """Outcome codes are unique across the programme; the repeat is reported at its own line."""
    write_module(root, sample_module("01-alpha", "A1"))
    beta = ModuleFile("02-beta", "B1", order=2, outcomes=("LO1", "LO2"))
    beta.lessons = [LessonFile("intro", "Intro")]
    folder = write_module(root, beta)
    text = (folder / "module.md").read_text().replace("B1-LO2", "A1-LO1")
    write(folder / "module.md", text)
    assert problems(root) == [
        "modules/02-beta/module.md:13: outcome code A1-LO1 is already used by "
        "modules/01-alpha/module.md"
    ]


def test_two_module_folders_with_the_same_slug_are_refused(root: Path) -> None:
    """`01-alpha` and `02-alpha` would have the same address."""
    write_module(root, sample_module("01-alpha", "A1"))
    write_module(root, sample_module("02-alpha", "B1", order=2))
    assert problems(root) == [
        "modules/02-alpha/module.md:1: module folder name alpha is already used by "
        "modules/01-alpha/module.md"
    ]


def test_two_lessons_with_the_same_order_are_refused(root: Path) -> None:
    """The later file is reported at its `order` line."""
    module = sample_module()
    module.lessons[2].order = 2
    write_module(root, module)
    assert problems(root) == [
        "modules/01-alpha/03-code-of-conduct.md:3: lesson order 2 is already used by "
        "modules/01-alpha/02-on-the-phone.md"
    ]


def test_two_lesson_files_with_the_same_slug_are_refused(root: Path) -> None:
    """`01-intro.md` and `02-intro.md` would have the same address."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1))
    write(folder / "02-intro.md", lesson_file("Intro again", 2))
    assert problems(root) == [
        "modules/01-alpha/02-intro.md:1: lesson name intro is already used by "
        "modules/01-alpha/01-intro.md"
    ]


def test_a_lesson_naming_an_outcome_of_another_module_is_refused_at_that_item(root: Path) -> None:
    """Each outcome in the list has its own line; the wrong one is pointed at."""
    write_module(root, sample_module("01-alpha", "A1"))
    folder = write_module(root, ModuleFile("02-beta", "B1", order=2))
    write(
        folder / "01-intro.md",
        lesson_file("Intro", 1, "outcomes:", "  - B1-LO1", "  - A1-LO1", "  - B1-LO9"),
    )
    assert problems(root) == [
        "modules/02-beta/01-intro.md:7: outcome A1-LO1 is not an outcome of this module",
        "modules/02-beta/01-intro.md:8: outcome B1-LO9 is not an outcome of this module",
    ]


def test_lesson_criteria_must_name_criteria_the_module_has(root: Path) -> None:
    """`criteria` maps an outcome of the module to positions within its list of criteria."""
    write_module(root, sample_module("01-alpha", "A1"))
    folder = write_module(root, ModuleFile("02-beta", "B1", order=2))
    write(
        folder / "01-intro.md",
        lesson_file("Intro", 1, "criteria:", "  B1-LO1: [1]", "  A1-LO1: [1]", "  B1-LO1x: [1]"),
    )
    write(folder / "02-more.md", lesson_file("More", 2, "criteria:", "  B1-LO1: [1, 2, 5]"))
    assert problems(root) == [
        "modules/02-beta/01-intro.md:7: outcome A1-LO1 is not an outcome of this module",
        "modules/02-beta/01-intro.md:8: outcome B1-LO1x is not an outcome of this module",
        "modules/02-beta/02-more.md:6: outcome B1-LO1 has 1 criterion; there is no criterion 2, 5",
    ]


def test_a_lesson_serves_the_outcomes_it_lists_and_those_it_teaches_criteria_of(
    root: Path,
) -> None:
    """Naming criteria is enough to tie a lesson to their outcome; the list comes first."""
    module = ModuleFile("01-alpha", "A1", outcomes=("LO1", "LO2"))
    folder = write_module(root, module)
    write(
        folder / "01-intro.md",
        lesson_file(
            "Intro", 1, "outcomes: [A1-LO2]", "criteria:", "  A1-LO1: [1]", "  A1-LO2: [1]"
        ),
    )
    [source] = read_programme(root)
    [lesson] = source.lessons
    assert lesson.meta.outcome_codes == ["A1-LO2", "A1-LO1"]
    assert lesson.meta.criteria == {"A1-LO1": [1], "A1-LO2": [1]}


# --- everything at once --------------------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_together(root: Path) -> None:
    """One run lists them all, sorted by file and line, so an author fixes everything at once."""
    write_module(root, sample_module("01-alpha", "A1"))
    text = (root / "01-alpha" / "module.md").read_text().replace("order: 1", "order: 010")
    write(root / "01-alpha" / "module.md", text)
    beta = write_module(root, sample_module("02-beta", "B1", order=2))
    write(beta / "02-on-the-phone.md", lesson_file("Phone", 2, "acknowledge: yes"))
    gamma = write_module(root, sample_module("03-gamma", "C1", order=3))
    (gamma / "media").mkdir()
    (gamma / "media" / "chart.png").write_bytes(JPEG)
    write(gamma / "01-first-steps.md", lesson_file("First", 1, body="# Title\n![x](media/y.png)"))
    delta = write_module(root, sample_module("04-delta", "D1", order=4))
    (delta / "module.md").unlink()
    write_module(root, sample_module("5-epsilon", "E1", order=5))
    assert problems(root) == [
        "modules/01-alpha/module.md:7: `order`: YAML reads 010 as a number in another base; "
        'write "010" in quotes',
        "modules/02-beta/02-on-the-phone.md:5: `acknowledge`: YAML reads an unquoted yes as true; "
        'write true or false, or "yes" in quotes if you mean the word',
        "modules/03-gamma/01-first-steps.md:6: use ## for sections: the title is the only # "
        "heading",
        "modules/03-gamma/01-first-steps.md:7: image media/y.png is not in this module's media/ "
        "folder",
        "modules/03-gamma/media/chart.png:1: the file's content is not a image/png image",
        "modules/04-delta:0: the folder has no module.md",
        "modules/5-epsilon:0: module folders are named NN-slug, for example 01-welcome",
    ]


def test_programme_checks_still_run_beside_errors_in_single_files(root: Path) -> None:
    """A repeated module code is reported even when another module has a broken lesson."""
    write_module(root, sample_module("01-alpha", "A1"))
    folder = write_module(root, ModuleFile("02-beta", "A1", order=2, outcomes=("X",)))
    write(folder / "01-intro.md", lesson_file("Intro", 1, "colour: red"))
    assert problems(root) == [
        "modules/02-beta/01-intro.md:5: `colour` is not a known key",
        "modules/02-beta/module.md:3: module code A1 is already used by modules/01-alpha/module.md",
    ]
