"""Front matter: every kind of mistake an author can make is reported at its line, and YAML 1.1's
surprising readings are refused instead of silently changing what was written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pytest
from pydantic import BaseModel

from lms.content.frontmatter import (
    ContentError,
    KeyPath,
    SourceError,
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


# --- the file's shape --------------------------------------------------------------------------


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


# --- keys ----------------------------------------------------------------------------------------


def test_a_key_given_twice_is_reported_at_the_second_one() -> None:
    """YAML would quietly keep the last value; the author is told instead."""
    text = lesson_text("order: 2")
    assert lesson_errors(text) == [f"{LESSON}:5: `order` is given twice"]


def test_a_key_given_three_times_is_reported_at_each_repeat() -> None:
    """Every repeat is its own mistake, each at its own line."""
    text = lesson_text("title: Second title", "title: Third title")
    assert lesson_errors(text) == [
        f"{LESSON}:5: `title` is given twice",
        f"{LESSON}:6: `title` is given twice",
    ]


def test_a_key_repeated_inside_an_outcome_is_reported_with_its_path() -> None:
    """Duplicates are found at every depth, named by their full path."""
    text = document([*MODULE_LINES[:12], "    code: M1-LO3", *MODULE_LINES[12:]])
    assert module_errors(text) == [f"{MODULE}:14: `outcomes[2].code` is given twice"]


@pytest.mark.parametrize(
    ("extra", "key"),
    [("titel: Typo", "titel"), ("acknowledgement: true", "acknowledgement"), ("tags: [a]", "tags")],
)
def test_an_unknown_key_is_reported_at_its_line(extra: str, key: str) -> None:
    """A typo in a key is an error rather than a setting silently ignored."""
    assert lesson_errors(lesson_text(extra)) == [f"{LESSON}:5: `{key}` is not a known key"]


def test_an_unknown_key_inside_an_outcome_is_reported_at_its_line() -> None:
    """Nested mappings are strict too."""
    text = module_text({12: "    level: 2"})
    assert f"{MODULE}:12: `outcomes[1].level` is not a known key" in module_errors(text)


def test_each_missing_required_key_is_reported_at_the_first_line_of_the_front_matter() -> None:
    """A key that is not there has no line of its own; the front matter's first line stands in."""
    assert lesson_errors(document(["acknowledge: false"])) == [
        f"{LESSON}:2: `estimated_minutes` is required but missing",
        f"{LESSON}:2: `order` is required but missing",
        f"{LESSON}:2: `title` is required but missing",
    ]


def test_a_missing_key_of_an_outcome_is_reported_at_that_outcome() -> None:
    """`outcomes[2].statement` points at the line where the second outcome starts."""
    text = module_text({14: "    # no statement"})
    assert module_errors(text) == [f"{MODULE}:13: `outcomes[2].statement` is required but missing"]


# --- types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title: 42", "`title` should be text"),
        ("title: 4.5", "`title` should be text"),
        ("title: true", "`title` should be text"),
        ("title: false", "`title` should be text"),
        ("title:", "`title` should be text"),
        ("title: [Greeting]", "`title` should be text"),
        ("title: 2026-11-01", "`title` should be text"),
    ],
)
def test_text_given_something_else_is_refused(line: str, message: str) -> None:
    """Numbers, booleans, dates, lists and nothing are not turned into text."""
    assert lesson_errors(lesson_text(replace={2: line})) == [f"{LESSON}:2: {message}"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("estimated_minutes: five", "`estimated_minutes` should be a whole number"),
        ('estimated_minutes: "5"', "`estimated_minutes` should be a whole number"),
        ("estimated_minutes: 2.5", "`estimated_minutes` should be a whole number"),
        ("estimated_minutes: true", "`estimated_minutes` should be a whole number"),
        ("estimated_minutes: 08", "`estimated_minutes` should be a whole number"),
        ("estimated_minutes: 0", "`estimated_minutes` input should be greater than or equal to 1"),
        ("estimated_minutes: 601", "`estimated_minutes` input should be less than or equal to 600"),
    ],
)
def test_a_number_given_text_or_out_of_range_is_refused(line: str, message: str) -> None:
    """Minutes are a whole number between 1 and 600, written without quotes."""
    assert lesson_errors(lesson_text(replace={4: line})) == [f"{LESSON}:4: {message}"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('acknowledge: "true"', "`acknowledge` should be true or false"),
        ("acknowledge: 1", "`acknowledge` should be true or false"),
        ("acknowledge: y", "`acknowledge` should be true or false"),
        ("outcomes: M1-LO1", "`outcomes` should be a list"),
        ("outcomes: {code: M1-LO1}", "`outcomes` should be a list"),
    ],
)
def test_booleans_and_lists_must_be_written_as_such(line: str, message: str) -> None:
    """A quoted `"true"` is text, and a single code is not a list of codes."""
    assert lesson_errors(lesson_text(line)) == [f"{LESSON}:5: {message}"]


