"""A learner working through the shipped example programme in a real browser.

The journeys read the modules in `content/modules/` as a learner sees them: the keyboard path
from the dashboard to a completed module, the lesson reader's contents, pictures, phone width
and print, and the notice shown when a lesson changes after it was completed.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.loading import read_programme
from lms.database import utcnow
from lms.extensions import db
from lms.learning import services as learning
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import UserFactory
from tests.content_files import sync

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# The shipped programme, as its files name it.
REGULATIONS = "Regulations and guidelines"  # lessons in order, ending with a policy lesson
REGULATIONS_SLUG = "regulations-and-guidelines"
PRACTICES = "Organisational practices"
PRACTICES_SLUG = "organisational-practices"
FRONT_DOOR_SLUG = "the-front-door"
FRONT_DOOR = "The contact centre as the company's front door"
CONDUCT = "Our code of conduct and data-protection rules"
CONDUCT_STATEMENT = (
    "I have read Ilanga's code of conduct and data-protection rules and I will follow them."
)
TICK_THE_BOX = "Tick the box to confirm the statement before completing."

# Every shipped lesson, as (module slug, lesson slug, heading); earlier lessons come first.
LESSONS = [
    (module.slug, lesson.slug, lesson.meta.title)
    for module in read_programme(Path(__file__).resolve().parents[2] / "content" / "modules")
    for lesson in module.lessons
]
REGULATIONS_LESSONS = [title for module, _, title in LESSONS if module == REGULATIONS_SLUG]

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
    assert report.modules.total == 5, report.as_json()
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
    first, second, *middle, last = REGULATIONS_LESSONS
    count = len(REGULATIONS_LESSONS)
    assert last == CONDUCT
    log_in(page, make_user(Role.LEARNER).email)
    expect(heading(page)).to_have_text("Learner dashboard")

    follow(page, "My modules")
    expect(heading(page)).to_have_text("My modules")
    expect(module_card(page, REGULATIONS)).to_contain_text(f"0 of {count} lessons done")

    follow(page, REGULATIONS)
    expect(heading(page)).to_have_text(REGULATIONS)
    lessons = page.get_by_role("region", name="Lessons")
    expect(lessons).to_contain_text("taken in order")
    locked = lessons.get_by_role("listitem").filter(has_text=second)
    expect(locked).to_contain_text("Locked")
    expect(locked.get_by_role("link")).to_have_count(0)
    expect(lessons.get_by_role("link", name=first)).to_be_visible()

    follow(page, f"Start “{first}”")
    expect(heading(page)).to_have_text(first)
    expect(page.get_by_text(f"Lesson 1 of {count}")).to_be_visible()
    expect(page.get_by_role("navigation", name="Lessons")).to_contain_text(
        f"{second} (opens when this lesson is complete)"
    )

    for done, following in zip([first, second, *middle], [second, *middle, last], strict=True):
        follow(page, "Mark as complete")
        expect(heading(page)).to_have_text(following)
        expect(page.get_by_role("status")).to_have_text(f"“{done}” is complete.")
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
    tab_to(page, TICK_THE_BOX)
    page.keyboard.press("Enter")
    expect(statement).to_be_focused()
    assert focused(page, "getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Space")
    expect(statement).to_be_checked()

    follow(page, "Acknowledge and complete")
    expect(heading(page)).to_have_text(REGULATIONS)
    expect(page.get_by_role("status")).to_have_text(
        f"Well done: you have completed every lesson of {REGULATIONS}."
    )
    progress = page.get_by_role("region", name="Your progress")
    bar = progress.get_by_role("progressbar", name=f"{REGULATIONS}: 100% complete")
    expect(bar).to_have_attribute("value", "100")
    expect(figure(progress, "100%")).to_be_visible()
    expect(progress.get_by_text(f"{count} of {count} lessons done")).to_be_visible()
    expect(progress).to_contain_text("You have completed every lesson of this module.")
    for title in REGULATIONS_LESSONS:
        expect(lessons.get_by_role("listitem").filter(has_text=title)).to_contain_text("Done")

    follow(page, "Learner")
    expect(heading(page)).to_have_text("Learner dashboard")
    card = module_card(page, REGULATIONS)
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(figure(card, "100%")).to_be_visible()
    expect(card.get_by_text(f"{count} of {count} lessons done")).to_be_visible()
    expect(module_card(page, PRACTICES)).to_contain_text("0 of 7 lessons done")
    expect(page.get_by_role("link", name=f"Start “{FRONT_DOOR}”")).to_be_visible()


def test_contents_links_move_to_their_section(
    page: Page, make_user: UserFactory, programme: Path
) -> None:
    """Enter on an "On this page" link scrolls to that section and moves the keyboard there."""
    log_in(page, make_user(Role.LEARNER).email)
    page.goto(f"/learn/{PRACTICES_SLUG}/{FRONT_DOOR_SLUG}")
    contents = page.get_by_role("navigation", name="On this page")
    expect(contents.get_by_role("link")).to_have_count(7)
    section = page.get_by_role("heading", name="Key terms")
    expect(section).not_to_be_in_viewport()

    tab_to(page, "Key terms")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#sec-key-terms$"))
    expect(section).to_be_in_viewport()
    box = section.bounding_box()
    assert box is not None and box["y"] < 200, box
    # The keyboard carries on from the section, not from the contents list.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Mark as complete")).to_be_focused()


def png(width: int, height: int) -> bytes:
    """A real PNG of one flat colour, small enough to build here rather than ship."""
    row = b"\x00" + b"\x0b\x5c\xad" * width
    pixels = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_lesson_picture_is_served_from_the_media_store(
    page: Page, app: Flask, make_user: UserFactory, programme: Path, tmp_path: Path
) -> None:
    """A chart added to a lesson loads from /content/media/ and has its text alternative."""
    copy = tmp_path / "modules"
    shutil.copytree(programme, copy)
    folder = copy / "03-service-level-agreements"
    (folder / "media").mkdir()
    (folder / "media" / "agents-chart.png").write_bytes(png(120, 60))
    lesson_file = folder / "05-from-calls-to-agents.md"
    lesson_file.write_text(
        lesson_file.read_text(encoding="utf-8")
        + "\n![Bar chart of the service level for 41 to 49 agents](media/agents-chart.png)\n",
        encoding="utf-8",
    )
    report = sync(app, copy)
    assert not report.errors, report.errors
    log_in(page, make_user(Role.LEARNER).email)
    page.goto("/learn/service-level-agreements/from-calls-to-agents")

    chart = page.get_by_role("img", name=re.compile(r"^Bar chart of the service level"))
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute(
        "src", re.compile(r"^/content/media/[0-9a-f]{64}/agents-chart\.png$")
    )
    page.wait_for_load_state("load")
    assert chart.evaluate("img => img.complete && img.naturalWidth") == 120
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
    """At 360 pixels wide the lesson reader never scrolls sideways, and axe finds nothing
    serious in the lesson's text: tables, tip boxes and worked sums included."""
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
    assert_accessible(page)


