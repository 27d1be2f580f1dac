"""Posts too large to read, and ids or reset links that name nothing: 413 and 404."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.bad_input.conftest import (
    NOT_FOUND,
    POST_FORMS,
    TOO_LARGE,
    Fields,
    Snapshot,
    World,
    assert_error_page,
    assert_nothing_written,
    post_form,
)
from tests.conftest import csrf_token

# A user id nobody has: unused, zero, and past what 32-bit and 64-bit integer columns hold.
UNKNOWN_IDS = ["999999", "0", str(2**31), str(2**63), "9" * 30]
# Ids the URL rules themselves refuse.
MALFORMED_IDS = ["-1", "abc", "1.5", "%FF", "1%00", "1%20"]


@pytest.mark.parametrize("wants_json", [False, True], ids=["page", "json"])
@pytest.mark.parametrize("form", POST_FORMS)
def test_a_body_over_the_size_limit_is_refused(
    app: Flask, world: World, before: Snapshot, form: str, wants_json: bool
) -> None:
    """A post larger than MAX_CONTENT_LENGTH is a 413, even with a good token and fields."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)
    padding = "x" * int(app.config["MAX_CONTENT_LENGTH"])
    headers = {"Accept": "application/json"} if wants_json else {}

    response = post_form(
        client, post.target, {**post.fields, "padding": padding}, token=token, headers=headers
    )

    if wants_json:
        assert response.status_code == 413
        assert response.json == {"error": "Too large", "message": TOO_LARGE, "status": 413}
    else:
        assert_error_page(response, 413, TOO_LARGE)
    assert_nothing_written(app, before)


@pytest.mark.parametrize("user_id", UNKNOWN_IDS + MALFORMED_IDS)
@pytest.mark.parametrize(
    ("method", "path", "fields"),
    [
        pytest.param("GET", "/admin/users/{}", {}, id="view"),
        pytest.param(
            "POST",
            "/admin/users/{}",
            {"full_name": "X Y", "email": "x@example.com", "roles": "hr"},
            id="edit",
        ),
        pytest.param("POST", "/admin/users/{}/active", {"active": "0"}, id="set-active"),
        pytest.param("POST", "/admin/users/{}/password-link", {}, id="password-link"),
    ],
)
def test_an_unknown_user_id_is_not_found(
    app: Flask, world: World, before: Snapshot, method: str, path: str, fields: Fields, user_id: str
) -> None:
    """A user id that names nobody, however large or odd, is a 404, never a 500."""
    client = world.client(world.admin)
    url = path.format(user_id)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/admin/users/new")
        response = post_form(client, url, fields, token=token)

    assert_error_page(response, 404, NOT_FOUND)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    "token",
    ["no-such-token", "x" * 129, "x" * 10_000, "%00", "abc%00", "%FF%FE"],
)
def test_a_bad_reset_link_is_not_found(
    app: Flask, world: World, before: Snapshot, token: str
) -> None:
    """A reset link that is not a live one says so with a 404; the live one stays unused."""
    post = world.post("password-reset-link")
    client = world.client(None)
    csrf = csrf_token(client, post.page)

    response = post_form(client, f"/password-reset/{token}", post.fields, token=csrf)

    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)
    assert_nothing_written(app, before)