@pytest.mark.parametrize(
    "value",
    ['"2026-11-01"', "'2026-11-01'", "2026-11-01 10:00:00", "2026-11-01T10:00:00Z", "1 November"],
    ids=["double-quoted", "single-quoted", "datetime", "iso-datetime", "words"],
)
def test_reviewed_must_be_an_unquoted_date_without_a_time(value: str) -> None:
    """Quoted dates are text, and a date with a time is not a review date."""
    assert module_errors(module_text({6: f"reviewed: {value}"})) == [
        f"{MODULE}:6: `reviewed` should be a date written as YYYY-MM-DD, without quotes"
    ]


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2026-00-10"])
def test_a_date_that_is_not_in_the_calendar_is_reported_at_its_line(value: str) -> None:
    """YAML recognises the shape of a date but cannot build it; that is the author's mistake, at
    its line, not a crash of the whole sync."""
    [error] = module_errors(module_text({6: f"reviewed: {value}"}))
    assert error.startswith(f"{MODULE}:6: `reviewed`")


def test_a_date_like_title_that_is_not_a_date_is_reported_at_its_line() -> None:
    """The same holds for any key: `title: 2026-02-30` is an error at line 2."""
    [error] = lesson_errors(lesson_text(replace={2: "title: 2026-02-30"}))
    assert error.startswith(f"{LESSON}:2: `title`")


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({2: 'title: ""'}, "`title` should not be empty"),
        ({2: 'title: "   "'}, "`title` should not be empty"),
        ({3: "code: M 1"}, "`code` may use only letters, digits, '.', '-' and '_' (no spaces)"),
        ({3: "code: -M1"}, "`code` may use only letters, digits, '.', '-' and '_' (no spaces)"),
        ({7: "order: 0"}, "`order` input should be greater than or equal to 1"),
        ({7: "order: 1000"}, "`order` input should be less than or equal to 999"),
        ({7: "order: 1_000"}, "`order` input should be less than or equal to 999"),
        ({4: "summary: ''"}, "`summary` should not be empty"),
    ],
)
def test_values_outside_their_rules_are_refused_at_their_line(
    replace: dict[int, str], message: str
) -> None:
    """Codes, texts and numbers have limits, each reported at the key's line."""
    [line] = replace
    assert module_errors(module_text(replace)) == [f"{MODULE}:{line}: {message}"]


def test_a_module_needs_at_least_one_outcome() -> None:
    """An empty outcomes list is refused at its line."""
    text = document([*MODULE_LINES[:6], "outcomes: []"])
    assert module_errors(text) == [f"{MODULE}:8: `outcomes` needs at least 1 item(s)"]


# --- YAML 1.1 surprises --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "title: no",
            '`title`: YAML reads an unquoted no as false; write true or false, or "no" in quotes '
            "if you mean the word",
        ),
        ("title: Yes", "`title`: YAML reads an unquoted Yes as true"),
        ("title: off", "`title`: YAML reads an unquoted off as false"),
        ("title: ON", "`title`: YAML reads an unquoted ON as true"),
        ("acknowledge: yes", "`acknowledge`: YAML reads an unquoted yes as true"),
        ("acknowledge: on", "`acknowledge`: YAML reads an unquoted on as true"),
        ("acknowledge: off", "`acknowledge`: YAML reads an unquoted off as false"),
        ("acknowledge: No", "`acknowledge`: YAML reads an unquoted No as false"),
        (
            "estimated_minutes: 1:30",
            "`estimated_minutes`: YAML reads 1:30 as a base-60 number; write minutes as a whole "
            'number, or "1:30" in quotes if you mean the text',
        ),
        ("estimated_minutes: 1:30.5", "`estimated_minutes`: YAML reads 1:30.5 as a base-60"),
        (
            "order: 010",
            '`order`: YAML reads 010 as a number in another base; write "010" in quotes',
        ),
        ("order: 0x1F", "`order`: YAML reads 0x1F as a number in another base"),
        ("order: 0b101", "`order`: YAML reads 0b101 as a number in another base"),
        ("outcomes: [M1-LO1, no]", "`outcomes[2]`: YAML reads an unquoted no as false"),
        ("outcomes: [017]", "`outcomes[1]`: YAML reads 017 as a number in another base"),
    ],
)
def test_yaml_1_1_surprises_are_refused_with_one_clear_message(line: str, message: str) -> None:
    """Unquoted yes/no/on/off, base-60 and octal/hex/binary numbers are one error each, not a
    second confusing type error as well."""
    text, number = lesson_with(line)
    [error] = lesson_errors(text)
    assert error.startswith(f"{LESSON}:{number}: {message}")


