"""A quiz's settings file: strict YAML, the schema, and what it may say about its questions.

The clean settings file is four lines (title, module, kind, pass_mark); each row below adds to
it or changes it, so the expected line number can be read off the row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assessments.quiz_trees import (
    GIFT,
    SETTINGS,
    clean_tree_with,
    located,
    problems,
    read_clean,
)

SETTINGS_FILE = "assessments/A1/check.yml"

# (what is wrong, the settings file, the line reported, a distinctive part of the message)
STRICT_YAML: list[tuple[str, str, int, str]] = [
    ("an unknown key", SETTINGS + "colour: red\n", 5, "`colour` is not a known key"),
    (
        "a misspelt key",
        SETTINGS + "shuffle_question: true\n",
        5,
        "`shuffle_question` is not a known key",
    ),
    (
        "a quoted number",
        SETTINGS.replace("pass_mark: 75", 'pass_mark: "80"'),
        4,
        "`pass_mark` should be a whole number",
    ),
    (
        "an unquoted yes",
        SETTINGS + "shuffle_answers: yes\n",
        5,
        "`shuffle_answers`: YAML reads an unquoted yes as true; write true or false",
    ),
    (
        "an unquoted off",
        SETTINGS + "shuffle_questions: off\n",
        5,
        "`shuffle_questions`: YAML reads an unquoted off as false",
    ),
    (
        "a base-60 time",
        SETTINGS + "time_limit: 1:30\n",
        5,
        "`time_limit`: YAML reads 1:30 as a base-60 number",
    ),
    (
        "an octal number",
        SETTINGS.replace("pass_mark: 75", "pass_mark: 075"),
        4,
        "`pass_mark`: YAML reads 075 as a number in another base",
    ),
    ("a key given twice", SETTINGS + "pass_mark: 80\n", 5, "`pass_mark` is given twice"),
    (
        "a YAML syntax error",
        SETTINGS + "introduction: [unclosed\n",
        6,
        "the file is not valid YAML",
    ),
    ("an empty file", "", 1, "the file is empty"),
]

SCHEMA: list[tuple[str, str, int, str]] = [
    ("a missing kind", SETTINGS.replace("kind: knowledge-check\n", ""), 1, "`kind` is required"),
    (
        "an unknown kind",
        SETTINGS.replace("knowledge-check", "exam"),
        3,
        "`kind` input should be 'knowledge-check' or 'summative'",
    ),
    (
        "a pass mark over 100",
        SETTINGS.replace("pass_mark: 75", "pass_mark: 101"),
        4,
        "`pass_mark` input should be less than or equal to 100",
    ),
    ("no attempts at all", SETTINGS + "attempts: 0\n", 5, "`attempts` input should be greater"),
    (
        "an unknown layout",
        SETTINGS + "layout: two-per-page\n",
        5,
        "`layout` input should be 'one-per-page' or 'all-on-one-page'",
    ),
    (
        "an empty module",
        SETTINGS.replace("module: A1", 'module: ""'),
        2,
        "`module` may use only letters, digits",
    ),
    (
        "a feedback band above 100%",
        SETTINGS + "overall_feedback:\n  - min: 120\n    text: Splendid.\n",
        6,
        "`overall_feedback[1].min` input should be less than or equal to 100",
    ),
    (
        "two feedback bands with the same floor",
        SETTINGS + "overall_feedback:\n  - min: 50\n    text: Good.\n  - min: 50\n    text: Hm.\n",
        1,
        "each `overall_feedback` band needs its own `min`",
    ),
]

# Rules that tie the settings to the folder's module and to the GIFT file's questions.
REFERENCES: list[tuple[str, str, int, str]] = [
    (
        "a module key that does not match the folder",
        SETTINGS.replace("module: A1", "module: B1"),
        2,
        "the quiz is in the folder of module A1",
    ),
    (
        "an outcome of another module",
        SETTINGS + "outcomes:\n  questions:\n    colour: [B1-LO1]\n",
        7,
        "outcome B1-LO1 is not an outcome of this module",
    ),
    (
        "an outcome of no module",
        SETTINGS + "outcomes:\n  categories:\n    Basics:\n      - A1-LO1\n      - A1-LO9\n",
        9,
        "outcome A1-LO9 is not an outcome of this module",
    ),
    (
        "criteria of another module's outcome",
        SETTINGS + "criteria:\n  colour: {B1-LO1: [1]}\n",
        6,
        "outcome B1-LO1 is not an outcome of this module",
    ),
    (
        "a criterion number beyond the outcome's criteria",
        SETTINGS + "criteria:\n  colour:\n    A1-LO1: [1, 3, 4]\n",
        7,
        "outcome A1-LO1 has 2 criteria; there is no criterion 3, 4",
    ),
    (
        "criteria for a question that does not exist",
        SETTINGS + "criteria:\n  sunset: {A1-LO1: [1]}\n",
        6,
        "no question is named sunset",
    ),
    (
        "a criterion number of zero",
        SETTINGS + "criteria:\n  colour: {A1-LO1: [0]}\n",
        6,
        "`criteria.colour.A1-LO1[1]` input should be greater than or equal to 1",
    ),
    (
        "an outcome for a question that does not exist",
        SETTINGS + "outcomes:\n  questions:\n    sunset: [A1-LO1]\n",
        7,
        "no question is named sunset",
    ),
    (
        "an outcome for a category that does not exist",
        SETTINGS + "outcomes:\n  categories:\n    Sky: [A1-LO1]\n",
        7,
        "no category is named Sky",
    ),
    (
        "a marking guide for a question that is not an essay",
        SETTINGS + "marking_guides:\n  colour: Says blue.\n",
        6,
        "colour is not an essay question",
    ),
    (
        "a marking guide for a question that does not exist",
        SETTINGS + "marking_guides:\n  sunset: Says red.\n",
        6,
        "no question is named sunset",
    ),
    (
        "more questions drawn than the file has",
        SETTINGS + "draw: 4\n",
        5,
        "`draw` asks for 4 questions but the file has 3",
    ),
    ("no question drawn", SETTINGS + "draw: 0\n", 5, "`draw` input should be greater than"),
]


def _ids(table: list[tuple[str, str, int, str]]) -> list[str]:
    return [row[0] for row in table]


@pytest.mark.parametrize(
    ("what", "settings", "line", "message"),
    STRICT_YAML + SCHEMA + REFERENCES,
    ids=_ids(STRICT_YAML + SCHEMA + REFERENCES),
)
def test_a_settings_mistake_is_reported_at_its_line(
    tmp_path: Path, what: str, settings: str, line: int, message: str
) -> None:
    """Each mistake in the settings file is exactly one error at the line that holds it."""
    errors = problems(clean_tree_with(tmp_path / "assessments", {"A1/check.yml": settings}))
    assert located(errors) == [(SETTINGS_FILE, line)], what
    assert message in errors[0].message


def test_an_outcome_for_a_name_two_questions_share_is_refused(tmp_path: Path) -> None:
    """The outcome could belong to either question, so the author must rename one."""
    gift = GIFT + "\n::colour::Which colour is grass? {=green ~blue}\n"
    settings = SETTINGS + "outcomes:\n  questions:\n    colour: [A1-LO1]\n"
    root = clean_tree_with(
        tmp_path / "assessments", {"A1/check.gift": gift, "A1/check.yml": settings}
    )
    assert [str(error) for error in problems(root)] == [
        f"{SETTINGS_FILE}:7: 2 questions are named colour"
    ]


def test_two_questions_may_share_a_name_nothing_refers_to(tmp_path: Path) -> None:
    """Names matter only where the settings use them."""
    gift = GIFT + "\n::colour::Which colour is grass? {=green ~blue}\n"
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", {"A1/check.gift": gift}))
    assert [q.parsed.name for q in quiz.questions] == ["colour", "boils", "fruit", "colour"]


def test_a_yaml_surprise_is_one_error_not_a_second_type_error(tmp_path: Path) -> None:
    """`pass_mark: 0x4B` is 75 to YAML: refused once, with its reason, not also as a type."""
    settings = SETTINGS.replace("pass_mark: 75", "pass_mark: 0x4B")
    errors = problems(clean_tree_with(tmp_path / "assessments", {"A1/check.yml": settings}))
    assert [str(error) for error in errors] == [
        f'{SETTINGS_FILE}:4: `pass_mark`: YAML reads 0x4B as a number in another base; write "0x4B"'
        " in quotes"
    ]


def test_every_settings_mistake_in_a_file_is_listed_at_once(tmp_path: Path) -> None:
    """An unknown key, a quoted number and a repeated key: three errors, in line order."""
    settings = 'title: Sky\nmodule: A1\nkind: knowledge-check\npass_mark: "80"\ncolor: red\n'
    settings += "title: Sky again\n"
    errors = problems(clean_tree_with(tmp_path / "assessments", {"A1/check.yml": settings}))
    assert [str(error) for error in errors] == [
        f"{SETTINGS_FILE}:4: `pass_mark` should be a whole number",
        f"{SETTINGS_FILE}:5: `color` is not a known key",
        f"{SETTINGS_FILE}:6: `title` is given twice",
    ]


def test_the_defaults_fill_in_what_the_settings_leave_out(tmp_path: Path) -> None:
    """Four lines make a complete quiz: one per page, answers shuffled, best attempt counts."""
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", {}))
    assert quiz.settings_json == {
        "title": "Sky and water",
        "module": "A1",
        "kind": "knowledge-check",
        "pass_mark": 75,
        "attempts": None,
        "time_limit": None,
        "layout": "one-per-page",
        "shuffle_questions": False,
        "shuffle_answers": True,
        "draw": None,
        "feedback": "after-each-attempt",
        "grading": "highest",
        "outcomes": {"questions": {}, "categories": {}},
        "criteria": {},
        "marking_guides": {},
        "overall_feedback": [],
        "introduction": None,
    }


def test_criteria_tie_each_question_to_its_outcomes_and_the_criteria_it_tests(
    tmp_path: Path,
) -> None:
    """A question named under `criteria` serves those outcomes without an `outcomes` entry."""
    settings = SETTINGS + "criteria:\n  colour: {A1-LO1: [2, 1]}\n  fruit: {A1-LO2: [1]}\n"
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", {"A1/check.yml": settings}))
    served = {q.parsed.name: (q.outcome_codes, q.criteria) for q in quiz.questions}
    assert served == {
        "colour": (("A1-LO1",), (("A1-LO1", 2), ("A1-LO1", 1))),
        "boils": ((), ()),
        "fruit": (("A1-LO2",), (("A1-LO2", 1),)),
    }
