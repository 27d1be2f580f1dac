"""The security baseline: headers, cookies, redirects, error pages and sign-in throttling."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.auth.access import public
from lms.auth.roles import Role
from lms.security import safe_next_path
from tests.conftest import AppFactory, UserFactory, csrf_token
from tests.test_auth import log_in


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    """Pages, errors, JSON and static files all get CSP, nosniff, referrer and frame denial."""
    for path in ("/login", "/no-such-page", "/healthz", "/static/css/site.css"):
        response = client.get(path)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client: FlaskClient) -> None:
    """The CSP forbids inline script, so the pages must not rely on any."""
    page = client.get("/login").get_data(as_text=True)
    assert "<script" not in page and "onclick" not in page


def test_the_session_cookie_is_hardened_outside_debug(
    make_app: AppFactory, make_user: UserFactory
) -> None:
    """HttpOnly and SameSite=Lax always; Secure by default when not debugging."""
    app = make_app(TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    user = make_user(Role.LEARNER)
    client = app.test_client()
    response = log_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_secure_cookies_can_be_turned_off_for_plain_http(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LMS_SECURE_COOKIES=false serves the demo over http://127.0.0.1."""
    monkeypatch.setenv("LMS_SECURE_COOKIES", "false")
    app = make_app(TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "///evil.example",
        "https://evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x=1",
        "/ok\r\nLocation: //evil.example",
        "",
        None,
        "relative/path",
    ],
)
def test_next_never_leaves_the_site(target: str | None) -> None:
    """Any next= that could point elsewhere is dropped."""
    allowed = safe_next_path(target)
    assert allowed is None or (allowed.startswith("/") and not allowed.startswith("//"))
    if target in ("//evil.example", "https://evil.example/x", "/\\evil.example"):
        assert allowed is None


def test_local_next_paths_are_kept() -> None:
    """Ordinary paths with a query string survive."""
    assert safe_next_path("/admin/users?q=sipho&page=2") == "/admin/users?q=sipho&page=2"


@pytest.mark.parametrize(("path", "status", "title"), [("/nowhere", 404, "Page not found")])
def test_error_pages_use_the_site_layout(
    client: FlaskClient, path: str, status: int, title: str
) -> None:
    """A missing page has the site's header, a heading and a way back."""
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in page and 'class="skip-link"' in page


def test_a_forbidden_page_explains_itself_in_the_layout(
    client_as: Callable[..., FlaskClient],
) -> None:
    """A learner opening an admin page gets a 403 page with the site's navigation."""
    response = client_as(Role.LEARNER).get("/admin/users")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in page
    assert "Your account does not have access to this page." in page
    assert 'aria-label="Main"' in page


def test_wrong_method_and_forged_form_get_clear_pages(
    client: FlaskClient, make_user: UserFactory
) -> None:
    """405 and a CSRF failure (400) both explain themselves in the layout."""
    wrong_method = client.delete("/login")
    assert wrong_method.status_code == 405
    assert "Method not allowed" in wrong_method.get_data(as_text=True)
    forged = client.post("/login", data={"email": "a@example.com", "password": "x" * 12})
    assert forged.status_code == 400
    assert "did not come from this site" in forged.get_data(as_text=True)


def test_errors_answer_json_to_json_clients(client: FlaskClient) -> None:
    """A client asking for JSON gets a JSON error, not a page."""
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {
        "error": "Page not found",
        "message": "There is nothing at this address. Check the link or go back.",
        "status": 404,
    }


def test_an_unexpected_error_shows_the_500_page(make_app: AppFactory) -> None:
    """A crash is logged and the person sees a calm page in the layout, not a traceback."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @public
    def explode() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/explode", view_func=explode)
    response = app.test_client().get("/explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "boom" not in page


def test_health_check_says_503_without_a_database(make_app: AppFactory, tmp_path: Path) -> None:
    """When the database cannot be opened, /healthz answers 503 JSON."""
    app = make_app(f"sqlite:///{tmp_path / 'missing-folder' / 'lms.sqlite3'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


def test_too_many_failures_on_one_account_are_throttled(app: Flask, make_user: UserFactory) -> None:
    """After the per-account limit, even the right password waits; other accounts do not."""
    user, other = make_user(Role.LEARNER), make_user(Role.LEARNER)
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per minute"
    try:
        client = app.test_client()
        for _ in range(3):
            assert log_in(client, user.email, "wrong password!").status_code == 422
        throttled = log_in(client, user.email)
        assert throttled.status_code == 429
        assert "Please wait a minute before trying again." in throttled.get_data(as_text=True)
        assert log_in(app.test_client(), other.email).status_code == 302
    finally:
        app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "100000 per minute"


def test_too_many_failures_from_one_address_are_throttled(
    app: Flask, make_user: UserFactory
) -> None:
    """Trying many accounts from one address hits the per-address limit."""
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per minute"
    try:
        client = app.test_client()
        for n in range(4):
            assert log_in(client, f"guess{n}@example.com", "wrong password!").status_code == 422
        assert log_in(client, "guess9@example.com", "wrong password!").status_code == 429
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "100000 per minute"


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


THROTTLE_SCRIPT = textwrap.dedent(
    """
    import re, sys
    from lms import create_app
    app = create_app({
        "TESTING": True, "DATABASE_URL": sys.argv[1], "SECRET_KEY": "k",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "RATELIMIT_KEY_PREFIX": sys.argv[2],
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "MAIL_OUTBOX": sys.argv[3],
    })
    client = app.test_client()
    for _ in range(int(sys.argv[4])):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={
            "email": "shared@example.com", "password": "wrong password!", "csrf_token": token})
        print(response.status_code)
    """
)


def test_throttling_is_shared_between_workers_through_redis(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    """With Redis storage, failures counted by one process throttle another."""
    if not _redis_is_up():
        message = "Redis is not running on 127.0.0.1:6379 (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(reason=message)
    prefix = f"lms-test-{uuid.uuid4().hex}"

    def worker(attempts: int) -> list[str]:
        args = [sys.executable, "-c", THROTTLE_SCRIPT, database_url, prefix, str(tmp_path)]
        result = subprocess.run(
            [*args, str(attempts)], capture_output=True, text=True, timeout=60, check=True
        )
        return result.stdout.split()

    assert worker(3) == ["422", "422", "422"]
    assert worker(1) == ["429"]


def test_a_forged_csrf_token_is_refused(client: FlaskClient, make_user: UserFactory) -> None:
    """A token that was tampered with is refused like a missing one."""
    user = make_user(Role.LEARNER)
    token = csrf_token(client, "/login")
    forged = client.post(
        "/login", data={"email": user.email, "password": "x" * 12, "csrf_token": token[::-1]}
    )
    assert forged.status_code == 400
