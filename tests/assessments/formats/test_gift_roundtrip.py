"""Reading, writing and reading again gives the same questions: for every case of the tables
and for every .gift file in the repository's assessments/ folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.assessments.formats.aiken import parse_aiken
from lms.assessments.formats.gift import parse_gift
from lms.assessments.formats.gift_export import export_gift
from lms.assessments.formats.questions import QUESTION_TYPES
from tests.assessments.formats.gift_cases import CONSTRUCT_CASES
from tests.assessments.formats.gift_doc_cases import DOC_CASES
from tests.assessments.formats.gift_doc_options import OPTION_CASES

REPOSITORY = Path(__file__).resolve().parents[3]
REPOSITORY_FILES = sorted((REPOSITORY / "assessments").glob("**/*.gift"))
TABLE = DOC_CASES + OPTION_CASES + CONSTRUCT_CASES
SOURCES = [pytest.param(case.gift, id=f"table-{case.id}") for case in TABLE] + [
    pytest.param(path.read_text(encoding="utf-8"), id=f"file-{path.relative_to(REPOSITORY)}")
    for path in REPOSITORY_FILES
]


@pytest.mark.parametrize("gift", SOURCES)
def test_parse_export_parse_gives_equal_questions(gift: str) -> None:
    """The written GIFT reads without error to equal questions, categories and all."""
    first = parse_gift(gift)
    written = export_gift(first.questions)
    again = parse_gift(written)
    assert again.errors == ()
    assert again.questions == first.questions
    assert [q.as_json() for q in again.questions] == [q.as_json() for q in first.questions]


@pytest.mark.parametrize("gift", SOURCES)
def test_writing_what_was_written_changes_nothing(gift: str) -> None:
    """Export is stable: the second writing is the first, byte for byte."""
    written = export_gift(parse_gift(gift).questions)
    assert export_gift(parse_gift(written).questions) == written


def test_the_round_trip_covers_every_question_type() -> None:
    """The table alone holds all eight types, so none escapes the round trip, folder or not."""
    kinds = {question.type for case in TABLE for question in parse_gift(case.gift).questions}
    assert kinds == set(QUESTION_TYPES)
    assert sum(len(case.questions) for case in TABLE) > 100


def test_an_aiken_file_converted_to_gift_reads_back_the_same() -> None:
    """Aiken questions (plain text, one right answer) survive being written as GIFT."""
    aiken = parse_aiken("What is 2 {+} 2 = ?\nA. 3 ~ish\nB) 4#\nC. [5]\nANSWER: B\n")
    assert aiken.ok
    again = parse_gift(export_gift(aiken.questions))
    assert again.ok and again.questions == aiken.questions
