"""Every page the journeys visit, checked with axe: no serious or critical problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.auth import services
from lms.auth.roles import Role
from lms.content.models import Lesson, LessonRevision
from lms.extensions import db
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import UserFactory
from tests.content_files import sync

pytestmark = pytest.mark.browser

PathMaker = Callable[[Flask, UserFactory], str]

# The layout is fluid from a 360-pixel phone up: axe checks at both ends.
PHONE = {"width": 360, "height": 740}


def at(path: str) -> PathMaker:
    """A page at a fixed address."""
    return lambda _app, _make_user: path


def load_shipped_content(app: Flask) -> None:
    """Load the shipped programme in content/modules/, as `lms content sync` does."""
    report = sync(app, Path(app.config["CONTENT_PATH"]))
    assert not report.errors, report.errors


def with_content(path: str) -> PathMaker:
    """A page at a fixed address, once the shipped programme is loaded."""

    def make(app: Flask, _make_user: UserFactory) -> str:
        load_shipped_content(app)
        return path

    return make


def revision_preview(app: Flask, _make_user: UserFactory) -> str:
    """The staff preview of a lesson with a table and a tip box."""
    load_shipped_content(app)
    with app.app_context():
        revision_id = db.session.scalars(
            select(LessonRevision.id)
            .join(Lesson, LessonRevision.lesson_id == Lesson.id)
            .where(Lesson.slug == "from-calls-to-agents", LessonRevision.is_current)
        ).one()
        db.session.remove()
    return f"/content/revisions/{revision_id}"


def reset_link(app: Flask, make_user: UserFactory) -> str:
    """The page an emailed reset link opens, for a new learner."""
    user = make_user(Role.LEARNER)
    with app.app_context():
        started = services.start_password_reset(user.email, valid_for=timedelta(minutes=5))
        assert started is not None
        db.session.commit()
        db.session.remove()
    return f"/password-reset/{started[1]}"


def user_edit_page(_app: Flask, make_user: UserFactory) -> str:
    """The admin's edit page of a new learner."""
    return f"/admin/users/{make_user(Role.LEARNER, full_name='Sipho Dlamini').id}"


@dataclass(frozen=True)
class Screen:
    """A page to check: how to reach it, its heading, who is signed in, its HTTP status."""

    name: str
    path: PathMaker
    heading: str
    signed_in_as: Role | None = None
    status: int = 200


SCREENS = [
    Screen("login", at("/login"), "Sign in"),
    Screen("password-reset-request", at("/password-reset"), "Reset your password"),
    Screen("password-reset-form", reset_link, "Choose a new password"),
    *(
        Screen(
            f"{role.value}-dashboard",
            at(f"/dashboard/{role.value}"),
            f"{role.label} dashboard",
            role,
        )
        for role in Role
    ),
    Screen("admin-users", at("/admin/users"), "Users", Role.ADMIN),
    Screen("admin-user-edit", user_edit_page, "Sipho Dlamini", Role.ADMIN),
    Screen("audit-log", at("/admin/audit"), "Audit log", Role.ADMIN),
    Screen("account", at("/account"), "My account", Role.LEARNER),
    Screen("change-password", at("/account/password"), "Change password", Role.LEARNER),
    Screen("not-found", at("/no-such-page"), "Page not found", status=404),
    Screen(
        "learner-dashboard-with-content",
        with_content("/dashboard/learner"),
        "Learner dashboard",
        Role.LEARNER,
    ),
    Screen("my-modules-empty", at("/learn/"), "My modules", Role.LEARNER),
    Screen("my-modules", with_content("/learn/"), "My modules", Role.LEARNER),
    Screen(
        "module",
        with_content("/learn/regulations-and-guidelines"),
        "Regulations and guidelines",
        Role.LEARNER,
    ),
    Screen(
        "lesson-with-contents-and-a-table",
        with_content("/learn/service-level-agreements/from-calls-to-agents"),
        "From calls to agents",
        Role.LEARNER,
    ),
    Screen(
        "locked-lesson",
        with_content("/learn/regulations-and-guidelines/personal-information-popia-and-gdpr"),
        "“Personal information: POPIA and the GDPR” is not open yet",
        Role.LEARNER,
        status=403,
    ),
    Screen("content-library-empty", at("/content/"), "Content library", Role.TRAINER),
    Screen("content-library", with_content("/content/"), "Content library", Role.TRAINER),
    Screen("revision-preview", revision_preview, "From calls to agents", Role.TRAINER),
]


@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_page_has_no_serious_accessibility_problems(
    page: Page, app: Flask, make_user: UserFactory, screen: Screen
) -> None:
    """The page shows its heading; axe finds nothing serious on a desktop or a phone screen."""
    if screen.signed_in_as is not None:
        log_in(page, make_user(screen.signed_in_as).email)
        expect(page.get_by_role("heading", level=1)).to_contain_text("dashboard")
    path = screen.path(app, make_user)

    response = page.goto(path)

    assert response is not None and response.status == screen.status
    expect(page.get_by_role("heading", level=1)).to_have_text(screen.heading)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)


def test_sign_in_errors_are_accessible(page: Page) -> None:
    """The error summary of a rejected sign-in has no serious or critical problem."""
    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("Enter your email.")
    assert_accessible(page)


def test_flash_messages_are_accessible(page: Page, make_user: UserFactory) -> None:
    """A page showing a flash message, as after signing out, has no serious problem."""
    log_in(page, make_user(Role.LEARNER).email)
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    assert_accessible(page)


def test_policy_lesson_error_is_accessible(page: Page, app: Flask, make_user: UserFactory) -> None:
    """A policy lesson sent without its statement ticked shows an error with no serious problem."""
    load_shipped_content(app)
    log_in(page, make_user(Role.LEARNER).email)
    page.goto("/learn/regulations-and-guidelines/where-the-rules-come-from")
    for _ in range(6):  # every lesson before the policy lesson, in order
        page.get_by_role("button", name="Mark as complete").click()
        expect(page.get_by_role("status")).to_contain_text("is complete")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Our code of conduct and data-protection rules"
    )

    page.get_by_role("button", name="Acknowledge and complete").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Tick the box to confirm the statement before completing."
    )
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
