"""The learner's quiz pages checked with axe, and by hand where axe cannot look: names, focus.

Every page a learner meets in a knowledge check (the module's list, the quiz, each layout of
the attempt with every question type, the summary, the review) must have no serious or
critical axe problem on a desktop or a phone screen. Each control must have a name a screen
reader can say, and a focus ring that shows and is never hidden under the sticky progress bar.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from lms.auth.roles import Role
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import UserFactory
from tests.quiz_files import finish_lessons, quiz_world

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
QUIZ_URL = "/quizzes/alpha/knowledge-check"
QUIZ = "Quiz knowledge-check"
ALL_ON_ONE_PAGE = {"layout": "all-on-one-page", "time_limit": 30}

# What a control is called and how its focus shows, for the focused element (`el`).
FOCUS_STYLE = """(() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const label = el.getAttribute("aria-label")
    || (el.labels && el.labels.length ? el.labels[0].innerText : "");
  return {
    name: (label || el.innerText || "").replace(/\\s+/g, " ").trim(),
    inForm: Boolean(el.closest("#attempt-form")),
    outline: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    shadow: style.boxShadow,
  };
})()"""
# Whether the sticky progress bar covers the whole of the focused element.
HIDDEN_UNDER_BAR = """(() => {
  const box = document.activeElement.getBoundingClientRect();
  const bar = document.querySelector(".attempt-bar").getBoundingClientRect();
  return box.top >= bar.top && box.bottom <= bar.bottom;
})()"""

Reach = Callable[[Page], None]


def start(page: Page) -> None:
    """Start the knowledge check from its page."""
    page.goto(QUIZ_URL)
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+\?page=1$"))


def at(path: str) -> Reach:
    return lambda page: page.goto(path)


def question(number: int) -> Reach:
    """Page `number` of a new attempt, one question a page."""

    def reach(page: Page) -> None:
        start(page)
        page.goto(page.url.replace("page=1", f"page={number}"))

    return reach


def rejected_answer(page: Page) -> None:
    """The page sent back with an answer the server refuses (a pasted control character)."""
    question(4)(page)
    page.get_by_label("Your answer").fill("verifi\x0bcation")
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("alert")).to_contain_text("Question 4:")


def summary(page: Page) -> None:
    """The "Check and submit" page, with questions left unanswered."""
    start(page)
    page.get_by_role("radio", name="blue").check()
    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_text("Some questions have no answer.")).to_be_visible()


def review(page: Page) -> None:
    """The review of a submitted attempt, one answer right and the rest not answered."""
    summary(page)
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("region", name="Your result")).to_be_visible()


def quiz_with_attempts(page: Page) -> None:
    """The quiz page once an attempt is marked: its table of attempts."""
    review(page)
    page.goto(QUIZ_URL)
    expect(page.get_by_role("table", name="Your attempts at this quiz")).to_be_visible()


@dataclass(frozen=True)
class Screen:
    """A quiz page to check: the quiz's settings, how to reach it, and its heading."""

    name: str
    reach: Reach
    heading: str = QUIZ
    settings: dict[str, Any] = field(default_factory=dict)


SCREENS = [
    Screen("module-with-its-quiz", at("/learn/alpha"), "A module"),
    Screen("quiz-not-started", at(QUIZ_URL)),
    *(
        Screen(f"one-per-page-question-{number}", question(number), settings={"time_limit": 30})
        for number in range(1, 7)
    ),
    Screen("all-on-one-page", question(1), settings=ALL_ON_ONE_PAGE),
    Screen("rejected-answer", rejected_answer),
    Screen("summary", summary, "Check and submit"),
    Screen("review-with-feedback", review),
    Screen("review-feedback-later", review, settings={"feedback": "after-last-attempt"}),
    Screen("quiz-with-attempts", quiz_with_attempts),
]


def ready(app: Flask, make_user: UserFactory, root: Path, **settings: Any) -> str:
    """Publish the knowledge check with `settings`; return a learner who may take it."""
    quiz_world(app, root, **settings).publish()
    learner = make_user(Role.LEARNER)
    finish_lessons(app, learner)
    return learner.email


@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_quiz_page_has_no_serious_accessibility_problems(
    page: Page, app: Flask, make_user: UserFactory, tmp_path: Path, screen: Screen
) -> None:
    """The page shows its heading; axe finds nothing serious on a desktop or a phone screen."""
    log_in(page, ready(app, make_user, tmp_path, **screen.settings))

    screen.reach(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(screen.heading)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)