def test_a_surprise_is_refused_even_when_it_would_pass_the_schema() -> None:
    """`acknowledge: yes` is a valid boolean to YAML, and `1:30` a valid 90 minutes; both are
    refused because the author cannot be sure of what they wrote."""
    assert len(lesson_errors(lesson_text("acknowledge: yes"))) == 1
    assert len(lesson_errors(lesson_text(replace={4: "estimated_minutes: 1:30"}))) == 1


def test_a_surprise_deep_in_an_outcome_is_reported_with_its_path_and_line() -> None:
    """`outcomes[2].criteria[2]` is named and reported at the item's own line."""
    text = module_text({17: "      - no"})
    assert module_errors(text) == [
        f"{MODULE}:17: `outcomes[2].criteria[2]`: YAML reads an unquoted no as false; write true "
        'or false, or "no" in quotes if you mean the word'
    ]


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ('title: "no"', "title", "no"),
        ("title: 'Off'", "title", "Off"),
        ('title: "yes"', "title", "yes"),
        ('title: "1:30"', "title", "1:30"),
        ('title: "010"', "title", "010"),
        ("title: 0x1F is hex", "title", "0x1F is hex"),
        ("title: On the phone", "title", "On the phone"),
        ("title: No shortcuts", "title", "No shortcuts"),
        ('outcomes: ["010", "no"]', "outcomes", ["010", "no"]),
        ("acknowledge: true", "acknowledge", True),
        ("acknowledge: True", "acknowledge", True),
        ("acknowledge: FALSE", "acknowledge", False),
        ("estimated_minutes: 90", "estimated_minutes", 90),
        ("order: 10", "order", 10),
    ],
)
def test_quoted_and_unambiguous_forms_are_accepted(line: str, field: str, value: object) -> None:
    """Quoting says "this is text"; true/false in any case is a boolean; words that merely start
    with yes/no/on are text."""
    text, _ = lesson_with(line)
    meta, _ = parse(text, LessonMeta, LESSON)
    assert getattr(meta, field) == value


def test_a_quoted_module_code_that_looks_like_a_number_is_text() -> None:
    """`code: "0x1F"` keeps its digits and letters."""
    meta, _ = parse(module_text({3: 'code: "0x1F"'}), ModuleMeta, MODULE)
    assert meta.code == "0x1F"


def test_surprises_do_not_hide_other_errors_in_the_same_file() -> None:
    """A surprise, a type error, an unknown key and a missing key are all reported together."""
    text = document(["title: no", "order: first", "colour: blue"])
    assert lesson_errors(text) == [
        f"{LESSON}:2: `estimated_minutes` is required but missing",
        f'{LESSON}:2: `title`: YAML reads an unquoted no as false; write true or false, or "no" '
        "in quotes if you mean the word",
        f"{LESSON}:3: `order` should be a whole number",
        f"{LESSON}:4: `colour` is not a known key",
    ]


def test_a_surprise_in_a_repeated_key_does_not_hide_the_repeat() -> None:
    """`title: no` given a second time is both a repeat and a surprise: both are reported."""
    errors = lesson_errors(lesson_text("title: no"))
    assert f"{LESSON}:5: `title` is given twice" in errors
    assert any(e.startswith(f"{LESSON}:5: `title`: YAML reads an unquoted no") for e in errors)


def test_a_surprise_in_an_unknown_key_does_not_hide_that_the_key_is_unknown() -> None:
    """`acknowlege: yes` (a typo) must say the key is unknown, not only that yes is ambiguous."""
    errors = lesson_errors(lesson_text("acknowlege: yes"))
    assert f"{LESSON}:5: `acknowlege` is not a known key" in errors


# --- whole-front-matter rules ----------------------------------------------------------------


@pytest.mark.parametrize("extra", [(), ("acknowledge: false",)], ids=["absent", "false"])
def test_a_statement_without_acknowledge_true_is_refused(extra: tuple[str, ...]) -> None:
    """A statement nobody will be asked to confirm is a mistake, reported at the front matter."""
    text = lesson_text(*extra, "acknowledge_statement: I will follow the policy.")
    assert lesson_errors(text) == [
        f"{LESSON}:2: `acknowledge_statement` is given but `acknowledge` is not true"
    ]


