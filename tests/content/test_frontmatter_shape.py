"""Front matter's frame: fences, valid YAML, line ends, byte-order marks, error order."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lms.content.frontmatter import (
    ContentError,
    SourceError,
    normalise_text,
    read_metadata,
    split_front_matter,
)
from lms.content.schema import LessonMeta, ModuleMeta
from tests.content.sample_front_matter import (
    LESSON,
    LESSON_LINES,
    MODULE,
    document,
    lesson_errors,
    lesson_text,
    module_text,
    parse,
)

# --- the file's shape ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "title: Greeting\norder: 1\n---\nBody\n",
        "\n---\ntitle: Greeting\n---\nBody\n",
        " ---\ntitle: Greeting\n---\nBody\n",
        "...\ntitle: Greeting\n---\nBody\n",
        "# Greeting\n\nJust Markdown, no front matter.\n",
        "",
    ],
    ids=["no-fence", "blank-first-line", "indented-fence", "dots-fence", "markdown-only", "empty"],
)
def test_a_file_not_starting_with_three_dashes_is_refused_at_line_1(text: str) -> None:
    """Front matter must open on the very first line with `---`."""
    assert lesson_errors(text) == [f"{LESSON}:1: the file must start with a '---' line"]


def test_front_matter_without_a_closing_line_is_refused_at_line_1() -> None:
    """An opening `---` with no closing `---` is reported where the front matter starts."""
    text = "---\ntitle: Greeting\norder: 1\nestimated_minutes: 5\n\nThe body, never separated.\n"
    assert lesson_errors(text) == [f"{LESSON}:1: the front matter has no closing '---' line"]


def test_the_front_matter_may_close_with_dots_or_a_fence_with_trailing_spaces() -> None:
    """`...` and `---   ` both close the front matter; the body starts on the next line."""
    for closing in ("...", "---   "):
        text = "\n".join(["---", *LESSON_LINES, closing, "First line of the body.", ""])
        parts = split_front_matter(text, LESSON)
        assert parts.header_line == 2
        assert parts.body_line == 6
        assert parts.body == "First line of the body.\n"
        meta, _ = read_metadata(parts, LESSON, LessonMeta)
        assert meta.title == "Greeting a caller"


def test_only_the_first_closing_line_ends_the_front_matter() -> None:
    """A later `---` (a Markdown rule) belongs to the body."""
    parts = split_front_matter(lesson_text() + "\n---\nMore text.\n", LESSON)
    assert parts.body == "Some text.\n\n---\nMore text.\n"
    assert parts.body_line == 6


@pytest.mark.parametrize(
    ("lines", "line", "detail"),
    [
        (["title: [Greeting", "order: 1"], 3, "expected ',' or ']'"),
        (["title: Greeting", "order: 1", "  estimated_minutes: 5"], 4, "mapping values"),
        (["title: Greeting", "\testimated_minutes: 5"], 3, "'\\t'"),
        (['title: "Greeting', "order: 1"], 3, "found unexpected end of stream"),
        (["title: Greeting", "order: 1", "? [a, b]", ": 1"], 4, "unhashable key"),
        (["title: !!python/object:os.system x"], 2, "could not determine a constructor"),
    ],
    ids=["unclosed-list", "bad-indent", "tab", "unclosed-quote", "list-as-key", "python-tag"],
)
def test_invalid_yaml_is_reported_at_the_line_of_the_problem(
    lines: list[str], line: int, detail: str
) -> None:
    """The parser's own explanation is kept, at the line in the file where it gave up."""
    [error] = lesson_errors(document(lines))
    assert error.startswith(f"{LESSON}:{line}: the front matter is not valid YAML: ")
    assert detail in error


@pytest.mark.parametrize(
    "lines", [[], [""], ["# only a comment", ""]], ids=["nothing", "blank", "comment"]
)
def test_empty_front_matter_is_refused_at_its_first_line(lines: list[str]) -> None:
    """`---` straight after `---`, or only blank lines and comments, is an empty front matter."""
    assert lesson_errors(document(lines)) == [f"{LESSON}:2: the front matter is empty"]


@pytest.mark.parametrize("lines", [["- title", "- order"], ["Greeting a caller"]])
def test_front_matter_that_is_not_keys_and_values_is_refused(lines: list[str]) -> None:
    """A list or a bare sentence where keys are expected is one clear error."""
    assert lesson_errors(document(lines)) == [f"{LESSON}:2: should be a set of keys and values"]


# --- line ends, byte-order marks, ordering -------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text,
        lambda text: "\ufeff" + text,
        lambda text: text.replace("\n", "\r\n"),
        lambda text: "\ufeff" + text.replace("\n", "\r\n"),
        lambda text: text.replace("\n", "\r"),
    ],
    ids=["lf", "bom", "crlf", "bom-crlf", "cr"],
)
def test_byte_order_marks_and_windows_line_ends_read_the_same(encode: Callable[[str], str]) -> None:
    """Whatever editor saved the file, metadata, lines and body are identical."""
    text = module_text(None, "lessons_in_order: true") + "Second line.\n"
    expected = parse(text, ModuleMeta, MODULE)
    normalised = normalise_text(encode(text))
    assert normalised == text
    assert parse(encode(text), ModuleMeta, MODULE) == expected
    assert split_front_matter(normalised, MODULE) == split_front_matter(text, MODULE)


def test_errors_in_a_crlf_file_with_a_bom_keep_their_line_numbers() -> None:
    """Line numbers do not shift when the file has Windows line ends and a byte-order mark."""
    text = "\ufeff" + lesson_text("colour: blue", replace={3: "order: 010"}).replace("\n", "\r\n")
    assert lesson_errors(text) == [
        f'{LESSON}:3: `order`: YAML reads 010 as a number in another base; write "010" in quotes',
        f"{LESSON}:5: `colour` is not a known key",
    ]


def test_errors_are_sorted_by_file_then_line_and_read_file_colon_line_colon_message() -> None:
    """`str()` of an error is `file:line: message`; a ContentError lists them sorted, one a line."""
    errors = [
        SourceError("b.md", 2, "second file"),
        SourceError("a.md", 10, "tenth line"),
        SourceError("a.md", 9, "ninth line"),
        SourceError("a.md", 9, "another on the ninth line"),
    ]
    raised = ContentError(errors)
    assert raised.errors == [errors[3], errors[2], errors[1], errors[0]]
    assert str(errors[0]) == "b.md:2: second file"
    assert str(raised) == (
        "a.md:9: another on the ninth line\na.md:9: ninth line\na.md:10: tenth line\n"
        "b.md:2: second file"
    )


def test_errors_found_out_of_order_in_a_file_are_reported_in_line_order() -> None:
    """Schema errors, surprises and repeats found in different passes come out by line."""
    text = document(["colour: blue", "order: 010", "title: Greeting", "estimated_minutes: x"])
    lines = [int(error.split(":")[1]) for error in lesson_errors(text)]
    assert lines == sorted(lines) == [2, 3, 5]
