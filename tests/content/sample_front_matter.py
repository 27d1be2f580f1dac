"""A sample lesson and module front matter to edit, and the errors reading them raises."""

from __future__ import annotations

from typing import TypeVar

import pytest
from pydantic import BaseModel

from lms.content.frontmatter import (
    ContentError,
    KeyPath,
    normalise_text,
    read_metadata,
    split_front_matter,
)
from lms.content.schema import LessonMeta, ModuleMeta

LESSON = "modules/01-calls/01-greeting.md"
MODULE = "modules/01-calls/module.md"

# Line 1 is the opening `---`, so the first key is on line 2.
LESSON_LINES = [
    "title: Greeting a caller",  # 2
    "order: 1",  # 3
    "estimated_minutes: 5",  # 4
]
MODULE_LINES = [
    "title: Handling calls",  # 2
    "code: M1",  # 3
    "summary: How a call is handled from greeting to goodbye.",  # 4
    "estimated_minutes: 30",  # 5
    "reviewed: 2026-11-01",  # 6
    "order: 1",  # 7
    "outcomes:",  # 8
    "  - code: M1-LO1",  # 9
    "    statement: Greets the caller.",  # 10
    "    criteria:",  # 11
    "      - Uses the greeting script.",  # 12
    "  - code: M1-LO2",  # 13
    "    statement: Closes the call.",  # 14
    "    criteria:",  # 15
    "      - Summarises what was agreed.",  # 16
    "      - Says goodbye.",  # 17
]


def document(lines: list[str], body: str = "Some text.\n") -> str:
    return "\n".join(["---", *lines, "---", body])


def lesson_text(*extra: str, replace: dict[int, str] | None = None) -> str:
    """The sample lesson with lines replaced (by line number) and lines added after line 4."""
    return document(_edit(LESSON_LINES, replace) + list(extra))


def module_text(replace: dict[int, str] | None = None, *extra: str) -> str:
    """The sample module with lines replaced (by line number) and lines added after line 17."""
    return document(_edit(MODULE_LINES, replace) + list(extra))


def _edit(lines: list[str], replace: dict[int, str] | None) -> list[str]:
    edited = list(lines)
    for line, text in (replace or {}).items():
        edited[line - 2] = text
    return edited


S = TypeVar("S", bound=BaseModel)


def lesson_with(line: str) -> tuple[str, int]:
    """The sample lesson with `line` replacing the line of its key, or added as line 5."""
    key = line.split(":")[0]
    for number, existing in enumerate(LESSON_LINES, start=2):
        if existing.split(":")[0] == key:
            return lesson_text(replace={number: line}), number
    return lesson_text(line), 5


def parse(text: str, schema: type[S], file: str) -> tuple[S, dict[KeyPath, int]]:
    parts = split_front_matter(normalise_text(text), file)
    return read_metadata(parts, file, schema)


def lesson_errors(text: str) -> list[str]:
    return _errors(text, LessonMeta, LESSON)


def module_errors(text: str) -> list[str]:
    return _errors(text, ModuleMeta, MODULE)


def _errors(text: str, schema: type[BaseModel], file: str) -> list[str]:
    with pytest.raises(ContentError) as raised:
        parse(text, schema, file)
    return [str(error) for error in raised.value.errors]
