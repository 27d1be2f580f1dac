"""Bodies that are not a urlencoded form, JSON clients, and bytes that are not UTF-8."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from tests.bad_input.conftest import (
    CSRF_MESSAGE,
    INCOMPLETE,
    LEARNER_EMAIL,
    NOT_FOUND,
    NOT_UTF8,
    Fields,
    Snapshot,
    World,
    assert_nothing_written,
    assert_shown,
    encode,
    post_form,
)
from tests.conftest import PASSWORD, csrf_token


@pytest.mark.parametrize(
    ("form", "body", "field", "message"),
    [
        pytest.param(
            "login",
            {"email": 5, "password": PASSWORD},
            "email",
            "Enter your email.",
            id="login-number",
        ),
        pytest.param(
            "login", [LEARNER_EMAIL, PASSWORD], "email", "Enter your email.", id="login-list"
        ),
        pytest.param("login", 5, "email", "Enter your email.", id="login-bare-number"),
        pytest.param(
            "login",
            {"email": {"a": 1}, "password": None},
            "email",
            "Enter your email.",
            id="login-object",
        ),
        pytest.param(
            "new-user",
            {"full_name": 5, "email": [1], "roles": {"admin": True}},
            "full_name",
            "Enter the person's name.",
            id="new-user-wrong-types",
        ),
        pytest.param(
            "change-password",
            {"current_password": 1, "new_password": 1e99},
            "current_password",
            "Enter your current password.",
            id="change-password-numbers",
        ),
    ],
)
def test_a_json_body_is_not_read_as_the_form(
    app: Flask, world: World, before: Snapshot, form: str, body: Any, field: str, message: str
) -> None:
    """The forms take form posts: JSON values of any type are not fields, so fields are missing."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)

    response = client.post(post.target, json=body, headers={"X-CSRFToken": token})

    assert response.status_code == 422
    assert_shown(response, field, message)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        pytest.param("login", "email", "Enter your email.", id="login"),
        pytest.param("password-reset", "email", "Enter your email.", id="password-reset"),
        pytest.param("new-user", "full_name", "Enter the person's name.", id="new-user"),
        pytest.param(
            "change-password",
            "current_password",
            "Enter your current password.",
            id="change-password",
        ),
    ],
)
def test_a_file_is_not_taken_for_a_text_field(
    app: Flask, world: World, before: Snapshot, form: str, field: str, message: str
) -> None:
    """An upload where text is expected is no value at all: 422 with the field's message."""
    post = world.post(form)
    client = world.client(post.sender)
    token = csrf_token(client, post.page)
    fields: dict[str, Any] = {k: v for k, v in post.fields.items() if v is not None}
    fields[field] = (io.BytesIO(b"lee.learner@example.com"), "value.txt")

    response = client.post(post.target, data={**fields, "csrf_token": token})

    assert response.status_code == 422
    assert_shown(response, field, message)
    assert_nothing_written(app, before)


@pytest.mark.parametrize(
    ("form", "fields", "token", "status", "title", "message"),
    [
        ("set-active", {"active": "maybe"}, True, 400, "Bad request", INCOMPLETE),
        ("new-user", {}, False, 400, "Bad request", CSRF_MESSAGE),
        ("logout", {}, False, 400, "Bad request", CSRF_MESSAGE),
    ],
)
def test_a_json_client_gets_a_json_error(
    app: Flask,
    world: World,
    before: Snapshot,
    form: str,
    fields: Fields,
    token: bool,
    status: int,
    title: str,
    message: str,
) -> None:
    """A client that asks for JSON gets the refusal as JSON, with the same message."""
    post = world.post(form)
    client = world.client(post.sender)
    csrf = csrf_token(client, post.page)

    response = post_form(
        client,
        post.target,
        {**post.fields, **fields},
        token=csrf if token else None,
        headers={"Accept": "application/json"},
    )

    assert response.status_code == status
    assert response.json == {"error": title, "message": message, "status": status}
    assert_nothing_written(app, before)


def test_a_json_client_asking_for_an_unknown_user_gets_a_json_404(
    app: Flask, world: World, before: Snapshot
) -> None:
    """An unknown id answers a JSON client with a JSON 404."""
    client = world.client(world.admin)

    response = client.get("/admin/users/999999", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.json == {"error": "Page not found", "message": NOT_FOUND, "status": 404}
    assert_nothing_written(app, before)


@pytest.mark.parametrize("raw", list(NOT_UTF8.values()), ids=list(NOT_UTF8))
def test_bytes_that_are_not_utf8_are_kept_as_their_escapes(
    app: Flask, world: World, raw: bytes
) -> None:
    """Bytes that are not UTF-8 are not guessed at, nor a 500: they stay literal `%XX` text."""
    escaped = "".join(f"%{byte:02X}" for byte in raw)
    client = world.client(world.admin)
    token = csrf_token(client, "/admin/users/new")

    search = client.get("/admin/users", query_string=encode({"q": b"Lee" + raw}))
    created = post_form(
        client,
        "/admin/users/new",
        {"full_name": b"Nora " + raw, "email": "nora.new@example.com", "roles": "learner"},
        token=token,
    )

    assert search.status_code == 200
    assert f'value="Lee{escaped}"' in search.get_data(as_text=True)
    assert created.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(User.full_name).where(User.email.startswith("nora.")))
    assert stored == f"Nora {escaped}"
