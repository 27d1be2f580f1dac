"""The review page after submitting: the score always, right answers and feedback only when
the quiz's feedback setting allows, and marking guides never."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.assessments.quiz_pages import (
    SECRET_ANSWERS,
    SECRET_FAILING_ANSWERS,
    SECRET_KEY_NUMBER,
    Answers,
    Learner,
    attempt_path,
    publish_secrets,
    published_world,  # noqa: F401 - the `world` fixture
    ready_learner,  # noqa: F401 - the `learner` fixture
    take,
    text_of,
    words,
)
from tests.quiz_files import QuizWorld

EACH, LAST = "after-each-attempt", "after-last-attempt"
HELD_BACK = "Feedback on each answer appears after your last attempt."

# The feedback setting, attempts allowed, answers given (and how many attempts), whether the
# review shows right answers and feedback, and the score line it shows either way.
FEEDBACK_RULES = [
    ("each-passed", EACH, None, SECRET_ANSWERS, 1, True, "5.5 of 6 points"),
    ("each-failed-attempts-left", EACH, 3, SECRET_FAILING_ANSWERS, 1, True, "0 of 6 points"),
    ("last-failed-attempts-left", LAST, 3, SECRET_FAILING_ANSWERS, 1, False, "0 of 6 points"),
    ("last-failed-unlimited", LAST, None, SECRET_FAILING_ANSWERS, 1, False, "0 of 6 points"),
    ("last-failed-last-attempt", LAST, 2, SECRET_FAILING_ANSWERS, 2, True, "0 of 6 points"),
    ("last-passed", LAST, 3, SECRET_ANSWERS, 1, True, "5.5 of 6 points"),
]


@pytest.mark.parametrize(
    ("feedback", "allowed", "answers", "taken", "visible", "score"),
    [row[1:] for row in FEEDBACK_RULES],
    ids=[row[0] for row in FEEDBACK_RULES],
)
def test_the_review_shows_answers_and_feedback_only_when_the_setting_allows(
    world: QuizWorld,
    learner: Learner,
    feedback: str,
    allowed: int | None,
    answers: Answers,
    taken: int,
    visible: bool,
    score: str,
) -> None:
    """The score is always shown; right answers and feedback follow the feedback setting."""
    publish_secrets(world, feedback=feedback, attempts=allowed)
    first = take(learner.client, answers)
    for _ in range(taken - 1):
        take(learner.client, answers)

    review = learner.client.get(attempt_path(first, "review"))

    assert review.status_code == 200
    shown = words(review)
    assert score in shown
    assert ("Right answer" in shown) is visible
    assert ("zqx" in shown.lower()) is visible
    assert (HELD_BACK in shown) is not visible
    assert "fraction" not in text_of(review).lower()
    assert "%50%" not in text_of(review)


def test_the_review_shows_the_feedback_of_the_answers_given_and_the_right_answers(
    world: QuizWorld, learner: Learner
) -> None:
    """Feedback for each chosen answer and each question's general feedback; no other."""
    publish_secrets(world, feedback=EACH)
    attempt_id = take(learner.client, SECRET_ANSWERS)

    shown = words(learner.client.get(attempt_path(attempt_id, "review")))

    given = ["ZQX-ONE-BLUE", "ZQX-MANY-APPLE", "ZQX-MANY-PEAR", "ZQX-TF-IF-TRUE"]
    given += ["ZQX-SHORT-HALF", "ZQX-NUMBER-RIGHT"]
    general = [f"ZQX-{name}-GENERAL" for name in ("ONE", "MANY", "TF", "SHORT", "NUMBER", "MATCH")]
    for marker in given + general:
        assert marker in shown
    not_given = ["ZQX-ONE-GREEN", "ZQX-ONE-RED", "ZQX-MANY-CARROT", "ZQX-TF-IF-FALSE"]
    for marker in [*not_given, "ZQX-SHORT-FULL"]:
        assert marker not in shown
    assert "Your answer Checking Right answer zqxverify Points 0.5 of 1" in shown
    assert "Your answer apple + pear Right answer apple + pear" in shown
    assert "Right answer IVR → the phone menu; ACD → the queue's router; AHT → the" in shown
    assert f"Your answer 48213.4 Right answer {SECRET_KEY_NUMBER} (± 0.25)" in shown
    assert "91.67%" in shown
    assert "Passed." in shown


def test_a_numerical_right_answer_is_shown_in_full(world: QuizWorld, learner: Learner) -> None:
    """A large or precise numerical key is shown as written, not rounded to six digits."""
    knowledge = world.quiz()
    knowledge.gift = knowledge.gift.replace("{#84:0.5#Right: 84.}", "{#1234567:0#Right.}")
    world.publish()
    attempt_id = take(learner.client, {"q5": "1234567"})

    shown = words(learner.client.get(attempt_path(attempt_id, "review")))

    assert "Your answer 1234567 Right answer 1234567 Points 1 of 1" in shown


def test_a_summative_review_never_shows_a_marking_guide(
    app: Flask, world: QuizWorld, learner: Learner
) -> None:
    """With feedback after each attempt, a summative's review still holds back the guides."""
    publish_secrets(world)
    take(learner.client, SECRET_ANSWERS)
    essays = {"q1": "The IVR routes it to the ACD.", "q2": "I refuse to go on."}
    attempt_id = take(learner.client, essays, "summative")

    review = learner.client.get(attempt_path(attempt_id, "review"))

    shown = words(review)
    assert "Your answers are with an assessor." in shown
    assert "Your answer The IVR routes it to the ACD." in shown
    assert "ZQX-GUIDE" not in text_of(review)
    assert not re.search(r"marking guide", text_of(review), re.I)
    assert "Right answer" not in shown  # an essay has none to show; the assessor marks it