def test_acknowledge_true_without_a_statement_uses_the_default_statement() -> None:
    """The learner confirms having read and understood the lesson, named by its title."""
    meta, _ = parse(lesson_text("acknowledge: true"), LessonMeta, LESSON)
    assert meta.acknowledge_statement is None
    assert meta.statement() == "I have read and understood “Greeting a caller”."


def test_acknowledge_true_with_a_statement_uses_that_statement() -> None:
    """The author's own words are what the learner confirms."""
    text = lesson_text("acknowledge: true", "acknowledge_statement: I will follow the policy.")
    meta, _ = parse(text, LessonMeta, LESSON)
    assert meta.statement() == "I will follow the policy."


def test_a_lesson_without_acknowledge_has_no_statement() -> None:
    """No acknowledgement is asked for by default."""
    meta, _ = parse(lesson_text(), LessonMeta, LESSON)
    assert meta.acknowledge is False
    assert meta.statement() is None
    assert meta.outcomes == []


def test_repeated_outcome_codes_in_one_module_are_refused() -> None:
    """Two outcomes with one code would make assessments ambiguous."""
    text = module_text({13: "  - code: M1-LO1"})
    assert module_errors(text) == [f"{MODULE}:2: outcome codes must differ; repeated: M1-LO1"]


# --- nested paths and lines ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [*MODULE_LINES[:13], "    criteria: []"],
            "15: `outcomes[2].criteria` needs at least 1 item(s)",
        ),
        (
            [*MODULE_LINES[:13], "    criteria: Summarises."],
            "15: `outcomes[2].criteria` should be a list",
        ),
        (_edit(MODULE_LINES, {17: "      - 5"}), "17: `outcomes[2].criteria[2]` should be text"),
        (
            _edit(MODULE_LINES, {17: '      - ""'}),
            "17: `outcomes[2].criteria[2]` should not be empty",
        ),
        (
            _edit(MODULE_LINES, {9: "  - code: M1 LO1"}),
            "9: `outcomes[1].code` may use only letters, digits, '.', '-' and '_' (no spaces)",
        ),
        (
            _edit(MODULE_LINES, {14: "    statement: 12"}),
            "14: `outcomes[2].statement` should be text",
        ),
    ],
    ids=[
        "criteria-empty",
        "criteria-text",
        "criterion-number",
        "criterion-empty",
        "code",
        "statement",
    ],
)
def test_errors_inside_outcomes_name_the_path_and_the_item_line(
    lines: list[str], expected: str
) -> None:
    """`outcomes[2].criteria` counts from 1, as an author would, and points at the right line."""
    assert module_errors(document(lines)) == [f"{MODULE}:{expected}"]


def test_an_outcome_that_is_not_a_mapping_is_reported_at_its_item() -> None:
    """A bare string in the outcomes list is reported at that item's line."""
    text = document([*MODULE_LINES[:11], "  - Closes the call."])
    assert module_errors(text) == [f"{MODULE}:13: `outcomes[2]` should be a set of keys and values"]


def test_the_line_of_every_key_and_item_is_returned() -> None:
    """Later checks (repeated codes across files) use these lines."""
    meta, lines = parse(module_text(), ModuleMeta, MODULE)
    assert meta.reviewed == date(2026, 11, 1)
    assert lines[()] == 2
    assert lines[("code",)] == 3
    assert lines[("order",)] == 7
    assert lines[("outcomes",)] == 8
    assert lines[("outcomes", 0)] == 9
    assert lines[("outcomes", 0, "code")] == 9
    assert lines[("outcomes", 1)] == 13
    assert lines[("outcomes", 1, "criteria", 1)] == 17


def test_a_valid_module_front_matter_is_read_in_full() -> None:
    """Every field arrives typed: date, integers, booleans and the outcomes in order."""
    meta, _ = parse(module_text(None, "lessons_in_order: true"), ModuleMeta, MODULE)
    assert meta.title == "Handling calls"
    assert meta.code == "M1"
    assert meta.estimated_minutes == 30
    assert meta.order == 1
    assert meta.lessons_in_order is True
    assert [o.code for o in meta.outcomes] == ["M1-LO1", "M1-LO2"]
    assert meta.outcomes[1].criteria == ["Summarises what was agreed.", "Says goodbye."]


def test_surrounding_spaces_are_trimmed_from_titles() -> None:
    """A title written with stray spaces is stored without them."""
    meta, _ = parse(lesson_text(replace={2: 'title: "  Greeting  "'}), LessonMeta, LESSON)
    assert meta.title == "Greeting"


# --- line ends, byte-order marks, ordering ---------------------------------------------------


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
