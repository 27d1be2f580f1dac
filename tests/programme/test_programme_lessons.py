"""The five modules of "Contact Centre & BPO Induction" have the shape COURSE.md asks for: every
lesson is the right length, sets its example at the same company and ends with one reflective
prompt, and the regulations module names each law with its number and year."""

from __future__ import annotations

import re

import pytest

from lms.content.rendering import render_markdown
from tests.programme.shipped import COMPANY, MODULE_CODES, module, modules

LESSONS = [
    pytest.param(m.meta.code, lesson, id=f"{m.meta.code}-{lesson.slug}")
    for m in modules()
    for lesson in m.lessons
]


def test_the_programme_is_the_five_modules_in_order() -> None:
    """M1 to M5, ordered 1 to 5, each reviewed and with two or three outcomes."""
    assert tuple(m.meta.code for m in modules()) == MODULE_CODES
    assert [m.meta.order for m in modules()] == [1, 2, 3, 4, 5]
    for source in modules():
        assert 2 <= len(source.meta.outcomes) <= 3, source.path
        assert all(2 <= len(o.criteria) <= 4 for o in source.meta.outcomes), source.path


@pytest.mark.parametrize("code", MODULE_CODES)
def test_each_module_has_four_to_seven_lessons(code: str) -> None:
    """Enough to teach the outcomes, few enough for a first week."""
    assert 4 <= len(module(code).lessons) <= 7


@pytest.mark.parametrize(("code", "lesson"), LESSONS)
def test_each_lesson_has_400_to_900_words(code: str, lesson: object) -> None:
    """Counted as the reader page counts them: the words of the rendered lesson."""
    words = render_markdown(lesson.body).word_count  # type: ignore[attr-defined]
    assert 400 <= words <= 900, f"{lesson.path}: {words} words"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("code", "lesson"), LESSONS)
def test_each_lesson_ends_with_one_reflective_prompt(code: str, lesson: object) -> None:
    """A `## Reflect` section, last, asking about the learner's own team."""
    body = lesson.body  # type: ignore[attr-defined]
    headings = re.findall(r"^## (.+)$", body, flags=re.MULTILINE)
    assert headings.count("Reflect") == 1 and headings[-1] == "Reflect", lesson.path  # type: ignore[attr-defined]
    prompt = body.split("## Reflect", 1)[1]
    assert "In your own team" in prompt


@pytest.mark.parametrize("code", MODULE_CODES)
def test_every_module_works_its_examples_at_the_same_company(code: str) -> None:
    """The fictional company appears in every lesson of a module but at most one."""
    lessons = module(code).lessons
    at_company = [lesson.slug for lesson in lessons if COMPANY in lesson.body]
    assert len(at_company) >= len(lessons) - 1, at_company


def test_the_regulations_module_asks_learners_to_acknowledge_its_conduct_lesson() -> None:
    """A policy lesson must be acknowledged, and it names the data-protection law it rests on."""
    regulations = module("M4")
    acknowledged = [lesson for lesson in regulations.lessons if lesson.meta.acknowledge]
    assert acknowledged
    assert any("Act 4 of 2013" in lesson.body for lesson in acknowledged)
    assert regulations.meta.lessons_in_order


LAWS = [
    "Protection of Personal Information Act 4 of 2013",
    "Consumer Protection Act 68 of 2008",
    "Act 70 of 2002",  # RICA: its long title is split over words in the lesson
    "National Credit Act 34 of 2005",
    "Basic Conditions of Employment Act 75 of 1997",
    "Occupational Health and Safety Act 85 of 1993",
    "2016/679",  # the GDPR's number
    "PCI DSS",
]


@pytest.mark.parametrize("law", LAWS)
def test_each_law_of_the_regulations_module_is_named_with_its_number(law: str) -> None:
    """Training on regulations names the instrument exactly, so a learner can look it up."""
    text = " ".join(re.sub(r"\s+", " ", lesson.body) for lesson in module("M4").lessons)
    assert law in text
