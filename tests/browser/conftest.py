"""Browser fixtures: the app served for real on a loopback port, driven by Debian's Chromium.

Playwright's own browser download is not used: Debian's Chromium is launched directly. A test
that fails leaves a screenshot of each of its pages in `tests/browser/artifacts/`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Debian's chromium is not installed (apt-get install chromium)"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 5_000
SEVERE_IMPACTS = frozenset({"serious", "critical"})

PageFactory = Callable[..., Page]

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
_AXE = Axe()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so fixtures can tell at teardown if it failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _test_failed(item: pytest.Item) -> bool:
    reports = item.stash.get(_REPORTS, {})
    return any(reports[when].failed for when in ("setup", "call") if when in reports)


def _save_screenshots(item: pytest.Item, pages: list[Page]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.\[\]-]", "_", item.name)
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        suffix = "" if number == 1 else f"-{number}"
        page.screenshot(path=ARTIFACTS / f"{name}{suffix}.png", full_page=True)


def _buffered(app: Flask) -> WSGIApplication:
    """The app with each response read whole before it is sent.

    A page the browser leaves mid-download drops the connection; Werkzeug's development server
    then fails before closing the response, and a static file left open is a ResourceWarning,
    which this suite treats as an error. Buffered, nothing is open while bytes are written.
    """

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return serve


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served over HTTP on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium; skipped when absent, except on CI where that is a failure."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(CHROMIUM_MISSING)
        pytest.skip(reason=CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(
    browser: Browser, live_server: str, request: pytest.FixtureRequest
) -> Iterator[PageFactory]:
    """Open a page in a fresh browser context (its own cookies), as a second person would."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(
            base_url=live_server, locale="en-GB", timezone_id="Africa/Johannesburg", **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    try:
        if _test_failed(request.node):
            _save_screenshots(request.node, pages)
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    """A page in its own browser context, pointed at the live server."""
    return new_page()


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person does."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _describe(violation: dict[str, Any]) -> list[str]:
    lines = [
        f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
    ]
    for node in violation["nodes"]:
        target = " ".join(str(selector) for selector in node["target"])
        summary = " ".join(str(node.get("failureSummary", "")).split())
        lines.append(f"    at {target}: {summary}")
    return lines


def assert_accessible(page: Page) -> None:
    """Fail, naming rule, help and elements, when axe finds a serious or critical problem."""
    violations = _AXE.run(page).response["violations"]
    severe = [v for v in violations if v["impact"] in SEVERE_IMPACTS]
    if severe:
        size = page.viewport_size or {"width": 0, "height": 0}
        lines = [
            f"axe found {len(severe)} serious or critical problem(s) on {page.url} "
            f"at {size['width']}x{size['height']} pixels:"
        ]
        for violation in severe:
            lines.extend(_describe(violation))
        pytest.fail("\n".join(lines), pytrace=False)
