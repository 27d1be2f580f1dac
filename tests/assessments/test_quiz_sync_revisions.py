"""Syncing quizzes: the first sync creates them, an unchanged sync does nothing, and a change to
either file of a quiz becomes a new current revision beside the old one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.assessments.formats.gift import parse_gift
from lms.assessments.models import QuizRevision
from tests.assessments.quiz_trees import quiz_row, quiz_tally, row_counts
from tests.quiz_files import KNOWLEDGE_CHECK_GIFT, QuizWorld, quiz_world, summative_quiz

FIRST = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = FIRST + timedelta(days=1)

# A description first (worth nothing), then the six questions of category Basics.
GIFT = "Answer every question; you may go back before you submit.\n\n" + KNOWLEDGE_CHECK_GIFT


@pytest.fixture
def world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Module A1 with outcomes LO1 and LO2, a knowledge check mapped to both, and a summative."""
    world = quiz_world(
        app,
        tmp_path,
        outcomes={"categories": {"Basics": ["A1-LO1"]}, "questions": {"pick-one": ["A1-LO2"]}},
    )
    world.modules[0].outcomes = ("LO1", "LO2")
    world.quiz().gift = GIFT
    world.quizzes.append(summative_quiz())
    return world


def revisions(slug: str) -> list[QuizRevision]:
    """Every revision of the A1 quiz `slug`, oldest first (needs an app context)."""
    return list(quiz_row(slug).revisions)


def test_the_first_sync_creates_each_quiz_with_revision_1(app: Flask, world: QuizWorld) -> None:
    """Two quiz files, two quizzes, each with one current revision holding both files."""
    report = world.publish(now=FIRST)
    assert quiz_tally(report) == (2, 2, 0, 0, 0)
    with app.app_context():
        quiz = quiz_row("knowledge-check")
        [revision] = quiz.revisions
        assert (quiz.created_at, quiz.retired_at) == (FIRST, None)
        assert (revision.number, revision.is_current, revision.created_at) == (1, True, FIRST)
        assert (revision.title, revision.kind) == ("Quiz knowledge-check", "knowledge-check")
        assert revision.gift_source == GIFT
        assert revision.settings_source == world.quiz().settings_text()
        assert revision.source_path == "assessments/A1/knowledge-check.gift"
        assert revision.settings["shuffle_answers"] is False
        assert revision.settings["outcomes"]["questions"] == {"pick-one": ["A1-LO2"]}
        assert [r.kind for r in revisions("summative")] == ["summative"]


def test_question_rows_carry_what_the_gift_file_and_settings_say(
    app: Flask, world: QuizWorld
) -> None:
    """Name, category, type, the parsed data, outcomes, points and the line, in file order."""
    world.publish(now=FIRST)
    parsed = parse_gift(GIFT).questions
    with app.app_context():
        [revision] = revisions("knowledge-check")
        rows = revision.questions
        assert [row.position for row in rows] == list(range(1, len(parsed) + 1))
        assert [(row.name, row.category, row.qtype) for row in rows] == [
            (q.name, q.category, q.type) for q in parsed
        ]
        assert [row.data for row in rows] == [q.as_json() for q in parsed]
        assert [row.source_line for row in rows] == [1, 5, 8, 11, 13, 16, 18]
        assert [row.points for row in rows] == [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
        assert [row.outcome_codes for row in rows] == [
            [],
            ["A1-LO1", "A1-LO2"],
            *[["A1-LO1"]] * 5,
        ]
        assert {row.marking_guide for row in rows} == {None}


def test_essay_rows_carry_their_marking_guides(app: Flask, world: QuizWorld) -> None:
    """The assessor's guide is stored on the essay it belongs to, with the essay's outcome."""
    world.publish(now=FIRST)
    with app.app_context():
        [revision] = revisions("summative")
        assert [
            (row.name, row.qtype, row.points, row.outcome_codes, row.marking_guide)
            for row in revision.questions
        ] == [
            ("explain", "essay", 1.0, ["A1-LO1"], "Names the IVR and the ACD."),
            ("conduct", "essay", 1.0, ["A1-LO1"], "Refuses."),
        ]


def test_an_unchanged_sync_changes_nothing(app: Flask, world: QuizWorld) -> None:
    """Same files, same rows: every quiz unchanged, no revision, no question added."""
    world.publish(now=FIRST)
    before = row_counts(app)
    again = world.sync(now=LATER)
    assert again.errors == []
    assert quiz_tally(again) == (2, 0, 0, 2, 0)
    assert not again.changed
    assert row_counts(app) == before
    with app.app_context():
        assert [(r.number, r.created_at) for r in revisions("knowledge-check")] == [(1, FIRST)]


def test_editing_the_gift_file_makes_revision_2_current_and_keeps_revision_1(
    app: Flask, world: QuizWorld
) -> None:
    """Attempts already started keep revision 1 and its questions; new ones get revision 2."""
    world.publish(now=FIRST)
    world.quiz().gift = GIFT.replace("Which colour is the sky", "What colour is the sky")
    report = world.publish(now=LATER)
    assert quiz_tally(report) == (2, 0, 1, 1, 0)
    with app.app_context():
        first, second = revisions("knowledge-check")
        assert (first.number, first.is_current, first.created_at) == (1, False, FIRST)
        assert (second.number, second.is_current, second.created_at) == (2, True, LATER)
        assert first.questions[1].data["text"].startswith("Which colour")
        assert second.questions[1].data["text"].startswith("What colour")
        assert {q.id for q in first.questions}.isdisjoint({q.id for q in second.questions})
        assert len(second.questions) == len(first.questions) == 7
        assert [r.number for r in revisions("summative")] == [1]


def test_editing_only_the_settings_file_makes_a_new_revision_too(
    app: Flask, world: QuizWorld
) -> None:
    """A new pass mark is a new revision, with its own copy of the unchanged questions."""
    world.publish(now=FIRST)
    world.quiz().settings["pass_mark"] = 80
    report = world.publish(now=LATER)
    assert quiz_tally(report) == (2, 0, 1, 1, 0)
    with app.app_context():
        first, second = revisions("knowledge-check")
        assert (first.is_current, second.is_current) == (False, True)
        assert (first.settings["pass_mark"], second.settings["pass_mark"]) == (75, 80)
        assert first.gift_source == second.gift_source
        assert [q.data for q in second.questions] == [q.data for q in first.questions]


def test_each_change_adds_the_next_revision_number(app: Flask, world: QuizWorld) -> None:
    """Three versions of a quiz are revisions 1, 2 and 3, and only the last is current."""
    world.publish(now=FIRST)
    for pass_mark in (80, 85):
        world.quiz().settings["pass_mark"] = pass_mark
        world.publish(now=LATER)
    with app.app_context():
        assert [(r.number, r.is_current) for r in revisions("knowledge-check")] == [
            (1, False),
            (2, False),
            (3, True),
        ]


def test_a_new_quiz_file_beside_synced_ones_is_created_alone(app: Flask, world: QuizWorld) -> None:
    """Adding a quiz creates it and leaves the others unchanged."""
    world.publish(now=FIRST)
    world.quizzes.append(summative_quiz(title="A second summative"))
    world.quizzes[-1].slug = "second-summative"
    report = world.publish(now=LATER)
    assert quiz_tally(report) == (3, 1, 0, 2, 0)
    with app.app_context():
        assert [r.title for r in revisions("second-summative")] == ["A second summative"]
