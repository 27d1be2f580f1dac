"""A summative assessment from submission to a Competent record, in a real browser.

Four people, each in their own browser context and signed in through the login page: the
learner submits; the assessor judges one outcome Not Yet Competent (with a comment) and the
other Competent; the moderator confirms both (an assessor's first 20 judgements are always
moderated); the learner reads the comment and resubmits, the last answers filled in; the
assessor judges the outcome still open Competent; the moderator confirms; and the learner's
record shows every outcome Competent, with its history.

The marking, moderation and record pages are then checked on their own, at the journey's
stages: no axe violation on a desktop or on a 360-pixel phone, where nothing scrolls sideways.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Locator, Page, ViewportSize, expect

from lms.auth.models import User
from tests.browser.conftest import PageFactory, log_in
from tests.browser.marking_world import (
    BETTER_EXPLAIN,
    CONDUCT,
    FIRST_EXPLAIN,
    LO1,
    LO2,
    MODULE,
    QUIZ,
    QUIZ_URL,
    RECORD_URL,
    Cast,
    Stage,
    bring_to,
    journey_cast,
)
from tests.browser.quiz_steps import fact, tab_to
from tests.conftest import UserFactory

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
SCROLLS_SIDEWAYS = "document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"
# The elements reaching past the right edge of the screen, as tag.class, for the message.
STICKING_OUT = """[...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth)
  .map((el) => [el.tagName.toLowerCase(), ...el.classList].join("."))"""
AXE = Axe()

NYC_COMMENT = "You name the IVR but not the ACD. Say what the ACD does with a call."
PASSED_COMMENT = "Both the IVR and the ACD, in the order a call meets them."


@pytest.fixture(name="cast")
def people_of_the_journey(app: Flask, tmp_path: Path, make_user: UserFactory) -> Cast:
    return journey_cast(app, tmp_path / "programme", make_user)


# Seeing the pages.


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def flash(page: Page) -> Locator:
    return page.get_by_role("status").filter(has=page.locator(".flash"))


def outcome(page: Page, code: str) -> Locator:
    """The card of one outcome (marking page or record), named by its heading."""
    return page.get_by_role("region", name=re.compile(rf"^{code}\b"))


def outcome_heading(page: Page, code: str) -> Locator:
    """An outcome's heading on the record: its code, then its status."""
    return outcome(page, code).get_by_role("heading", level=3)


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def axe_violations(page: Page) -> list[str]:
    """Every axe violation on the page, whatever its impact, as one line per element."""
    lines = []
    for violation in AXE.run(page).response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(selector) for selector in node["target"])
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}")
    return lines


def check_screens(page: Page) -> None:
    """No axe violation on a desktop, nor on a 360-pixel phone, where nothing scrolls sideways."""
    assert axe_violations(page) == [], f"{page.url} on a desktop"
    page.set_viewport_size(PHONE)
    if page.evaluate(SCROLLS_SIDEWAYS):
        wide = page.evaluate(STICKING_OUT)
        pytest.fail(f"{page.url} scrolls sideways at 360 pixels: {wide}", pytrace=False)
    assert axe_violations(page) == [], f"{page.url} at 360 pixels"


def signed_in(new_page: PageFactory, user: User) -> Page:
    """A browser context of its own for `user`, signed in through the login page."""
    page = new_page()
    log_in(page, user.email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


# The learner's steps.


def answer_box(page: Page, number: int) -> Locator:
    return page.get_by_role("region", name=f"Question {number}").get_by_label("Your answer")


def submit_answers(page: Page) -> None:
    """From the questions: finish, check the summary, submit; the answers go to an assessor."""
    page.get_by_role("button", name="Finish attempt…").click()
    expect(heading(page)).to_have_text("Check and submit")
    expect(page.get_by_role("heading", name="2 of 2 questions answered")).to_be_visible()
    page.get_by_role("button", name="Submit all and finish").click()
    result = page.get_by_role("region", name="Your result")
    expect(result).to_contain_text("Your answers are with an assessor.")


def learner_submits_the_summative(page: Page) -> None:
    page.goto(QUIZ_URL)
    expect(heading(page)).to_have_text(QUIZ)
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator(".eyebrow")).to_have_text("Attempt 1")
    answer_box(page, 1).fill(FIRST_EXPLAIN)
    answer_box(page, 2).fill(CONDUCT)
    submit_answers(page)


def learner_waits_for_moderation(page: Page) -> None:
    """Both judgements are drawn for moderation: the learner sees neither verdict yet."""
    page.goto(RECORD_URL)
    for code in (LO1, LO2):
        expect(outcome_heading(page, code)).to_have_text(f"{code} Under moderation")
    expect(page.get_by_text(NYC_COMMENT)).to_have_count(0)


def learner_reads_the_first_decisions(page: Page) -> None:
    page.goto(RECORD_URL)
    expect(page.locator(".progress-words")).to_have_text("1 of 2 outcomes Competent")
    first = outcome(page, LO1)
    expect(outcome_heading(page, LO1)).to_have_text(f"{LO1} Not Yet Competent")
    expect(first.locator("dd.learner-answer")).to_have_text(NYC_COMMENT)
    expect(first).to_contain_text("Priya Naidoo")
    expect(outcome_heading(page, LO2)).to_have_text(f"{LO2} Competent")


