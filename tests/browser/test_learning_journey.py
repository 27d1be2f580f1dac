"""A learner working through the shipped example programme in a real browser.

The journeys read the modules in `content/modules/` as a learner sees them: the keyboard path
from the dashboard to a completed module, the lesson reader's contents, pictures, phone width
and print, and the notice shown when a lesson changes after it was completed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from lms.auth.models import User
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from lms.learning import services as learning
from tests.browser.conftest import log_in
from tests.conftest import UserFactory
from tests.content_files import sync

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# The shipped programme, as its files name it.
WELCOME = "Welcome to the floor"
WELCOME_SLUG = "welcome-to-the-floor"
FIRST_DAY = "Your first day"
CALL_FLOW = "How a call flows"
CONDUCT = "Our code of conduct"
CONDUCT_STATEMENT = "I have read and understood the code of conduct and I agree to follow it."
SERVICE_LEVELS = "Service levels basics"
SERVICE_LEVELS_SLUG = "service-levels-basics"
WHAT_SERVICE_LEVEL_IS = "What a service level is"
TICK_THE_BOX = "Tick the box to confirm the statement before completing."

# Every shipped lesson, as (module slug, lesson slug, heading); earlier lessons come first.
LESSONS = [
    (WELCOME_SLUG, "your-first-day", FIRST_DAY),
    (WELCOME_SLUG, "how-a-call-flows", CALL_FLOW),
    (WELCOME_SLUG, "code-of-conduct", CONDUCT),
    (SERVICE_LEVELS_SLUG, "what-a-service-level-is", WHAT_SERVICE_LEVEL_IS),
    (SERVICE_LEVELS_SLUG, "handle-time-and-occupancy", "Handle time and occupancy"),
]

# What the focused element says: a link's or button's text, else a form control's label.
FOCUSED_NAME = """(() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return (el.innerText || label || "").replace(/\\s+/g, " ").trim();
})()"""


@pytest.fixture
def programme(app: Flask) -> Path:
    """The shipped example content, loaded as `lms content sync` loads it; returns its folder."""
    root = Path(app.config["CONTENT_PATH"])
    report = sync(app, root)
    assert not report.errors, report.errors
    assert report.modules.total == 2, report.as_json()
    return root


def complete_lessons(app: Flask, learner: User, module_slug: str, *lesson_slugs: str) -> None:
    """Record, as "Mark as complete" does, that `learner` finished these lessons."""
    with app.app_context():
        user = db.session.get(User, learner.id)
        assert user is not None
        for lesson_slug in lesson_slugs:
            module = learning.find_enrolled_module(user, module_slug)
            assert module is not None, module_slug
            status = learning.progress_in(user, [module])[0].find(lesson_slug)
            assert status is not None, lesson_slug
            learning.complete_lesson(
                user, status, revision_id=status.revision.id, acknowledged=True, now=utcnow()
            )
            db.session.commit()
        db.session.remove()


def focused(page: Page, expression: str) -> str:
    """Evaluate `expression` on the focused element (`el`)."""
    return str(
        page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")
    )


def tab_to(page: Page, name: str, *, limit: int = 120) -> None:
    """Press Tab until the element named `name` has the focus, and check the focus shows."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = str(page.evaluate(FOCUSED_NAME))
        if current == name:
            assert focused(page, "getComputedStyle(el).outlineStyle") != "none", name
            return
        seen.append(current)
    pytest.fail(f"Tab never reached {name!r} on {page.url}; it went through {seen}")


def follow(page: Page, name: str) -> None:
    """Tab to the link or button `name` and press Enter, waiting for the page it opens."""
    tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def figure(scope: Locator, text: str) -> Locator:
    """Text shown in `scope`, leaving out a `<progress>` bar's fallback content."""
    return scope.get_by_text(text, exact=True).and_(scope.locator(":not(progress)"))


def module_card(page: Page, title: str) -> Locator:
    """The module's card in a module list, found by its heading."""
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))


