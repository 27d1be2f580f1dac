"""The app starts, answers its health check and serves the sign-in page."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_health_check_reports_the_database(client: FlaskClient) -> None:
    """GET /healthz answers 200 JSON when the database is reachable."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_login_page_renders(client: FlaskClient) -> None:
    """The sign-in page has a labelled email field and a CSRF token."""
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in page
    assert 'name="csrf_token"' in page
