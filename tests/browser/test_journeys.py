"""What people see in a real browser: signing in, the keyboard, password reset, deactivation."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lms.auth.roles import Role
from tests.browser.conftest import PageFactory, log_in
from tests.conftest import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new sentence to remember"
WRONG_SIGN_IN = "The email or password is not correct, or the account is not active."


def expect_dashboard(page: Page, role: Role) -> None:
    """The page is `role`'s dashboard: its address and its heading."""
    expect(page).to_have_url(re.compile(rf"/dashboard/{role.value}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{role.label} dashboard")


def focused(page: Page, expression: str) -> str:
    """Evaluate `expression` on the focused element (`el`)."""
    return str(
        page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")
    )


def newest_email(outbox: Path) -> EmailMessage:
    """The last message written to the outbox (file names start with a timestamp)."""
    files = sorted(outbox.glob("*.eml"))
    assert files, f"no .eml file in {outbox}"
    message = message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_signs_in_and_lands_on_its_own_dashboard(
    page: Page, make_user: UserFactory, role: Role
) -> None:
    """A user with one role signs in through the form and sees that role's dashboard."""
    user = make_user(role)

    log_in(page, user.email)

    expect_dashboard(page, role)


def test_sign_in_works_with_the_keyboard_alone(page: Page, make_user: UserFactory) -> None:
    """Tab, typing and Enter alone sign a person in, and focus is visible on the way."""
    user = make_user(Role.LEARNER)
    page.goto("/login")

    page.keyboard.press("Tab")
    assert focused(page, "el.textContent.trim()") == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    assert focused(page, "getComputedStyle(el).outlineStyle") != "none"
    for _ in range(10):
        if focused(page, "el.id") == "email":
            break
        page.keyboard.press("Tab")
    assert focused(page, "el.id") == "email"
    assert focused(page, "getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect_dashboard(page, Role.LEARNER)


def test_emailed_reset_link_sets_a_new_password(
    page: Page, make_user: UserFactory, outbox: Path, live_server: str
) -> None:
    """The link in the reset email sets a new password; the old one stops working."""
    user = make_user(Role.LEARNER, email="thandi@example.com", full_name="Thandi Nkosi")
    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_contain_text("a reset link is on its way")

    message = newest_email(outbox)
    assert message["To"] == user.email
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    links = re.findall(r"https?://\S+", body.get_content())
    assert len(links) == 1, links
    assert links[0].startswith(f"{live_server}/password-reset/")

    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_have_text(
        "Your password has been set. Sign in with it now."
    )

    log_in(page, user.email, NEW_PASSWORD)
    expect_dashboard(page, Role.LEARNER)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    log_in(page, user.email, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(WRONG_SIGN_IN)
    expect(page).to_have_url(re.compile(r"/login$"))


def test_deactivated_learner_is_sent_to_sign_in_on_the_next_page(
    new_page: PageFactory, make_user: UserFactory
) -> None:
    """When an admin deactivates a signed-in learner, the learner's next page load is /login."""
    admin = make_user(Role.ADMIN)
    learner = make_user(Role.LEARNER, full_name="Sipho Dlamini")
    learner_page = new_page()
    log_in(learner_page, learner.email)
    expect_dashboard(learner_page, Role.LEARNER)

    admin_page = new_page()
    log_in(admin_page, admin.email)
    expect_dashboard(admin_page, Role.ADMIN)
    admin_page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Users")
    admin_page.get_by_role("link", name="Sipho Dlamini").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Sipho Dlamini")
    admin_page.get_by_role("button", name="Deactivate account").click()
    expect(admin_page.get_by_role("status")).to_have_text("Sipho Dlamini is now deactivated.")
    expect(admin_page.get_by_role("button", name="Reactivate account")).to_be_visible()

    learner_page.reload()

    expect(learner_page).to_have_url(re.compile(r"/login\?next=(/|%2F)dashboard(/|%2F)learner$"))
    expect(learner_page.get_by_role("heading", level=1)).to_have_text("Sign in")
    log_in(learner_page, learner.email)
    expect(learner_page.get_by_role("alert")).to_contain_text(WRONG_SIGN_IN)
