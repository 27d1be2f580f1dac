"""Front matter: split a content file, read its YAML with line numbers, validate it.

PyYAML reads YAML 1.1, where an unquoted `no` is the boolean False and `1:30` is the number 90.
Such values are reported as errors instead of being silently misread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KeyPath = tuple[str | int, ...]
Schema = TypeVar("Schema", bound=BaseModel)

_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_OCTAL_OR_BASE = re.compile(r"^[-+]?(0[0-7_]+|0b[01_]+|0x[0-9a-fA-F_]+)$")


@dataclass(frozen=True, order=True)
class SourceError:
    """A problem in a content file, at a line (1-based), phrased for the person who wrote it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """One or more problems in content files; nothing was loaded."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Parts:
    """A content file split into its YAML front matter and its Markdown body."""

    header: str
    header_line: int  # line number of the front matter's first line in the file
    body: str
    body_line: int


def normalise_text(text: str) -> str:
    """The same text whatever editor saved it: no byte-order mark, `\\n` line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, file: str) -> Parts:
    """Split a file at its `---` lines; raise ContentError when they are missing."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]) or lines[0].startswith("."):
        raise ContentError([SourceError(file, 1, "the file must start with a '---' line")])
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            header = "\n".join(lines[1:index])
            return Parts(header, 2, "\n".join(lines[index + 1 :]), index + 2)
    raise ContentError([SourceError(file, 1, "the front matter has no closing '---' line")])


def read_metadata(
    parts: Parts, file: str, schema: type[Schema], *, called: str = "the front matter"
) -> tuple[Schema, dict[KeyPath, int]]:
    """Validate the front matter against `schema`; return it with the line of every key.

    `called` names the YAML in messages ("the front matter", "the settings file").

    Raises ContentError listing every problem found, each with its line.
    """
    data, key_lines, found = _read_yaml(parts.header, parts.header_line, file, called)
    problems = [problem for _path, problem in found]
    surprises = {path for path, _problem in found if path is not None}
    try:
        metadata = schema.model_validate(data)
    except ValidationError as invalid:
        for error in invalid.errors():
            # A value already explained as a YAML surprise needs no second type error; an
            # unknown key is still reported.
            explained = tuple(error["loc"]) in surprises and error["type"] != "extra_forbidden"
            if not explained:
                problems.append(_describe(error, key_lines, file))
    if problems:
        raise ContentError(problems)
    return metadata, key_lines


def _read_yaml(
    header: str, first_line: int, file: str, called: str
) -> tuple[Any, dict[KeyPath, int], list[tuple[KeyPath | None, SourceError]]]:
    loader = yaml.SafeLoader(header)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ContentError([SourceError(file, first_line, f"{called} is empty")])
        key_lines: dict[KeyPath, int] = {(): first_line + root.start_mark.line}
        problems = list(_check_nodes(root, (), key_lines, first_line, file))
        return loader.construct_document(root), key_lines, problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        detail = " ".join(part for part in (error.context, error.problem) if part)
        message = f"{called} is not valid YAML: {detail}"
        raise ContentError([SourceError(file, line, message)]) from None
    finally:
        loader.dispose()


def _check_nodes(
    node: Node, path: KeyPath, key_lines: dict[KeyPath, int], first_line: int, file: str
) -> Iterator[tuple[KeyPath | None, SourceError]]:
    """Record the line of every key and item; report duplicate keys and ambiguous values.

    Each problem comes with the path of the value it explains, or None for a repeated key.
    """
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in seen:
                yield None, SourceError(file, line, f"`{_join((*path, key))}` is given twice")
            seen.add(key)
            key_lines[(*path, key)] = line
            yield from _check_nodes(value_node, (*path, key), key_lines, first_line, file)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            key_lines[(*path, index)] = first_line + item.start_mark.line
            yield from _check_nodes(item, (*path, index), key_lines, first_line, file)
    elif isinstance(node, ScalarNode) and node.style is None:
        problem = _yaml_11_surprise(node)
        if problem:
            line = first_line + node.start_mark.line
            yield path, SourceError(file, line, f"`{_join(path)}`: {problem}")


def _yaml_11_surprise(node: ScalarNode) -> str | None:
    """Why an unquoted value would not mean what it looks like, or None."""
    value = node.value
    if node.tag == _BOOL_TAG and value.lower() not in ("true", "false"):
        meaning = "true" if value.lower() in ("yes", "on", "y") else "false"
        return (
            f"YAML reads an unquoted {value} as {meaning}; write true or false, "
            f'or "{value}" in quotes if you mean the word'
        )
    if node.tag in (_INT_TAG, _FLOAT_TAG) and ":" in value:
        return (
            f"YAML reads {value} as a base-60 number; write minutes as a whole number, "
            f'or "{value}" in quotes if you mean the text'
        )
    if node.tag == _INT_TAG and _OCTAL_OR_BASE.match(value):
        return f'YAML reads {value} as a number in another base; write "{value}" in quotes'
    if node.tag == _TIMESTAMP_TAG:
        try:
            SafeConstructor().construct_yaml_timestamp(node)
        except ValueError:
            node.tag = _STR_TAG  # read as text, so the rest of the file can still be checked
            return f"{value} is not a date in the calendar; write it as YYYY-MM-DD"
    return None


_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known key",
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "bool_type": "should be true or false",
    "date_type": "should be a date written as YYYY-MM-DD, without quotes",
    "list_type": "should be a list",
    "model_type": "should be a set of keys and values",
    "dict_type": "should be a set of keys and values",
}


def _describe(error: Any, key_lines: dict[KeyPath, int], file: str) -> SourceError:
    location: KeyPath = tuple(error["loc"])
    kind = error["type"]
    message = _MESSAGES.get(kind)
    if message is None:
        message = _custom_message(error) or error["msg"][0].lower() + error["msg"][1:]
    line = _line_for(location, key_lines)
    if location:
        return SourceError(file, line, f"`{_join(location)}` {message}")
    return SourceError(file, line, message)


def _custom_message(error: Any) -> str | None:
    context = error.get("ctx") or {}
    if error["type"] == "value_error":
        return str(context.get("error", error["msg"]))
    if error["type"] == "string_pattern_mismatch":
        return "may use only letters, digits, '.', '-' and '_' (no spaces)"
    if error["type"] == "string_too_short":
        return "should not be empty"
    if error["type"] == "too_short":
        return f"needs at least {context.get('min_length', 1)} item(s)"
    return None


def _line_for(location: KeyPath, key_lines: dict[KeyPath, int]) -> int:
    """The line of the deepest part of `location` that exists in the file."""
    for end in range(len(location), -1, -1):
        line = key_lines.get(location[:end])
        if line is not None:
            return line
    return 1


def _join(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
