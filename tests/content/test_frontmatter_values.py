"""Front-matter values: types and limits, with every error at its key's path and line."""

from __future__ import annotations

from datetime import date

import pytest

from lms.content.schema import LessonMeta, ModuleMeta
from tests.content.sample_front_matter import (
    LESSON,
    MODULE,
    MODULE_LINES,
    _edit,
    document,
    lesson_errors,
    lesson_text,
    module_errors,
    module_text,
    parse,
)

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


# --- nested paths and lines ----------------------------------------------------------------------


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


def test_a_certificate_validity_is_read_in_whole_months() -> None:
    """A compliance module's certificate expires: `certificate_valid_months` says after how long."""
    meta, _ = parse(module_text(None, "certificate_valid_months: 12"), ModuleMeta, MODULE)
    assert meta.certificate_valid_months == 12
    plain, _ = parse(module_text(None), ModuleMeta, MODULE)
    assert plain.certificate_valid_months is None


@pytest.mark.parametrize("value", ["0", "121", '"12"', "1.5", "true"])
def test_a_certificate_validity_outside_1_to_120_whole_months_is_refused(value: str) -> None:
    [error] = module_errors(module_text(None, f"certificate_valid_months: {value}"))
    assert "certificate_valid_months" in error
