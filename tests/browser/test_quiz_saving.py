"""Answers saved by the attempt page's script as the learner types, and what the page says
when a save is refused, late or impossible.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, Route, expect

from lms.auth.models import User
from tests.browser.conftest import log_in
from tests.browser.quiz_steps import (
    QUIZ_URL,
    RECORD_STATUS,
    SAVED,
    SAVED_BEFORE,
    ZONE,
    answered,
    clock_since,
    eyebrow,
    fact,
    go_to_question,
    page_link,
    ready_learner,  # noqa: F401 - the `learner` fixture
    review_item,
    start,
)

pytestmark = pytest.mark.browser


def test_typed_answer_is_saved_without_leaving_the_page(page: Page, learner: User) -> None:
    """The script saves a typed answer and says so; closing the tab then loses nothing."""
    log_in(page, learner.email)
    start(page)
    go_to_question(page, 4)
    status = page.locator("#save-status")
    typing_began = datetime.now(ZONE)

    page.get_by_label("Your answer").press_sequentially("verification")

    expect(status).to_have_text(SAVED)
    said = SAVED.fullmatch(status.inner_text())
    assert said is not None and said[1] in clock_since(typing_began), said
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(QUIZ_URL)
    expect(again.locator(".lesson-state")).to_have_text("In progress")
    again.get_by_role("link", name="Continue your attempt").click()
    expect(eyebrow(again)).to_have_text("Attempt 1 · page 4 of 6")
    expect(again.get_by_label("Your answer")).to_have_value("verification")
    status = again.locator("#save-status")
    expect(status).to_have_text(SAVED_BEFORE)
    said = SAVED_BEFORE.fullmatch(status.inner_text())
    assert said is not None and said[1] in clock_since(typing_began), said
    expect(answered(again)).to_have_text("1 of 6 questions answered (as last saved)")
    expect(page_link(again, 4, "answered")).to_be_visible()


def test_a_save_after_the_session_ended_says_so(page: Page, learner: User) -> None:
    """Signed out mid-attempt, the page says the answer is not saved and why, and keeps it."""
    log_in(page, learner.email)
    start(page)
    go_to_question(page, 4)
    page.wait_for_load_state("networkidle")  # a late response would set the cookie again
    page.context.clear_cookies()

    page.get_by_label("Your answer").press_sequentially("verification")

    expect(page.locator("#save-status")).to_contain_text("Not saved: you have been signed out.")
    expect(page.get_by_label("Your answer")).to_have_value("verification")


def test_answer_typed_in_a_tab_left_open_after_submitting_opens_the_review(
    page: Page, learner: User
) -> None:
    """Typing in a second tab once the attempt is submitted shows the review, not an error."""
    log_in(page, learner.email)
    start(page)
    go_to_question(page, 4)
    other = page.context.new_page()
    other.goto(QUIZ_URL)
    other.get_by_role("link", name="Continue your attempt").click()
    other.get_by_role("button", name="Finish attempt…").click()
    other.get_by_role("button", name="Submit all and finish").click()
    expect(other.get_by_role("region", name="Your result")).to_be_visible()

    page.get_by_label("Your answer").fill("verification")

    expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))
    expect(page.get_by_role("region", name="Your result")).to_contain_text("0 of 6 points")
    expect(fact(review_item(page, 4), "Your answer")).to_have_text("Not answered")


def test_save_status_never_calls_a_newer_change_saved(page: Page, learner: User) -> None:
    """Typing on while a save is on its way leaves "Unsaved changes…" until that is saved too."""
    log_in(page, learner.email)
    start(page)
    go_to_question(page, 4)
    held: list[Route] = []
    page.route("**/autosave", lambda route: route.continue_() if held else held.append(route))
    page.evaluate(RECORD_STATUS)
    status, box = page.locator("#save-status"), page.get_by_label("Your answer")
    box.fill("verifi")
    expect(status).to_have_text("Saving…")  # and held on its way

    box.press_sequentially("cation")
    expect(status).to_have_text("Unsaved changes…")
    first = held[0]
    with page.expect_response(lambda response: response.request != first.request):
        first.continue_()

    expect(status).to_have_text(SAVED)
    lines = page.evaluate("window.statusLines")
    assert lines[:4] == ["Unsaved changes…", "Saving…", "Unsaved changes…", "Saving…"], lines


def test_refused_answer_says_which_question_and_why(page: Page, learner: User) -> None:
    """An answer the server cannot take (a pasted control character) is named in the status."""
    log_in(page, learner.email)
    start(page)
    go_to_question(page, 4)

    status, box = page.locator("#save-status"), page.get_by_label("Your answer")

    box.fill("verifi\x0bcation")

    expect(status).to_have_text(re.compile(r"^Not saved"))
    refusal = status.inner_text()
    box.fill("verification")
    expect(status).to_have_text(SAVED)  # once put right, the answer saves
    assert refusal.startswith("Not saved: Question 4: the answer contain"), refusal
    assert "characters that are not allowed" in refusal and not refusal.endswith(".."), refusal
