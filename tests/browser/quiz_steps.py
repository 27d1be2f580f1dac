"""What the browser journeys of a quiz share: the quiz world as a learner sees it, fixtures,
and small steps (keys, headings, review items, the clock)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from lms.assessments import attempts, services
from lms.auth.models import User
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from tests.conftest import UserFactory
from tests.quiz_files import current_revision, finish_lessons, quiz_world

PHONE = {"width": 390, "height": 844}
ZONE = ZoneInfo("Africa/Johannesburg")  # the browser's and the site's time zone

# The world of tests/quiz_files.py, as a learner sees it.
MODULE_URL = "/learn/alpha"
MODULE = "A module"
QUIZ_URL = "/quizzes/alpha/knowledge-check"
QUIZ = "Quiz knowledge-check"
SAVED = re.compile(r"^All answers saved at (\d\d:\d\d)\.$")  # said by the page's script
SAVED_BEFORE = re.compile(r"^Answers saved at (\d\d:\d\d)\.$")  # said by the page as it loads

# What the focused element is called: a form control's label, else its text.
FOCUSED_NAME = """(() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return (label || el.innerText || "").replace(/\\s+/g, " ").trim();
})()"""
# Keep every line the save status shows, in order, as `window.statusLines`.
RECORD_STATUS = """(() => {
  const status = document.getElementById("save-status");
  window.statusLines = [];
  new MutationObserver(() => {
    const line = status.textContent;
    if (window.statusLines[window.statusLines.length - 1] !== line) window.statusLines.push(line);
  }).observe(status, { childList: true, characterData: true, subtree: true });
})()"""
FOCUS_SHOWS = "(() => getComputedStyle(document.activeElement).outlineStyle !== 'none')()"


@pytest.fixture(name="learner")
def ready_learner(app: Flask, make_user: UserFactory, tmp_path: Path) -> User:
    """A learner who has finished module A1's lessons, so its knowledge check is open."""
    quiz_world(app, tmp_path).publish()
    user = make_user(Role.LEARNER)
    finish_lessons(app, user)
    return user


def press_until(page: Page, key: str, name: str, *, limit: int = 80) -> None:
    """Press `key` until the element called `name` has the focus, and check the focus shows."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        current = str(page.evaluate(FOCUSED_NAME))
        if current == name:
            assert page.evaluate(FOCUS_SHOWS), f"the focus on {name!r} does not show"
            return
        seen.append(current)
    pytest.fail(f"{key} never reached {name!r} on {page.url}; it went through {seen}")


def tab_to(page: Page, name: str) -> None:
    press_until(page, "Tab", name)


def press(page: Page, name: str, *, backwards: bool = False) -> None:
    """Move the focus to the link or button `name`, press Enter and wait for the next page."""
    press_until(page, "Shift+Tab" if backwards else "Tab", name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def eyebrow(page: Page) -> Locator:
    return page.locator(".eyebrow")


def answered(page: Page) -> Locator:
    """The line under the progress bar: "N of 6 questions answered (as last saved)"."""
    return page.get_by_text(re.compile(r"^\d+ of \d+ questions answered \(as last saved\)$"))


def chosen(select: Locator) -> str:
    """The text of the option a drop-down shows."""
    return str(select.evaluate("select => select.selectedOptions[0].text"))


def review_item(page: Page, number: int) -> Locator:
    """One answer on the review page, found by its "Question N" heading."""
    title = page.get_by_role("heading", name=re.compile(rf"^Question {number}\b"))
    return page.get_by_role("listitem").filter(has=title)


def fact(item: Locator, term: str) -> Locator:
    """The value a review item gives for `term` ("Your answer", "Right answer", "Points")."""
    return item.locator("dt", has_text=re.compile(rf"^{term}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def page_link(page: Page, number: int, state: str) -> Locator:
    """A button of the "Questions" navigation: "4, answered" or "4, not answered"."""
    name = re.compile(rf"^{number} ?, {state}$")
    return page.get_by_role("navigation", name="Questions").get_by_role("button", name=name)


def start(page: Page) -> None:
    """Start the knowledge check from its page, as a click on "Start" does."""
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start").click()
    expect(eyebrow(page)).to_have_text("Attempt 1 · page 1 of 6")


def go_to_question(page: Page, number: int) -> None:
    """Jump to a question by its button in the "Questions" navigation."""
    page_link(page, number, "not answered").click()
    expect(eyebrow(page)).to_have_text(f"Attempt 1 · page {number} of 6")


def clock_since(moment: datetime) -> set[str]:
    """The wall clock's HH:MM where the learner is, from `moment` until now."""
    now = datetime.now(ZONE)
    return {f"{moment:%H:%M}", f"{now:%H:%M}"}


def start_attempt_ago(app: Flask, learner: User, seconds: int) -> int:
    """Start the knowledge check for `learner` as if `seconds` ago; return the attempt's id."""
    with app.app_context():
        user = db.session.get(User, learner.id)
        assert user is not None
        revision = current_revision()
        status = services.statuses_for(user, [(revision.quiz, revision)], lessons_done=True)[0]
        started = utcnow() - timedelta(seconds=seconds)
        attempt_id = attempts.start_attempt(user, status, now=started).id
        db.session.commit()
        db.session.remove()
    return attempt_id
