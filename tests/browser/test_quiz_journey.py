"""A learner taking a module's knowledge check in a real browser: by keyboard alone from the
module page to the review, with a reload half-way, and the attempt page on a phone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from lms.auth.models import User
from lms.auth.roles import Role
from tests.browser.conftest import log_in
from tests.browser.quiz_steps import (
    MODULE,
    MODULE_URL,
    PHONE,
    QUIZ,
    QUIZ_URL,
    SAVED,
    answered,
    chosen,
    eyebrow,
    fact,
    heading,
    press,
    ready_learner,  # noqa: F401 - the `learner` fixture
    review_item,
    tab_to,
)
from tests.conftest import UserFactory
from tests.quiz_files import finish_lessons, quiz_world

pytestmark = pytest.mark.browser


def test_learner_takes_the_knowledge_check_with_the_keyboard_alone(
    page: Page, learner: User
) -> None:
    """Module page to review by Tab, arrows, Space, typing and Enter; a reload loses nothing."""
    log_in(page, learner.email)
    page.goto(MODULE_URL)
    expect(heading(page)).to_have_text(MODULE)
    assessments = page.get_by_role("region", name="Assessments")
    expect(assessments.get_by_role("listitem")).to_contain_text("Not started")

    press(page, QUIZ)
    expect(heading(page)).to_have_text(QUIZ)
    expect(fact(page.get_by_role("region", name="Before you start"), "Pass mark")).to_have_text(
        "75%"
    )

    press(page, "Start")
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 1 of 6")
    expect(page.get_by_role("heading", name="Question 1")).to_be_visible()
    expect(answered(page)).to_have_text("0 of 6 questions answered (as last saved)")
    blue = page.get_by_role("radio", name="blue")
    tab_to(page, "blue")
    page.keyboard.press("Space")
    expect(blue).to_be_checked()

    press(page, "Save and next")
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 2 of 6")
    expect(page.get_by_role("group", name="Choose every answer that applies.")).to_be_visible()
    tab_to(page, "apple")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="apple")).to_be_checked()
    expect(page.get_by_role("checkbox", name="pear")).to_be_checked()
    expect(page.get_by_role("checkbox", name="carrot")).not_to_be_checked()

    press(page, "Save and next")
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 3 of 6")
    expect(answered(page)).to_have_text("2 of 6 questions answered (as last saved)")
    true, false = page.get_by_role("radio", name="True"), page.get_by_role("radio", name="False")
    tab_to(page, "True")
    page.keyboard.press("ArrowDown")
    expect(false).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(true).to_be_checked()
    expect(page.locator("#save-status")).to_have_text(SAVED)

    page.reload()

    expect(eyebrow(page)).to_have_text("Attempt 1 · page 3 of 6")
    expect(true).to_be_checked()
    expect(false).not_to_be_checked()
    expect(answered(page)).to_have_text("3 of 6 questions answered (as last saved)")
    # "Previous" comes last in the tab order (Enter in a box must go forward), so go back to it.
    press(page, "Previous", backwards=True)
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 2 of 6")
    expect(page.get_by_role("checkbox", name="apple")).to_be_checked()
    expect(page.get_by_role("checkbox", name="pear")).to_be_checked()
    press(page, "Save and next")
    expect(true).to_be_checked()

    press(page, "Save and next")
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 4 of 6")
    tab_to(page, "Your answer")
    page.keyboard.type("checking")
    # Enter in the box sends the page forward, as its first button does.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 5 of 6")
    tab_to(page, "Your answer (a number)")
    page.keyboard.type("84")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(eyebrow(page)).to_have_text("Attempt 1 · page 6 of 6")
    expect(page.get_by_role("button", name="Save and next")).to_have_count(0)
    for term, meaning in (
        ("IVR", "the phone menu"),
        ("ACD", "the queue's router"),
        ("AHT", "the average handle time"),
    ):
        tab_to(page, term)
        page.keyboard.type(meaning[:5])  # a closed drop-down jumps to what is typed
        assert chosen(page.get_by_role("combobox", name=term)) == meaning

    press(page, "Finish attempt…")
    expect(heading(page)).to_have_text("Check and submit")
    expect(page.get_by_role("heading", name="6 of 6 questions answered")).to_be_visible()
    expect(page.get_by_text("Some questions have no answer.")).to_have_count(0)

    press(page, "Submit all and finish")
    expect(heading(page)).to_have_text(QUIZ)
    expect(eyebrow(page)).to_contain_text("Attempt 1 · submitted")
    result = page.get_by_role("region", name="Your result")
    expect(result.get_by_role("progressbar", name="Your score")).to_have_attribute("value", "91.67")
    expect(result).to_contain_text("91.67%")
    expect(result).to_contain_text("5.5 of 6 points · pass mark 75%")
    expect(result.get_by_text("Passed.")).to_be_visible()
    expect(review_item(page, 1)).to_contain_text("Right")
    expect(review_item(page, 1).locator(".feedback")).to_have_text("Yes, blue.")
    expect(review_item(page, 2).locator(".feedback")).to_have_text(
        ["Apple is a fruit.", "Pear is a fruit."]
    )
    expect(review_item(page, 4)).to_contain_text("Partly right")
    expect(fact(review_item(page, 4), "Your answer")).to_have_text("checking")
    expect(fact(review_item(page, 4), "Right answer")).to_have_text("verification")
    expect(fact(review_item(page, 4), "Points")).to_have_text("0.5 of 1")
    expect(review_item(page, 4).locator(".feedback")).to_have_text("Nearly.")
    expect(review_item(page, 5).locator(".feedback")).to_have_text("Right: 84.")
    expect(review_item(page, 6)).to_contain_text("Right")

    press(page, "Back to the quiz")
    expect(page.locator(".lesson-state")).to_have_text("✓ Passed · 91.67%")
    expect(page.get_by_text("You have passed this quiz.")).to_be_visible()


@pytest.mark.parametrize(
    ("layout", "pages"),
    [("one-per-page", 6), ("all-on-one-page", 1)],
    ids=["one-per-page", "all-on-one-page"],
)
def test_attempt_fits_a_phone_screen(
    page: Page, app: Flask, make_user: UserFactory, tmp_path: Path, layout: str, pages: int
) -> None:
    """At 390 pixels wide no page of a timed attempt scrolls sideways."""
    quiz_world(app, tmp_path, layout=layout, time_limit=30).publish()
    learner = make_user(Role.LEARNER)
    finish_lessons(app, learner)
    page.set_viewport_size(PHONE)
    log_in(page, learner.email)
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start").click()
    attempt_url = page.url.split("?")[0]

    for number in range(1, pages + 1):
        page.goto(f"{attempt_url}?page={number}")
        questions = page.get_by_role("heading", name=re.compile(r"^Question \d$"))
        expect(questions).to_have_count(6 // pages)
        expect(page.locator("#timer")).to_be_visible()
        widths = page.evaluate(
            "({page: document.scrollingElement.scrollWidth, window: window.innerWidth})"
        )
        assert widths["page"] <= widths["window"], (number, widths)