def learner_resubmits(page: Page) -> None:
    """Resubmit from the record: the last answers are filled in; improve the NYC essay."""
    page.get_by_role("button", name="Resubmit the assessment").click()
    expect(page.locator(".eyebrow")).to_have_text("Attempt 2")
    expect(answer_box(page, 1)).to_have_value(FIRST_EXPLAIN)
    expect(answer_box(page, 2)).to_have_value(CONDUCT)
    answer_box(page, 1).fill(BETTER_EXPLAIN)
    submit_answers(page)


def learner_sees_every_outcome_competent(page: Page) -> None:
    page.goto(RECORD_URL)
    expect(page.locator(".progress-words")).to_have_text(
        "2 of 2 outcomes Competent: every outcome of this module is achieved."
    )
    expect(page.get_by_role("button", name="Resubmit the assessment")).to_have_count(0)
    first, second = outcome(page, LO1), outcome(page, LO2)
    expect(outcome_heading(page, LO1)).to_have_text(f"{LO1} Competent")
    expect(first.locator("dd.learner-answer")).to_have_text(PASSED_COMMENT)
    history = first.locator("ul.history > li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Judged Not Yet Competent · Priya Naidoo")
    expect(history.nth(0)).to_contain_text(NYC_COMMENT)
    expect(history.nth(1)).to_contain_text("Judged Competent · Priya Naidoo")
    expect(outcome_heading(page, LO2)).to_have_text(f"{LO2} Competent")
    expect(second.locator("ul.history > li")).to_have_count(1)
    attempts = page.get_by_role("region", name="Submitted attempts").get_by_role("listitem")
    expect(attempts).to_have_count(2)
    expect(attempts.nth(0)).to_contain_text("Attempt 1")
    expect(attempts.nth(1)).to_contain_text("Attempt 2")


# The assessors' steps.


def queue_row(page: Page) -> Locator:
    return page.get_by_role("region", name="Marking queue").get_by_role("row").nth(1)


def assessor_finds_one_waiting(page: Page, *, resubmission: bool = False) -> None:
    page.goto("/marking/")
    expect(nav_link(page, "Marking 1 waiting")).to_be_visible()
    row = queue_row(page)
    expect(row).to_contain_text("Thandi Mokoena")
    expect(row).to_contain_text("Not started")
    if resubmission:
        expect(row).to_contain_text("Resubmission")


def assessor_takes_the_attempt(page: Page) -> None:
    queue_row(page).get_by_role("link", name="Thandi Mokoena").click()
    expect(heading(page)).to_have_text(f"{QUIZ}: Thandi Mokoena")
    page.get_by_role("button", name="Take it and start marking").click()
    holder = page.get_by_role("region", name="Who is marking")
    expect(holder).to_contain_text("You hold this attempt")


def colleague_sees_who_holds_it(page: Page) -> None:
    """A second assessor of A1 finds the attempt held, reads it, and has nothing to save."""
    page.goto("/marking/")
    expect(queue_row(page)).to_contain_text("Held by Priya Naidoo")
    queue_row(page).get_by_role("link", name="Thandi Mokoena").click()
    holder = page.get_by_role("region", name="Who is marking")
    expect(holder).to_contain_text("Priya Naidoo has been marking this attempt since")
    expect(page.get_by_role("button", name="Take it and start marking")).to_have_count(0)
    expect(page.get_by_role("button", name="Finalise and tell the learner")).to_have_count(0)
    expect(page.get_by_text(FIRST_EXPLAIN)).to_be_visible()


def assessor_judges_lo1_nyc_by_keyboard(page: Page) -> None:
    """Tab to the first judgement (LO1's), choose NYC with an arrow key, type the comment."""
    tab_to(page, "Competent (C)")
    page.keyboard.press("ArrowDown")
    first = outcome(page, LO1)
    expect(first.get_by_label("Not Yet Competent (NYC)")).to_be_checked()
    page.keyboard.press("Tab")
    comment = first.get_by_label("Comment to the learner")
    expect(comment).to_be_focused()
    page.keyboard.type(NYC_COMMENT)
    expect(comment).to_have_value(NYC_COMMENT)


def assessor_marks_the_first_attempt(page: Page) -> None:
    expect(page.get_by_text(FIRST_EXPLAIN)).to_be_visible()
    expect(page.get_by_text("Names the IVR and the ACD.")).to_be_visible()  # the guide beside it
    assessor_judges_lo1_nyc_by_keyboard(page)
    outcome(page, LO2).get_by_label("Competent (C)").check()
    finalise(page)


