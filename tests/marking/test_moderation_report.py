"""The moderator's report through the test client: figures per assessor equal the database,
and every pool's stored sample is recomputed from its seed."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.marking.models import ModerationReview as Review
from lms.marking.models import OutcomeJudgement as Judgement
from lms.marking.models import ReviewVerdict, SampleRule
from tests.conftest import UserFactory
from tests.marking.marking_steps import C, as_user, finalise, new_learner, submit_summative
from tests.marking.steps_marking import (
    LO1,
    LO2,
    judgement_on,
    request_around_the_test,  # noqa: F401 - `in_request`
)
from tests.marking.steps_moderation import (
    judgement_path,
    page_text,
    post_as,
    sampled,
    words,
)
from tests.quiz_files import QuizWorld

CONFIRM = {"decision": "confirmed"}
OVERTURN = {"decision": "overturned", "reason": "The answer never says what the ACD does."}


def figures_in(page: str, name: str) -> list[str]:
    """The cells of `name`'s row of the figures table, as text."""
    row = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', page, re.S)
    assert row, f"no row for {name}"
    cells = re.findall(r"<td>(.*?)</td>", row[1], re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def database_figures(assessor: User) -> list[int]:
    """Judgements, sampled, confirmed and overturned for `assessor`, counted afresh."""
    mine = (Judgement.assessor_id == assessor.id, Judgement.finalised_at.is_not(None))
    count = select(func.count()).select_from(Judgement).where(*mine)
    checked = select(func.count()).select_from(Review).join(Review.judgement).where(*mine)
    queries = [
        count,
        count.where(Judgement.sample_rule.is_not(None)),
        checked.where(Review.verdict == ReviewVerdict.CONFIRMED),
        checked.where(Review.verdict == ReviewVerdict.OVERTURNED),
    ]
    return [db.session.scalar(query) or 0 for query in queries]


def test_the_report_figures_equal_the_database(
    app: Flask,
    in_request: None,
    world: QuizWorld,
    assessor: User,
    moderator: User,
    learner: User,
    make_user: UserFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per assessor: judgements, sampled, confirmed, overturned and both rates as counted in the
    database; the rules in force; every pool's stored sample recomputed from its seed."""
    monkeypatch.setitem(app.config, "MODERATE_FIRST_JUDGEMENTS", 2)
    attempt = sampled(learner, assessor)
    for _ in range(3):
        finalise(assessor, submit_summative(new_learner(world, make_user)), {LO1: C, LO2: C})
    post_as(app, moderator, judgement_path(judgement_on(attempt, LO1)), CONFIRM)
    post_as(app, moderator, judgement_path(judgement_on(attempt, LO2)), OVERTURN)
    judged, drawn, confirmed, overturned = database_figures(assessor)
    assert (judged, confirmed, overturned) == (8, 1, 1)

    page = page_text(as_user(app, moderator).get("/moderation/report"))

    rates = [f"{100 * drawn / judged:.0f}%", "50%"]
    assert figures_in(page, "Priya Naidoo") == [str(judged), str(drawn), "1", "1", *rates]
    pool = judgement_on(attempt, LO1).pool
    assert pool is not None and pool.seed in page
    assert "The stored sample matches the seed" in page
    assert "Every one is sampled" in page and "first 2 in each cohort" in page


def test_the_report_names_judgements_whose_stored_rule_differs_from_the_seed(
    app: Flask, assessor: User, moderator: User, learner: User
) -> None:
    """A stored rule the seed does not give (a tampered row) is named by its id."""
    judgement = judgement_on(sampled(learner, assessor), LO1)
    judgement.sample_rule = SampleRule.RANDOM
    db.session.commit()

    response = as_user(app, moderator).get("/moderation/report")

    assert f"Differs from the seed for judgements #{judgement.id}" in words(response)


def test_the_report_on_an_empty_database_says_so(app: Flask, moderator: User) -> None:
    """Before anything is judged the report answers, with nothing to show."""
    page = page_text(as_user(app, moderator).get("/moderation/report"))
    assert "No judgements have been finalised yet." in page and "No pools yet" in page