def test_learner_completes_a_module_with_the_keyboard_alone(
    page: Page, make_user: UserFactory, programme: Path
) -> None:
    """From the dashboard to a complete module, lessons in order, by Tab, Enter and Space."""
    log_in(page, make_user(Role.LEARNER).email)
    expect(heading(page)).to_have_text("Learner dashboard")

    follow(page, "My modules")
    expect(heading(page)).to_have_text("My modules")
    expect(module_card(page, WELCOME)).to_contain_text("0 of 3 lessons done")

    follow(page, WELCOME)
    expect(heading(page)).to_have_text(WELCOME)
    lessons = page.get_by_role("region", name="Lessons")
    expect(lessons).to_contain_text("taken in order")
    second = lessons.get_by_role("listitem").filter(has_text=CALL_FLOW)
    expect(second).to_contain_text("Locked")
    expect(second.get_by_role("link")).to_have_count(0)
    expect(lessons.get_by_role("link", name=FIRST_DAY)).to_be_visible()

    follow(page, f"Start “{FIRST_DAY}”")
    expect(heading(page)).to_have_text(FIRST_DAY)
    expect(page.get_by_text("Lesson 1 of 3")).to_be_visible()
    expect(page.get_by_role("heading", name="The people around you")).to_be_visible()
    expect(page.get_by_role("navigation", name="Lessons")).to_contain_text(
        f"{CALL_FLOW} (opens when this lesson is complete)"
    )

    follow(page, "Mark as complete")
    expect(heading(page)).to_have_text(CALL_FLOW)
    expect(page.get_by_role("status")).to_have_text(f"“{FIRST_DAY}” is complete.")

    follow(page, "Mark as complete")
    expect(heading(page)).to_have_text(CONDUCT)
    expect(page.get_by_role("status")).to_have_text(f"“{CALL_FLOW}” is complete.")
    statement = page.get_by_role("checkbox", name=CONDUCT_STATEMENT)
    expect(statement).not_to_be_checked()

    follow(page, "Acknowledge and complete")
    expect(heading(page)).to_have_text(CONDUCT)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(TICK_THE_BOX)
    expect(statement).to_have_accessible_description(TICK_THE_BOX)
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(statement).not_to_be_checked()
    # The summary's link takes the keyboard straight to the box to tick.
    follow_in_page = TICK_THE_BOX
    tab_to(page, follow_in_page)
    page.keyboard.press("Enter")
    expect(statement).to_be_focused()
    assert focused(page, "getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Space")
    expect(statement).to_be_checked()

    follow(page, "Acknowledge and complete")
    expect(heading(page)).to_have_text(WELCOME)
    expect(page.get_by_role("status")).to_have_text(
        f"Well done: you have completed every lesson of {WELCOME}."
    )
    progress = page.get_by_role("region", name="Your progress")
    bar = progress.get_by_role("progressbar", name=f"{WELCOME}: 100% complete")
    expect(bar).to_have_attribute("value", "100")
    expect(figure(progress, "100%")).to_be_visible()
    expect(progress.get_by_text("3 of 3 lessons done")).to_be_visible()
    expect(progress).to_contain_text("You have completed every lesson of this module.")
    for title in (FIRST_DAY, CALL_FLOW, CONDUCT):
        expect(lessons.get_by_role("listitem").filter(has_text=title)).to_contain_text("Done")

    follow(page, "Learner")
    expect(heading(page)).to_have_text("Learner dashboard")
    card = module_card(page, WELCOME)
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(figure(card, "100%")).to_be_visible()
    expect(card.get_by_text("3 of 3 lessons done")).to_be_visible()
    expect(module_card(page, SERVICE_LEVELS)).to_contain_text("0 of 2 lessons done")
    expect(page.get_by_role("link", name=f"Start “{WHAT_SERVICE_LEVEL_IS}”")).to_be_visible()


def test_contents_links_move_to_their_section(
    page: Page, make_user: UserFactory, programme: Path
) -> None:
    """Enter on an "On this page" link scrolls to that section and moves the keyboard there."""
    log_in(page, make_user(Role.LEARNER).email)
    page.goto(f"/learn/{WELCOME_SLUG}/your-first-day")
    contents = page.get_by_role("navigation", name="On this page")
    expect(contents.get_by_role("link")).to_have_count(5)
    section = page.get_by_role("heading", name="Why your schedule matters")
    expect(section).not_to_be_in_viewport()

    tab_to(page, "Why your schedule matters")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#sec-why-your-schedule-matters$"))
    expect(section).to_be_in_viewport()
    box = section.bounding_box()
    assert box is not None and box["y"] < 200, box
    # The keyboard carries on from the section, not from the contents list.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Mark as complete")).to_be_focused()


