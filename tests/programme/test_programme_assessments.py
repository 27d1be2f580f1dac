"""Each module's knowledge check and summative meet COURSE.md: sizes, pass marks, question
types, feedback on every answer, marking guides, and every assessment criterion both taught in
a lesson and tested by a question."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from lms.assessments.cli import gift_group
from lms.assessments.formats.questions import ParsedQuestion
from tests.programme.shipped import ASSESSMENTS, MODULE_CODES, module, modules, quiz, quizzes

KNOWLEDGE_CHECK_TYPES = {"multichoice", "multiresponse", "truefalse", "shortanswer", "matching"}


def criteria_of(code: str) -> set[tuple[str, int]]:
    return {
        (outcome.code, number)
        for outcome in module(code).meta.outcomes
        for number in range(1, len(outcome.criteria) + 1)
    }


def test_every_module_has_a_knowledge_check_and_a_summative() -> None:
    """Two quizzes per module and no others."""
    kinds = sorted((q.module_code, q.settings.kind) for q in quizzes())
    assert kinds == sorted((c, k) for c in MODULE_CODES for k in ("knowledge-check", "summative"))


@pytest.mark.parametrize("code", MODULE_CODES)
def test_each_criterion_is_taught_by_a_lesson(code: str) -> None:
    """Read from the lessons' `criteria` front matter."""
    taught = {
        (outcome, number)
        for lesson in module(code).lessons
        for outcome, numbers in lesson.meta.criteria.items()
        for number in numbers
    }
    assert criteria_of(code) - taught == set()


@pytest.mark.parametrize("code", MODULE_CODES)
def test_each_criterion_is_tested_by_a_question(code: str) -> None:
    """Read from the quizzes' `criteria` settings, knowledge check and summative together."""
    tested = {
        pair
        for kind in ("knowledge-check", "summative")
        for question in quiz(code, kind).questions
        for pair in question.criteria
    }
    assert criteria_of(code) - tested == set()


@pytest.mark.parametrize("code", MODULE_CODES)
def test_every_question_is_tied_to_a_criterion(code: str) -> None:
    """A question that tests no criterion would not be evidence for any outcome."""
    for kind in ("knowledge-check", "summative"):
        untied = [q.parsed.name for q in quiz(code, kind).questions if not q.criteria]
        assert untied == [], kind


@pytest.mark.parametrize("code", MODULE_CODES)
def test_each_knowledge_check_is_sized_and_marked_as_the_course_asks(code: str) -> None:
    """10 to 20 questions, a pass mark from 70 to 80 %, and every type that fits a fact."""
    check = quiz(code, "knowledge-check")
    types = Counter(q.parsed.type for q in check.questions)
    assert 10 <= sum(types.values()) <= 20
    assert 70 <= check.settings.pass_mark <= 80
    assert set(types) >= KNOWLEDGE_CHECK_TYPES, types
    assert "essay" not in types


def answer_feedback(question: ParsedQuestion) -> list[str | None]:
    """The feedback of each answer a learner can give, true/false's two included."""
    if question.truefalse is not None:
        return [question.truefalse.feedback_true, question.truefalse.feedback_false]
    if question.type == "matching":
        return [question.general_feedback]  # pairs carry none; the whole question does
    return [a.feedback for a in question.answers] + [a.feedback for a in question.numerical]


@pytest.mark.parametrize("code", MODULE_CODES)
def test_every_knowledge_check_answer_has_feedback(code: str) -> None:
    """Right or wrong, the learner is told why."""
    for question in quiz(code, "knowledge-check").questions:
        feedback = answer_feedback(question.parsed)
        assert feedback and all(text and text.strip() for text in feedback), question.parsed.name


def test_the_service_level_check_asks_four_worked_calculations() -> None:
    """Service level, abandonment, handle time and occupancy: each numerical, with a tolerance
    and a worked explanation (the figures of the sum) in its feedback."""
    numerical = [
        q.parsed for q in quiz("M3", "knowledge-check").questions if q.parsed.type == "numerical"
    ]
    assert len(numerical) >= 4
    asked = " ".join(q.text.lower() for q in numerical)
    for topic in ("service level", "abandon", "handle time", "occupancy"):
        assert topic in asked, topic
    for question in numerical:
        assert all(answer.tolerance > 0 for answer in question.numerical if answer.fraction == 1)
        explained = " ".join(
            text or "" for text in [question.general_feedback, *answer_feedback(question)]
        )
        assert any(sign in explained for sign in ("÷", "×", "/")), question.name  # noqa: RUF001


@pytest.mark.parametrize("code", MODULE_CODES)
def test_each_summative_asks_one_or_two_essays_per_outcome_with_a_guide(code: str) -> None:
    """Written answers only, each serving one outcome and carrying a marking guide."""
    summative = quiz(code, "summative")
    assert {q.parsed.type for q in summative.questions} <= {"essay", "description"}
    essays = [q for q in summative.questions if q.parsed.type == "essay"]
    per_outcome = Counter(code for q in essays for code in q.outcome_codes)
    assert set(per_outcome) == {o.code for o in module(code).meta.outcomes}
    assert all(1 <= count <= 2 for count in per_outcome.values()), per_outcome
    assert all(q.marking_guide and len(q.marking_guide.split()) >= 30 for q in essays)


GIFT_FILES = sorted(ASSESSMENTS.glob("*/*.gift"))


@pytest.mark.parametrize("path", GIFT_FILES, ids=[p.parent.name + "/" + p.name for p in GIFT_FILES])
def test_every_shipped_gift_file_passes_the_checker(path: Path) -> None:
    """`lms gift check FILE` exits 0, as an author would run it."""
    result = CliRunner().invoke(gift_group, ["check", str(path)])
    assert result.exit_code == 0, result.output


def test_the_programme_has_nothing_left_of_the_example_modules() -> None:
    """Only M1 to M5 are shipped; their quizzes live in folders named after them."""
    assert sorted(p.name for p in ASSESSMENTS.iterdir() if p.is_dir()) == list(MODULE_CODES)
    assert len(modules()) == len(MODULE_CODES)
