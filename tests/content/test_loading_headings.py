"""Lesson and module text: a `#` heading is refused wherever Python-Markdown would make one."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.loading import read_programme
from tests.content.trees import lesson_file, problems, write
from tests.content_files import ModuleFile, sample_module, write_module


def test_a_top_level_heading_in_a_lesson_is_refused_at_its_line(root: Path) -> None:
    """The title comes from the front matter; `#` in the text is reported, `##` is fine."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = "Intro.\n\n# Second title\n\n## A section\n\n### A sub-section\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:8: use ## for sections: the title is the only # heading"
    ]


def test_a_top_level_heading_in_the_module_intro_is_refused_at_its_line(root: Path) -> None:
    """module.md's own text follows the same rule."""
    module = sample_module(intro="About.\n\n# Welcome\n")
    write_module(root, module)
    assert problems(root) == [
        "modules/01-alpha/module.md:16: use ## for sections: the title is the only # heading"
    ]


@pytest.mark.parametrize("fence", ["```", "~~~", "```bash", "````", "~~~~~"])
def test_a_hash_line_inside_fenced_code_is_allowed(root: Path, fence: str) -> None:
    """A shell comment or a Markdown example in a code block is not a heading."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = f"Run this:\n\n{fence}\n# a comment\n{fence.rstrip('bash')}\n\nDone.\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    [module] = read_programme(root)
    assert "# a comment" in module.lessons[0].rendered.html


def test_a_heading_after_a_fenced_block_is_still_checked(root: Path) -> None:
    """Leaving the code block starts checking again."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = "```\n# comment\n```\n\n# Heading\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:10: use ## for sections: the title is the only # heading"
    ]


def test_code_blocks_are_recognised_as_the_renderer_recognises_them(root: Path) -> None:
    """A fence ends only at a matching fence, and an indented fence is no fence at all (for
    Python-Markdown): the check sees the same headings the page would show."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    tildes = "~~~\n```\n~~~\n\n# Real heading\n"
    write(folder / "01-tildes.md", lesson_file("Tildes", 1, body=tildes))
    backticks = "````markdown\n```\n# Example heading\n```\n````\n\nDone.\n"
    write(folder / "02-backticks.md", lesson_file("Backticks", 2, body=backticks))
    indented = "Text.\n\n   ```\n# Not in code\n```\n"
    write(folder / "03-indented.md", lesson_file("Indented", 3, body=indented))
    assert problems(root) == [
        "modules/01-alpha/01-tildes.md:10: use ## for sections: the title is the only # heading",
        "modules/01-alpha/03-indented.md:9: use ## for sections: the title is the only # heading",
    ]


@pytest.mark.parametrize(
    ("body", "line"),
    [("Intro.\n\n#Heading without a space\n", 8), ("Intro.\n\nBig title\n=========\n\nText.\n", 8)],
    ids=["no-space", "setext"],
)
def test_other_spellings_of_a_top_level_heading_are_refused(
    root: Path, body: str, line: int
) -> None:
    """Python-Markdown makes `#Heading` and an `===` underline into a top-level heading too,
    which the page would then show as bare text."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        f"modules/01-alpha/01-intro.md:{line}: use ## for sections: the title is the only # heading"
    ]
