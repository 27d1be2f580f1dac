"""A quiz's GIFT file: its syntax errors by line, the rules for essays, and what each question
carries into the database (outcomes, marking guide, points)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assessments.quiz_trees import (
    GIFT,
    SETTINGS,
    SUMMATIVE_GIFT,
    SUMMATIVE_SETTINGS,
    clean_tree_with,
    located,
    problems,
    read_clean,
)

GIFT_FILE = "assessments/A1/check.gift"

# (what is wrong, the GIFT file, the settings, the line reported, part of the message)
QUESTION_PROBLEMS: list[tuple[str, str, str, int, str]] = [
    (
        "an answer block that is never closed",
        GIFT + "\n::broken::Which is right?\n{=this ~that\n",
        SETTINGS,
        11,
        "the answer block '{' is not closed with '}'",
    ),
    (
        "a closing brace without an opening one",
        GIFT + "\n::brace::Which} is it? {=a ~b}\n",
        SETTINGS,
        10,
        "'}' has no '{' before it",
    ),
    (
        "a weight Moodle does not accept",
        GIFT + "\n::pick::Which is it? {=right ~%33%nearly ~wrong}\n",
        SETTINGS,
        10,
        "33% is not a weight Moodle accepts",
    ),
    (
        "weights that do not add up to 100%",
        GIFT + "\n::pick::Which are they? {~%50%one ~%40%two ~three}\n",
        SETTINGS,
        10,
        "the positive weights add up to 90%, not 100%",
    ),
    (
        "an essay in a knowledge check",
        GIFT + "\n::essay::Describe the sky. {}\n",
        SETTINGS,
        10,
        "a knowledge check is marked automatically: essays belong in a summative",
    ),
    (
        "a summative essay without a marking guide",
        SUMMATIVE_GIFT,
        SUMMATIVE_SETTINGS.replace("  conduct: Refuses until the caller is verified.\n", ""),
        5,
        "conduct needs a marking guide under `marking_guides` in the settings",
    ),
    (
        "a summative essay without an outcome",
        SUMMATIVE_GIFT,
        SUMMATIVE_SETTINGS.replace("    conduct: [A1-LO2]\n", ""),
        5,
        "conduct needs an outcome under `outcomes` or `criteria` in the settings",
    ),
    (
        "a file of descriptions only",
        "Read this first.\n\nAnd then this.\n",
        SETTINGS,
        1,
        "the file has no questions",
    ),
    ("an empty file", "", SETTINGS, 1, "the file has no questions"),
    (
        "a question name longer than the database keeps",
        GIFT + "\n::" + "n" * 201 + "::Which is it? {=a ~b}\n",
        SETTINGS,
        10,
        "a question name may be at most 200 characters long",
    ),
    (
        "a category longer than the database keeps",
        GIFT + "\n$CATEGORY: " + "c" * 201 + "\n\n::long::Which is it? {=a ~b}\n",
        SETTINGS,
        12,
        "a question category may be at most 200 characters long",
    ),
    ("a file of comments only", "// questions to come\n", SETTINGS, 1, "the file has no questions"),
]


@pytest.mark.parametrize(
    ("what", "gift", "settings", "line", "message"),
    QUESTION_PROBLEMS,
    ids=[row[0] for row in QUESTION_PROBLEMS],
)
def test_a_question_mistake_is_reported_at_its_line_in_the_gift_file(
    tmp_path: Path, what: str, gift: str, settings: str, line: int, message: str
) -> None:
    """Each mistake is exactly one error at the line of the GIFT file that holds it."""
    files = {"A1/check.gift": gift, "A1/check.yml": settings}
    errors = problems(clean_tree_with(tmp_path / "assessments", files))
    assert located(errors) == [(GIFT_FILE, line)], what
    assert message in errors[0].message


def test_an_unnamed_summative_essay_needs_a_guide_and_an_outcome(tmp_path: Path) -> None:
    """Without a name the settings cannot give it either, so both are reported at its line."""
    gift = SUMMATIVE_GIFT + "\nDescribe your first day. {}\n"
    files = {"A1/check.gift": gift, "A1/check.yml": SUMMATIVE_SETTINGS}
    assert [str(error) for error in problems(clean_tree_with(tmp_path / "assessments", files))] == [
        f"{GIFT_FILE}:7: this essay question needs a marking guide under `marking_guides` in the "
        "settings",
        f"{GIFT_FILE}:7: this essay question needs an outcome under `outcomes` or `criteria` "
        "in the settings",
    ]


def test_gift_and_settings_mistakes_are_reported_together(tmp_path: Path) -> None:
    """A broken question does not hide a broken settings file beside it, nor the reverse."""
    files = {
        "A1/check.gift": GIFT + "\n::broken::Which? {=a ~b\n",
        "A1/check.yml": SETTINGS + "colour: red\n",
    }
    assert located(problems(clean_tree_with(tmp_path / "assessments", files))) == [
        (GIFT_FILE, 10),
        ("assessments/A1/check.yml", 5),
    ]


def test_every_problem_of_a_gift_file_is_listed_at_once(tmp_path: Path) -> None:
    """Three broken questions: three errors, each at its own line."""
    gift = (
        "::one::Which? {=a ~b\n\n"
        "::two::Which? {=a ~%33%b}\n\n"
        "::fine::Which? {=a ~b}\n\n"
        "::three::Which} is it? {=a ~b}\n"
    )
    errors = problems(clean_tree_with(tmp_path / "assessments", {"A1/check.gift": gift}))
    assert located(errors) == [(GIFT_FILE, 1), (GIFT_FILE, 3), (GIFT_FILE, 7)]


def test_a_question_takes_the_outcomes_of_its_category_and_of_its_name(tmp_path: Path) -> None:
    """Category outcomes come first, then the question's own, each code once."""
    settings = SETTINGS + (
        "outcomes:\n"
        "  categories:\n"
        "    Basics: [A1-LO1]\n"
        "  questions:\n"
        "    colour: [A1-LO2, A1-LO1]\n"
        "    fruit: [A1-LO2]\n"
    )
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", {"A1/check.yml": settings}))
    assert {q.parsed.name: q.outcome_codes for q in quiz.questions} == {
        "colour": ("A1-LO1", "A1-LO2"),
        "boils": ("A1-LO1",),
        "fruit": ("A1-LO1", "A1-LO2"),
    }


