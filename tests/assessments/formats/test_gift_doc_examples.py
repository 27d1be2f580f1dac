"""Moodle's "GIFT format" documentation page, example by example, read as Moodle reads it."""

from __future__ import annotations

import pytest

from lms.assessments.formats.gift import parse_gift
from tests.assessments.formats.expected import GiftCase
from tests.assessments.formats.gift_doc_cases import DOC_CASES
from tests.assessments.formats.gift_doc_options import OPTION_CASES


def read(case: GiftCase) -> tuple[list[tuple[int, dict]], list[str]]:
    parsed = parse_gift(case.gift, "doc.gift")
    questions = [(question.line, question.as_json()) for question in parsed.questions]
    return questions, [f"{error.line}: {error.message}" for error in parsed.errors]


@pytest.mark.parametrize("case", DOC_CASES + OPTION_CASES, ids=lambda case: case.id)
def test_each_documented_example_reads_as_moodle_reads_it(case: GiftCase) -> None:
    """Each example gives the documented questions, at their lines, with the expected errors."""
    assert read(case) == (case.questions, case.errors)
