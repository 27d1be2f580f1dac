"""A learner passes the shipped M3 knowledge check in a real browser: sixteen questions on
sixteen pages, every type the programme uses, the numbers typed as a person types them, and
the review showing the worked sums the feedback promises."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.models import Attempt, Response
from lms.assessments.sync import sync_programme
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from tests.browser.conftest import log_in
from tests.browser.quiz_steps import eyebrow, heading
from tests.conftest import UserFactory
from tests.programme.shipped import ASSESSMENTS, CONTENT, keyed_answer
from tests.quiz_files import finish_lessons

pytestmark = pytest.mark.browser

QUIZ_URL = "/quizzes/service-level-agreements/knowledge-check"
QUIZ = "Service level agreements: knowledge check"


def load_programme(app: Flask) -> None:
    with app.app_context():
        report = sync_programme(CONTENT, ASSESSMENTS, now=utcnow())
        assert not report.errors, report.errors
        db.session.commit()
        db.session.remove()


def responses_in_order(app: Flask) -> list[tuple[int, ParsedQuestion, list[int]]]:
    """(position, question, shown order of its choices) for the one attempt, page by page."""
    with app.app_context():
        rows = db.session.scalars(select(Response).join(Attempt).order_by(Response.position)).all()
        found = [
            (r.position, ParsedQuestion.from_json(r.question.data), list(r.choice_order))
            for r in rows
        ]
        db.session.remove()
    return found


def answer_as_keyed(page: Page, position: int, question: ParsedQuestion, order: list[int]) -> None:
    """Give the key's answer through the page's own controls, as shown positions."""
    field, answer = f"q{position}", keyed_answer(question)

    def shown(index: int) -> str:
        return str(order.index(index) + 1)

    if question.type == "multichoice":
        page.locator(f'input[name="{field}"][value="{shown(answer["choice"])}"]').check()
    elif question.type == "multiresponse":
        for index in answer["choices"]:
            page.locator(f'input[name="{field}"][value="{shown(index)}"]').check()
    elif question.type == "truefalse":
        value = "true" if answer["value"] else "false"
        page.locator(f'input[name="{field}"][value="{value}"]').check()
    elif question.type in ("shortanswer", "numerical"):
        page.locator(f'input[name="{field}"]').fill(answer["text"])
    else:
        for prompt, option in answer["matches"].items():
            page.locator(f'select[name="{field}-{prompt}"]').select_option(shown(option))


def test_learner_passes_the_service_level_knowledge_check_with_its_key(
    page: Page, app: Flask, make_user: UserFactory
) -> None:
    """Every page saved in turn, one submission, 100 %, and the review explains the sums."""
    load_programme(app)
    learner = make_user(Role.LEARNER)
    finish_lessons(app, learner)
    log_in(page, learner.email)
    page.goto(QUIZ_URL)
    expect(heading(page)).to_have_text(QUIZ)
    page.get_by_role("button", name="Start").click()
    pages = responses_in_order(app)
    assert len(pages) == 16
    assert {q.type for _, q, _ in pages} >= {"numerical", "matching", "multiresponse"}

    for position, question, order in pages:
        expect(eyebrow(page)).to_have_text(f"Attempt 1 · page {position} of 16")
        answer_as_keyed(page, position, question, order)
        button = "Save and next" if position < 16 else "Finish attempt…"
        page.get_by_role("button", name=button, exact=True).click()

    expect(heading(page)).to_have_text("Check and submit")
    expect(page.get_by_role("heading", name="16 of 16 questions answered")).to_be_visible()
    page.get_by_role("button", name="Submit all and finish").click()

    result = page.get_by_role("region", name="Your result")
    expect(result).to_contain_text("16 of 16 points · pass mark 75%")
    expect(result.get_by_text("Passed.", exact=True)).to_be_visible()
    expect(result).to_contain_text("Well done: you have passed.")  # the settings' top band
    # The occupancy question's feedback shows the sum, as the lesson works it.
    occupancy = next(
        position
        for position, q, _ in pages
        if q.type == "numerical" and "occupancy" in q.text.lower()
    )
    item = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^Question {occupancy}\b"))
    )
    expect(item).to_contain_text("Right")
    expect(item).to_contain_text("÷")