def test_lesson_prints_without_navigation_or_buttons(
    page: Page, make_user: UserFactory, programme: Path
) -> None:
    """The print stylesheet keeps the lesson text and drops the site's chrome and the form."""
    log_in(page, make_user(Role.LEARNER).email)
    page.goto(f"/learn/{PRACTICES_SLUG}/{FRONT_DOOR_SLUG}")
    expect(page.get_by_role("button", name="Mark as complete")).to_be_visible()

    page.emulate_media(media="print")

    for selector in (".site-header", ".completion", ".lesson-pager", ".toc", ".breadcrumb"):
        display = page.locator(selector).evaluate("el => getComputedStyle(el).display")
        assert display == "none", f"{selector} prints (display: {display})"
    expect(page.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(heading(page)).to_have_text(FRONT_DOOR)
    expect(page.get_by_role("heading", name="Key terms")).to_be_visible()


def test_lesson_changed_after_completion_says_so(
    page: Page, app: Flask, make_user: UserFactory, programme: Path, tmp_path: Path
) -> None:
    """A lesson edited after the learner completed it shows "Updated since you read it"."""
    log_in(page, make_user(Role.LEARNER).email)
    lesson_url = f"/learn/{PRACTICES_SLUG}/{FRONT_DOOR_SLUG}"
    page.goto(lesson_url)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("status")).to_have_text(f"“{FRONT_DOOR}” is complete.")
    page.goto(lesson_url)
    expect(page.get_by_text("You completed this lesson on")).to_be_visible()
    expect(page.get_by_role("note")).to_have_count(0)

    copy = tmp_path / "modules"
    shutil.copytree(programme, copy)
    lesson_file = copy / "01-organisational-practices" / "01-the-front-door.md"
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
    page.goto(f"/learn/{PRACTICES_SLUG}")
    first = page.get_by_role("region", name="Lessons").get_by_role("listitem").first
    expect(first).to_contain_text("Done")
    expect(first).to_contain_text("Updated since you read it")
    expect(page.get_by_text("1 of 7 lessons done")).to_be_visible()

    page.goto(lesson_url)
    page.get_by_role("button", name="I have read the updated lesson").click()
    expect(heading(page)).to_have_text(LESSONS[1][2])
    page.goto(lesson_url)
    expect(page.get_by_role("note")).to_have_count(0)
    expect(page.get_by_text("Updated since you read it")).to_have_count(0)