def test_every_answer_control_has_a_name(
    page: Page, app: Flask, make_user: UserFactory, tmp_path: Path
) -> None:
    """Each radio, box, drop-down and field is found by the name a screen reader says."""
    log_in(page, ready(app, make_user, tmp_path, **ALL_ON_ONE_PAGE))
    start(page)

    first = page.get_by_role("group", name="Question 1: choose one answer")
    expect(first).to_have_accessible_description("Which colour is the sky on a clear day?")
    for colour in ("blue", "green", "red"):
        expect(first.get_by_role("radio", name=colour, exact=True)).to_be_visible()
    for fruit in ("apple", "pear", "carrot"):
        expect(page.get_by_role("checkbox", name=fruit, exact=True)).to_be_visible()
    third = page.get_by_role("group", name="Question 3: choose one answer")
    for value in ("True", "False"):
        expect(third.get_by_role("radio", name=value, exact=True)).to_be_visible()
    expect(
        page.get_by_role("textbox", name="Your answer", exact=True)
    ).to_have_accessible_description(
        "What is the name of the stage where you confirm who is calling?"
    )
    expect(page.get_by_label("Your answer (a number)")).to_have_accessible_description(
        "What is 336 ÷ 400 as a percentage?"
    )
    for term in ("IVR", "ACD", "AHT"):
        expect(page.get_by_role("combobox", name=term, exact=True)).to_be_visible()
    controls = page.locator("#attempt-form :is(input:not([type=hidden]), select, textarea, button)")
    expect(controls).to_have_count(3 + 3 + 2 + 1 + 1 + 3 + 1)  # the last is "Finish attempt…"
    for control in controls.all():
        expect(control).to_have_accessible_name(re.compile(r"\w"))


def test_every_button_of_a_one_per_page_attempt_has_a_name(
    page: Page, app: Flask, make_user: UserFactory, tmp_path: Path
) -> None:
    """The page's buttons and the "Questions" navigation say where they go and what is done."""
    log_in(page, ready(app, make_user, tmp_path))
    question(2)(page)

    for name in ("Save and next", "Finish attempt…", "Previous"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    links = page.get_by_role("navigation", name="Questions").get_by_role("button")
    expect(links).to_have_count(6)
    for number, link in enumerate(links.all(), start=1):
        expect(link).to_have_accessible_name(re.compile(rf"^{number} ?, not answered$"))
    expect(links.nth(1)).to_have_attribute("aria-current", "page")


# The focus stops of the attempt form, in order: a radio group is one stop.
ALL_STOPS = [
    "blue",
    "apple",
    "pear",
    "carrot",
    "True",
    "Your answer",
    "Your answer (a number)",
    "IVR",
    "ACD",
    "AHT",
    "Finish attempt…",
]
QUESTION_2_STOPS = [
    "apple",
    "pear",
    "carrot",
    "Save and next",
    "Finish attempt…",
    "Previous",
    *(f"{number}, not answered" for number in range(1, 7)),
]


@pytest.mark.parametrize(
    ("settings", "number", "size", "stops"),
    [
        (ALL_ON_ONE_PAGE, 1, None, ALL_STOPS),
        (ALL_ON_ONE_PAGE, 1, PHONE, ALL_STOPS),
        ({}, 2, None, QUESTION_2_STOPS),
    ],
    ids=["all-on-one-page", "all-on-one-page-phone", "one-per-page-question-2"],
)
def test_focus_shows_on_every_control_of_the_attempt(
    page: Page,
    app: Flask,
    make_user: UserFactory,
    tmp_path: Path,
    settings: dict[str, Any],
    number: int,
    size: dict[str, int] | None,
    stops: list[str],
) -> None:
    """Tabbing through the attempt, every choice, box and button shows a focus ring."""
    if size:
        page.set_viewport_size(size)
    log_in(page, ready(app, make_user, tmp_path, **settings))
    question(number)(page)

    seen: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if not focus["inForm"]:
            if seen:
                break
            continue
        seen.append(focus["name"])
        assert focus["outline"] != "none" and focus["width"] >= 2, focus
        assert focus["shadow"] != "none", focus

    assert seen == stops


@pytest.mark.parametrize("size", [None, PHONE], ids=["desktop", "phone"])
def test_focus_is_never_hidden_under_the_progress_bar(
    page: Page,
    app: Flask,
    make_user: UserFactory,
    tmp_path: Path,
    size: dict[str, int] | None,
) -> None:
    """Going back up the questions with Shift+Tab, the focused control stays in sight."""
    if size:
        page.set_viewport_size(size)
    log_in(page, ready(app, make_user, tmp_path, **ALL_ON_ONE_PAGE))
    start(page)
    page.get_by_role("button", name="Finish attempt…").focus()

    hidden = []
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate(HIDDEN_UNDER_BAR):
            hidden.append(page.evaluate(FOCUS_STYLE)["name"])

    expect(page.get_by_role("radio", name="red")).to_be_focused()
    assert hidden == []