def test_a_summative_essay_may_take_its_outcome_from_its_category(tmp_path: Path) -> None:
    """An outcome for the whole category is enough for the essays in it."""
    gift = "$CATEGORY: Written\n\n" + SUMMATIVE_GIFT
    settings = SUMMATIVE_SETTINGS.replace(
        "  questions:\n    explain: [A1-LO1]\n    conduct: [A1-LO2]\n",
        "  categories:\n    Written: [A1-LO2]\n",
    )
    files = {"A1/check.gift": gift, "A1/check.yml": settings}
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", files))
    assert [q.outcome_codes for q in quiz.questions] == [("A1-LO2",)] * 3


def test_each_question_carries_its_guide_and_points(tmp_path: Path) -> None:
    """A description is worth nothing; every other question one point; guides go to essays."""
    files = {"A1/check.gift": SUMMATIVE_GIFT, "A1/check.yml": SUMMATIVE_SETTINGS}
    [quiz] = read_clean(clean_tree_with(tmp_path / "assessments", files))
    assert [
        (q.parsed.type, q.parsed.name, q.parsed.line, q.points, q.marking_guide, q.outcome_codes)
        for q in quiz.questions
    ] == [
        ("description", None, 1, 0.0, None, ()),
        ("essay", "explain", 3, 1.0, "Names the IVR and the ACD.", ("A1-LO1",)),
        ("essay", "conduct", 5, 1.0, "Refuses until the caller is verified.", ("A1-LO2",)),
    ]


def test_draw_counts_questions_not_descriptions(tmp_path: Path) -> None:
    """The summative has a description and two essays: two may be drawn, three may not."""
    gift = {"A1/check.gift": SUMMATIVE_GIFT}
    two = clean_tree_with(
        tmp_path / "two" / "assessments", {**gift, "A1/check.yml": SUMMATIVE_SETTINGS + "draw: 2\n"}
    )
    three = clean_tree_with(
        tmp_path / "three" / "assessments",
        {**gift, "A1/check.yml": SUMMATIVE_SETTINGS + "draw: 3\n"},
    )
    assert problems(two) == []
    assert [str(error) for error in problems(three)] == [
        "assessments/A1/check.yml:12: `draw` asks for 3 questions but the file has 2"
    ]


def test_a_marking_guide_for_a_name_two_questions_share_is_refused(tmp_path: Path) -> None:
    """Which question would the guide mark? The author must rename one, as for outcomes."""
    gift = "$CATEGORY: Written\n\n::explain::Explain. {}\n\n::explain::Pick one. {=a ~b}\n"
    settings = (
        "title: Written\nmodule: A1\nkind: summative\npass_mark: 100\n"
        "outcomes:\n  categories:\n    Written: [A1-LO1]\n"
        "marking_guides:\n  explain: Says how.\n"
    )
    files = {"A1/check.gift": gift, "A1/check.yml": settings}
    assert [str(error) for error in problems(clean_tree_with(tmp_path / "assessments", files))] == [
        "assessments/A1/check.yml:9: 2 questions are named explain"
    ]
