"""The clock of a timed quiz in a real browser, and what happens when the time runs out."""

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
    QUIZ_URL,
    eyebrow,
    fact,
    heading,
    review_item,
    start_attempt_ago,
)
from tests.conftest import UserFactory
from tests.quiz_files import finish_lessons, quiz_world

pytestmark = pytest.mark.browser


@pytest.fixture
def timed_learner(app: Flask, make_user: UserFactory, tmp_path: Path) -> User:
    """A learner ready for a knowledge check with a one-minute time limit."""
    quiz_world(app, tmp_path, time_limit=1).publish()
    user = make_user(Role.LEARNER)
    finish_lessons(app, user)
    return user


def test_timed_quiz_counts_down_and_submits_when_time_is_up(
    page: Page, app: Flask, timed_learner: User
) -> None:
    """The clock ticks down, warns, and at zero sends the page, whose answer then counts."""
    log_in(page, timed_learner.email)
    attempt_id = start_attempt_ago(app, timed_learner, seconds=56)

    page.goto(f"/attempts/{attempt_id}")

    timer, left = page.locator("#timer"), page.locator("#timer-value")
    expect(timer).to_contain_text("Time left:")
    expect(left).to_have_text(re.compile(r"^0 min 0\d s$"))
    expect(timer).not_to_contain_text("when this page loaded")
    expect(page.locator("#timer-alert")).to_have_text("1 minute left.")
    expect(left).not_to_have_text(left.inner_text())
    page.get_by_role("radio", name="blue").check()

    expect(eyebrow(page)).to_contain_text("Attempt 1 · submitted", timeout=10_000)
    result = page.get_by_role("region", name="Your result")
    expect(result).to_contain_text("1 of 6 points")
    expect(result.get_by_text("Not passed yet.")).to_be_visible()
    expect(fact(review_item(page, 1), "Your answer")).to_have_text("blue")
    expect(review_item(page, 2)).to_contain_text("Not answered")


def test_attempt_sent_by_the_clock_says_the_time_ran_out(
    page: Page, app: Flask, timed_learner: User
) -> None:
    """An attempt the page's clock sent is recorded and shown as submitted when time ran out."""
    log_in(page, timed_learner.email)
    attempt_id = start_attempt_ago(app, timed_learner, seconds=57)

    page.goto(f"/attempts/{attempt_id}")

    expect(eyebrow(page)).to_contain_text("Attempt 1 · submitted", timeout=10_000)
    expect(eyebrow(page)).to_contain_text("when the time ran out")
    page.goto(QUIZ_URL)
    attempts_table = page.get_by_role("table", name="Your attempts at this quiz")
    expect(attempts_table).to_contain_text("Marked (time ran out)")


def test_attempt_left_past_its_deadline_is_submitted_on_return(
    page: Page, app: Flask, timed_learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Coming back after the time limit and its grace, the learner finds the attempt submitted."""
    monkeypatch.setitem(app.config, "ATTEMPT_GRACE_SECONDS", 2)
    log_in(page, timed_learner.email)
    expect(heading(page)).to_have_text("Learner dashboard")
    # Every response renews the session cookie: one still on its way from the dashboard would
    # put back the cookie from before the "Time ran out" message was added to it.
    page.wait_for_load_state("networkidle")
    attempt_id = start_attempt_ago(app, timed_learner, seconds=63)

    page.goto(f"/attempts/{attempt_id}")

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/review$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Time ran out: your attempt was submitted with the answers saved before the deadline."
    )
    expect(eyebrow(page)).to_contain_text("when the time ran out")
    expect(page.get_by_text("Not passed yet.")).to_be_visible()
    page.goto(QUIZ_URL)
    attempts_table = page.get_by_role("table", name="Your attempts at this quiz")
    expect(attempts_table).to_contain_text("Marked (time ran out)")