def assessor_marks_the_resubmission(page: Page) -> None:
    """Only LO1 is judged again: LO2 stands as Competent from the first attempt."""
    expect(page.get_by_text(BETTER_EXPLAIN)).to_be_visible()
    expect(page.locator("p.notice")).to_have_text(
        f"Already Competent from an earlier attempt, so not judged again: {LO2}."
    )
    expect(outcome(page, LO2)).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(2)
    first = outcome(page, LO1)
    expect(first).to_contain_text("Attempt 1: Not Yet Competent (Priya Naidoo,")
    expect(first).to_contain_text(NYC_COMMENT)
    first.get_by_label("Competent (C)").check()
    first.get_by_label("Comment to the learner").fill(PASSED_COMMENT)
    finalise(page)


def finalise(page: Page) -> None:
    page.get_by_role("button", name="Finalise and tell the learner").click()
    expect(heading(page)).to_have_text("Marking queue")
    expect(flash(page)).to_have_text("Judgements for Thandi Mokoena recorded.")
    expect(page.get_by_role("cell", name="Nothing is waiting.")).to_be_visible()
    expect(nav_link(page, "Marking")).to_be_visible()  # no count left on the badge


# The moderator's steps.


def moderator_confirms(page: Page, code: str, verdict: str, comment: str) -> None:
    """Open the sampled judgement of `code` from the queue, read it, and confirm it."""
    page.goto("/moderation/")
    page.get_by_role("link", name=f"Check {code} for Thandi Mokoena").click()
    expect(heading(page)).to_have_text(f"Check {code} for Thandi Mokoena")
    judgement = page.get_by_role("region", name="The judgement")
    expect(fact(judgement, "Verdict")).to_contain_text(verdict)
    expect(fact(judgement, "Assessor")).to_have_text("Priya Naidoo")
    expect(fact(judgement, "Assessor's comment")).to_have_text(comment)
    page.get_by_label("Confirm: the judgement stands").check()
    page.get_by_role("button", name="Record my check").click()
    confirmed = f"Confirmed: Thandi Mokoena can now see the decision on {code}."
    expect(flash(page)).to_have_text(confirmed)


def moderator_checks_the_first_sample(page: Page) -> None:
    page.goto("/moderation/")
    expect(nav_link(page, "Moderation 2 to check")).to_be_visible()
    rows = page.get_by_role("region", name="Judgements to check").get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text=LO1)).to_contain_text("Every Not Yet Competent judgement")
    expect(rows.filter(has_text=LO2)).to_contain_text("One of the assessor's first judgements")
    moderator_confirms(page, LO1, "Not Yet Competent", NYC_COMMENT)
    moderator_confirms(page, LO2, "Competent", "No comment.")
    expect(page.get_by_role("cell", name="Nothing is waiting to be checked.")).to_be_visible()


def test_an_nyc_is_resubmitted_and_every_outcome_ends_competent(
    new_page: PageFactory, cast: Cast
) -> None:
    learner = signed_in(new_page, cast.learner)
    assessor = signed_in(new_page, cast.assessor)
    colleague = signed_in(new_page, cast.colleague)
    moderator = signed_in(new_page, cast.moderator)

    learner_submits_the_summative(learner)
    assessor_finds_one_waiting(assessor)
    assessor_takes_the_attempt(assessor)
    colleague_sees_who_holds_it(colleague)
    assessor_marks_the_first_attempt(assessor)
    learner_waits_for_moderation(learner)
    moderator_checks_the_first_sample(moderator)

    learner_reads_the_first_decisions(learner)
    learner_resubmits(learner)
    assessor_finds_one_waiting(assessor, resubmission=True)
    assessor_takes_the_attempt(assessor)
    assessor_marks_the_resubmission(assessor)
    moderator_confirms(moderator, LO1, "Competent", PASSED_COMMENT)

    learner_sees_every_outcome_competent(learner)


# The pages on their own, at the stages of the journey.

SCREENS = [
    pytest.param("assessor", Stage.SUBMITTED, "/marking/", "Marking queue", id="marking-queue"),
    pytest.param(
        "assessor",
        Stage.TAKEN,
        "/marking/attempts/{attempt}",
        f"{QUIZ}: Thandi Mokoena",
        id="marking-page",
    ),
    pytest.param(
        "moderator", Stage.FINALISED, "/moderation/", "Moderation sample", id="moderation-queue"
    ),
    pytest.param(
        "moderator",
        Stage.FINALISED,
        "/moderation/judgements/{judgement}",
        f"Check {LO1} for Thandi Mokoena",
        id="moderation-judgement",
    ),
    pytest.param(
        "learner", Stage.CONFIRMED, RECORD_URL, f"Your outcomes in {MODULE}", id="record-nyc"
    ),
    pytest.param(
        "learner", Stage.ACHIEVED, RECORD_URL, f"Your outcomes in {MODULE}", id="record-achieved"
    ),
]


@pytest.mark.parametrize(("who", "stage", "path", "title"), SCREENS)
def test_the_page_passes_axe_on_a_desktop_and_a_phone(
    new_page: PageFactory, app: Flask, cast: Cast, who: str, stage: Stage, path: str, title: str
) -> None:
    progress = bring_to(app, cast, stage)
    page = signed_in(new_page, getattr(cast, who))
    page.goto(path.format(attempt=progress.attempt_id, judgement=progress.judgement_id))
    expect(heading(page)).to_have_text(title)
    check_screens(page)