def test_lesson_picture_is_served_from_the_media_store(
    page: Page, make_user: UserFactory, programme: Path
) -> None:
    """The service-level chart loads from /content/media/ and has its text alternative."""
    log_in(page, make_user(Role.LEARNER).email)
    page.goto(f"/learn/{SERVICE_LEVELS_SLUG}/what-a-service-level-is")

    chart = page.get_by_role("img", name=re.compile(r"^Bar chart of the service level"))
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute(
        "src", re.compile(r"^/content/media/[0-9a-f]{64}/service-level-by-interval\.png$")
    )
    page.wait_for_load_state("load")
    assert chart.evaluate("img => img.complete && img.naturalWidth") > 0
    response = page.request.get(str(chart.get_attribute("src")))
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("module_slug", "lesson_slug", "title"), LESSONS, ids=[lesson for _, lesson, _ in LESSONS]
)
def test_lesson_fits_a_phone_screen(
    page: Page,
    app: Flask,
    make_user: UserFactory,
    programme: Path,
    module_slug: str,
    lesson_slug: str,
    title: str,
) -> None:
    """At 360 pixels wide the lesson reader never scrolls sideways."""
    learner = make_user(Role.LEARNER)
    earlier = [lesson for module, lesson, _ in LESSONS if module == module_slug]
    complete_lessons(app, learner, module_slug, *earlier[: earlier.index(lesson_slug)])
    page.set_viewport_size(PHONE)
    log_in(page, learner.email)

    page.goto(f"/learn/{module_slug}/{lesson_slug}")

    expect(heading(page)).to_have_text(title)
    widths = page.evaluate(
        "({page: document.scrollingElement.scrollWidth, window: window.innerWidth})"
    )
    assert widths["page"] <= widths["window"], widths


def test_lesson_prints_without_navigation_or_buttons(
    page: Page, make_user: UserFactory, programme: Path
) -> None:
    """The print stylesheet keeps the lesson text and drops the site's chrome and the form."""
    log_in(page, make_user(Role.LEARNER).email)
    page.goto(f"/learn/{WELCOME_SLUG}/your-first-day")
    expect(page.get_by_role("button", name="Mark as complete")).to_be_visible()

    page.emulate_media(media="print")

    for selector in (".site-header", ".completion", ".lesson-pager", ".toc", ".breadcrumb"):
        display = page.locator(selector).evaluate("el => getComputedStyle(el).display")
        assert display == "none", f"{selector} prints (display: {display})"
    expect(page.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(heading(page)).to_have_text(FIRST_DAY)
    expect(page.get_by_role("heading", name="Why your schedule matters")).to_be_visible()


def test_lesson_changed_after_completion_says_so(
    page: Page, app: Flask, make_user: UserFactory, programme: Path, tmp_path: Path
) -> None:
    """A lesson edited after the learner completed it shows "Updated since you read it"."""
    log_in(page, make_user(Role.LEARNER).email)
    lesson_url = f"/learn/{WELCOME_SLUG}/your-first-day"
    page.goto(lesson_url)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("status")).to_have_text(f"“{FIRST_DAY}” is complete.")
    page.goto(lesson_url)
    expect(page.get_by_text("You completed this lesson on")).to_be_visible()
    expect(page.get_by_role("note")).to_have_count(0)

    copy = tmp_path / "modules"
    shutil.copytree(programme, copy)
    lesson_file = copy / "01-welcome-to-the-floor" / "01-your-first-day.md"
    text = lesson_file.read_text(encoding="utf-8")
    lesson_file.write_text(
        text + "\nYour buddy will also show you where the fire exits are.\n", encoding="utf-8"
    )
    report = sync(app, copy)
    assert not report.errors, report.errors
    assert report.lessons.updated == 1, report.as_json()

    page.reload()

    notice = page.get_by_role("note")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Updated since you read it.")
    expect(notice).to_contain_text("Your completion still counts")
    expect(
        page.get_by_text("Your buddy will also show you where the fire exits are.")
    ).to_be_visible()
    expect(page.get_by_text("Updated since you read it", exact=True)).to_be_visible()
    page.goto(f"/learn/{WELCOME_SLUG}")
    first = page.get_by_role("region", name="Lessons").get_by_role("listitem").first
    expect(first).to_contain_text("Done")
    expect(first).to_contain_text("Updated since you read it")
    expect(page.get_by_text("1 of 3 lessons done")).to_be_visible()

    page.goto(lesson_url)
    page.get_by_role("button", name="I have read the updated lesson").click()
    expect(heading(page)).to_have_text(CALL_FLOW)
    page.goto(lesson_url)
    expect(page.get_by_role("note")).to_have_count(0)
    expect(page.get_by_text("Updated since you read it")).to_have_count(0)
