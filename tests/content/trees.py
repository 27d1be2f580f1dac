"""Writing files into a content tree, and the problems reading the tree reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.frontmatter import ContentError
from lms.content.loading import read_programme
from tests.content_files import ModuleFile, sample_module, write_module


def problems(root: Path) -> list[str]:
    """The errors reading `root` raises, as `file:line: message` strings."""
    with pytest.raises(ContentError) as raised:
        read_programme(root)
    return [str(error) for error in raised.value.errors]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lesson_file(title: str, order: int, *lines: str, body: str = "Text.") -> str:
    return "\n".join(
        ["---", f"title: {title}", f"order: {order}", "estimated_minutes: 5", *lines, "---", body]
    )


def two_modules(root: Path) -> tuple[ModuleFile, ModuleFile]:
    alpha = sample_module("01-alpha", "A1", outcomes=("LO1", "LO2"))
    beta = sample_module("02-beta", "B1", order=2)
    write_module(root, alpha)
    write_module(root, beta)
    return alpha, beta
