"""YAML 1.1's surprising readings are refused with one clear message; quoted forms are not."""

from __future__ import annotations

import pytest

from lms.content.schema import LessonMeta, ModuleMeta
from tests.content.sample_front_matter import (
    LESSON,
    MODULE,
    document,
    lesson_errors,
    lesson_text,
    lesson_with,
    module_errors,
    module_text,
    parse,
)


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
