"""Front-matter keys: repeated, unknown and missing ones, and the rules between keys."""

from __future__ import annotations

import pytest

from lms.content.schema import LessonMeta
from tests.content.sample_front_matter import (
    LESSON,
    MODULE,
    MODULE_LINES,
    document,
    lesson_errors,
    lesson_text,
    module_errors,
    module_text,
    parse,
)

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


# --- whole-front-matter rules --------------------------------------------------------------------


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
