"""The service-level calculator in a real browser: it answers as the learner types, keeps the
address in step, shows a problem beside its field, and works the same with scripts turned off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lms.auth.roles import Role
from tests.browser.conftest import PageFactory, assert_accessible, log_in
from tests.conftest import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def open_calculator(page: Page, make_user: UserFactory) -> None:
    learner = make_user(Role.LEARNER)
    log_in(page, learner.email)
    page.goto("/tools/service-level")
    expect(page.locator(".calculator-answer")).to_contain_text("46 agents")


def test_the_result_follows_the_figures_as_they_are_typed(
    page: Page, make_user: UserFactory
) -> None:
    """Changing the calls and handle time recomputes without a reload; the address follows."""
    open_calculator(page, make_user)
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Calls per interval").fill("100")
    page.get_by_label("Average handle time").fill("180")
    answer = page.locator(".calculator-answer")
    expect(answer).to_contain_text("14 agents on the phones answer 88.8 % of calls within 20 s")
    assert "calls=100" in page.url and "handle_seconds=180" in page.url
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "handle_seconds"


def test_a_bad_figure_is_marked_beside_its_field_while_typing(
    page: Page, make_user: UserFactory
) -> None:
    """The field says what is wrong, the result says to correct it, and fixing it clears both."""
    open_calculator(page, make_user)
    calls = page.get_by_label("Calls per interval")
    calls.fill("lots")
    expect(page.locator("#calculator-result")).to_contain_text("Correct the figures")
    expect(calls).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid .error")).to_have_text("Enter a whole number, such as 240.")
    expect(calls).to_be_focused()
    calls.fill("240")
    expect(page.locator(".calculator-answer")).to_contain_text("46 agents")
    expect(page.locator(".field-invalid")).to_have_count(0)
    expect(calls).not_to_have_attribute("aria-invalid", "true")


def test_without_scripts_the_calculate_button_does_the_work(
    new_page: PageFactory, make_user: UserFactory
) -> None:
    """A plain GET form: the keyboard and Enter give the same answer as the live page."""
    page = new_page(java_script_enabled=False)
    open_calculator(page, make_user)
    page.get_by_label("Shrinkage (optional)").fill("30")
    page.get_by_label("Shrinkage (optional)").press("Enter")
    expect(page.locator("#calculator-result")).to_contain_text(
        re.compile(r"Agents to schedule\s*66, allowing 30 % shrinkage")
    )
    assert "shrinkage_percent=30" in page.url


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_calculator_is_accessible_with_and_without_errors(
    new_page: PageFactory, make_user: UserFactory, viewport: dict[str, int] | None
) -> None:
    """axe finds nothing serious on the result or the error state, and a phone needs no
    sideways scroll for the page itself (the table scrolls in its own region)."""
    page = new_page(**({"viewport": viewport} if viewport else {}))
    open_calculator(page, make_user)
    assert_accessible(page)
    page.goto("/tools/service-level?calls=&handle_seconds=0")
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
