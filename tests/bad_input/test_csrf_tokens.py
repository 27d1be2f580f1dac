"""Posts without this session's CSRF token: a 400 that says so, nothing written."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.bad_input.conftest import (
    CSRF_MESSAGE,
    POST_FORMS,
    Snapshot,
    World,
    assert_error_page,
    assert_nothing_written,
    is_signed_in,
    post_form,
)
from tests.conftest import csrf_token


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("not-a-token", id="forged"),
        pytest.param("another-session", id="from-another-session"),
        pytest.param("x" * 10_000, id="10kB"),
        pytest.param("\x00", id="nul"),
    ],
)
@pytest.mark.parametrize("form", POST_FORMS)
def test_a_post_without_this_sessions_token_is_refused(
    app: Flask, world: World, before: Snapshot, form: str, token: str | None
) -> None:
    """A missing or foreign CSRF token is a 400 saying the form expired or came from elsewhere."""
    post = world.post(form)
    client = world.client(post.sender)
    csrf_token(client, post.page)  # the session has a token; the post does not carry it
    if token == "another-session":
        token = csrf_token(app.test_client(), "/login")

    response = post_form(client, post.target, post.fields, token=token)

    assert_error_page(response, 400, CSRF_MESSAGE)
    assert is_signed_in(client) == (post.sender is not None)
    assert_nothing_written(app, before)
