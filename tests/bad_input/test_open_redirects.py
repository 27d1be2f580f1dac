"""Sign-in's `next`: followed when it is a path on this site, dropped when it leads off it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.bad_input.conftest import World, is_signed_in, post_form
from tests.conftest import csrf_token

OFF_SITE_NEXT = [
    "//evil.example",
    "https://evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "///evil.example",
    "////evil.example/x",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/\t/evil.example",
    "/\r\n//evil.example",
    "evil.example",
    "\uff0f\uff0fevil.example",
]


def _is_local(location: str | None) -> bool:
    parts = urlsplit(location or "")
    return (
        bool(location)
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
    )


@pytest.mark.parametrize("target", OFF_SITE_NEXT)
def test_sign_in_never_redirects_off_site(world: World, target: str) -> None:
    """A `next` that leads to another site is dropped: the person lands on their dashboard."""
    post = world.post("login")
    client = world.client(None)
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "evil.example" not in page
    token = csrf_token(client, post.page)

    response = post_form(client, post.target, {**post.fields, "next": target}, token=token)

    assert response.status_code == 302
    assert response.location == "/dashboard"
    assert is_signed_in(client)


@pytest.mark.parametrize("target", OFF_SITE_NEXT)
def test_a_signed_in_visit_to_login_never_redirects_off_site(world: World, target: str) -> None:
    """Someone already signed in who follows a login link with a hostile `next` stays here."""
    client = world.client(world.learner)

    response = client.get("/login", query_string={"next": target})

    assert response.status_code == 302
    assert response.location == "/dashboard"


@pytest.mark.parametrize(
    "target", ["/account/password", "/admin/users?q=lee&role=learner", "/%2F%2Fevil.example"]
)
def test_sign_in_follows_a_local_next(world: World, target: str) -> None:
    """A `next` on this site is followed, and stays a path on this site."""
    post = world.post("login")
    client = world.client(None)
    token = csrf_token(client, post.page)

    response = post_form(client, post.target, {**post.fields, "next": target}, token=token)

    assert response.status_code == 302
    assert response.location == target
    assert _is_local(response.location)
