"""Hostile posts to "Mark as complete": a 4xx that names the problem, never a 500, and no
completion, acknowledgement or audit event written.

The learner has opened every lesson of the sample module (so each has its progress row), and
each post below would complete a lesson if it were accepted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.auth.roles import Role
from tests.bad_input.conftest import (
    CONTROL,
    CONTROL_CHARACTERS,
    CSRF_MESSAGE,
    NOT_UTF8,
    SENT_TWICE,
    Fields,
    Snapshot,
    assert_error_page,
    assert_shown,
    post_form,
    snapshot,
)
from tests.conftest import UserFactory, csrf_token, sign_in
from tests.content_files import sample_module, sync, write_module

PLAIN, POLICY = "on-the-phone", "code-of-conduct"
LEARNING_TABLES = ("lesson_progress", "lesson_acknowledgements", "audit_events")

REQUIRED = "This field is required."
NOT_AN_INTEGER = "Not a valid integer value."
OUT_OF_RANGE = "Number must be between 1 and 2147483647."
TICK_THE_BOX = "Tick the box to confirm the statement before completing."
# With the vertical tab and form feed, which Python's int() (like NEL) skips as white space.
CONTROLS = {**CONTROL_CHARACTERS, "vertical-tab": "\x0b", "form-feed": "\x0c"}


@dataclass(frozen=True)
class Reader:
    """A learner with every lesson of the sample module open, and that module's revision ids."""

    app: Flask
    client: FlaskClient
    token: str
    revisions: dict[str, int]

    def valid(self, lesson: str) -> Fields:
        """The fields that would complete `lesson`."""
        fields: Fields = {"revision_id": str(self.revisions[lesson])}
        if lesson == POLICY:
            fields["acknowledge"] = "y"
        return fields

    def target(self, lesson: str) -> str:
        return f"/learn/alpha/{lesson}/complete"

    def post(self, lesson: str, changes: Fields) -> TestResponse:
        fields = {**self.valid(lesson), **changes}
        return post_form(self.client, self.target(lesson), fields, token=self.token)


@pytest.fixture
def reader(app: Flask, make_user: UserFactory, tmp_path: Path) -> Reader:
    """The sample module published, and a learner who has opened each of its lessons."""
    write_module(tmp_path / "content", sample_module())
    assert sync(app, tmp_path / "content").errors == []
    client = sign_in(app.test_client(), make_user(Role.LEARNER))
    token = csrf_token(client, f"/learn/alpha/{PLAIN}")
    revisions = {}
    for lesson in ("first-steps", PLAIN, POLICY):
        page = client.get(f"/learn/alpha/{lesson}").get_data(as_text=True)
        start = page.index('name="revision_id"')
        value = page[page.index('value="', start) + 7 :]
        revisions[lesson] = int(value[: value.index('"')])
    return Reader(app, client, token, revisions)


@pytest.fixture
def before(app: Flask, reader: Reader) -> Snapshot:
    """The progress, acknowledgement and audit tables before the hostile post."""
    return snapshot(app, LEARNING_TABLES)


def assert_nothing_recorded(app: Flask, before: Snapshot) -> None:
    """No lesson was completed, nothing acknowledged or audited, no view moved."""
    after = snapshot(app, LEARNING_TABLES)
    assert [row["completed_at"] for row in after["lesson_progress"]] == [None, None, None]
    assert after == before


def revision_cases() -> list[Any]:
    """Hostile revision ids, each with the message it must earn (None: the status is enough)."""
    cases = [
        ("missing", None, REQUIRED),
        ("empty", "", REQUIRED),
        ("blank", "   ", NOT_AN_INTEGER),
        ("word", "latest", NOT_AN_INTEGER),
        ("decimal", "1.5", NOT_AN_INTEGER),
        ("exponent", "1e3", NOT_AN_INTEGER),
        ("hex", "0x10", NOT_AN_INTEGER),
        ("zero", "0", OUT_OF_RANGE),
        ("negative", "-1", OUT_OF_RANGE),
        ("2^31", str(2**31), OUT_OF_RANGE),
        ("2^63", str(2**63), OUT_OF_RANGE),
        ("minus-2^63", str(-(2**63)), OUT_OF_RANGE),
        ("10kB-of-digits", "9" * 10_000, NOT_AN_INTEGER),
        ("10kB-of-text", "x" * 10_000, NOT_AN_INTEGER),
        ("sent-twice", ["{id}", "{id}"], SENT_TWICE),
        ("sent-twice-differing", ["{id}", "1"], SENT_TWICE),
        *[(f"not-utf8-{name}", b"1" + raw, NOT_AN_INTEGER) for name, raw in NOT_UTF8.items()],
        # Control characters: refused, whether int() would call them white space or not.
        *[(f"{name}-before", ch + "{id}", None) for name, ch in CONTROLS.items()],
        *[(f"{name}-after", "{id}" + ch, None) for name, ch in CONTROLS.items()],
        *[(f"{name}-alone", ch, None) for name, ch in CONTROLS.items()],
    ]
    return [pytest.param(value, message, id=name) for name, value, message in cases]


def with_id(value: Any, revision: int) -> Any:
    """Put the lesson's real revision id where a case says {id}."""
    if isinstance(value, str):
        return value.replace("{id}", str(revision))
    if isinstance(value, list):
        return [item.replace("{id}", str(revision)) for item in value]
    return value


@pytest.mark.parametrize("lesson", [PLAIN, POLICY])
@pytest.mark.parametrize(("value", "message"), revision_cases())
def test_a_hostile_revision_id_is_refused(
    app: Flask, reader: Reader, before: Snapshot, lesson: str, value: Any, message: str | None
) -> None:
    """Each bad revision id gets 422 (with its message) and completes nothing."""
    response = reader.post(lesson, {"revision_id": with_id(value, reader.revisions[lesson])})

    assert response.status_code == 422
    if message is not None:
        assert_shown(response, "revision_id", message)
    assert_nothing_recorded(app, before)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(None, TICK_THE_BOX, id="missing"),
        pytest.param("", TICK_THE_BOX, id="empty"),
        pytest.param("false", TICK_THE_BOX, id="false"),
        pytest.param("0", TICK_THE_BOX, id="zero"),
        pytest.param("off", TICK_THE_BOX, id="off"),
        pytest.param("no", TICK_THE_BOX, id="no"),
        pytest.param("n", TICK_THE_BOX, id="n"),
        pytest.param("x" * 10_000, TICK_THE_BOX, id="10kB"),
        pytest.param(b"\xff", TICK_THE_BOX, id="not-utf8"),
        pytest.param(["y", "y"], SENT_TWICE, id="sent-twice"),
        pytest.param(["", "y"], SENT_TWICE, id="sent-twice-empty-first"),
        *[
            pytest.param("y" + character, CONTROL, id=f"y-then-{name}")
            for name, character in CONTROL_CHARACTERS.items()
        ],
    ],
)
def test_a_policy_is_acknowledged_only_by_ticking_its_box(
    app: Flask, reader: Reader, before: Snapshot, value: Any, message: str
) -> None:
    """Anything but the tick box's own value is no acknowledgement: 422, nothing recorded."""
    response = reader.post(POLICY, {"acknowledge": value})

    assert response.status_code == 422
    assert_shown(response, "acknowledge", message)
    assert_nothing_recorded(app, before)


@pytest.mark.parametrize("lesson", [PLAIN, POLICY])
@pytest.mark.parametrize(
    "body",
    [
        pytest.param("valid", id="the-valid-fields"),
        pytest.param({"revision_id": "{id}", "acknowledge": True}, id="types-as-json"),
        pytest.param([1, 2], id="list"),
        pytest.param(5, id="bare-number"),
        pytest.param({"revision_id": {"id": 1}}, id="object"),
    ],
)
def test_a_json_body_is_not_read_as_the_form(
    app: Flask, reader: Reader, before: Snapshot, lesson: str, body: Any
) -> None:
    """The completion takes form posts only: in JSON the revision id is missing, so 422."""
    if body == "valid":
        body = reader.valid(lesson)
    elif isinstance(body, dict):
        body = {k: with_id(v, reader.revisions[lesson]) for k, v in body.items()}

    response = reader.client.post(
        reader.target(lesson), json=body, headers={"X-CSRFToken": reader.token}
    )

    assert response.status_code == 422
    assert_shown(response, "revision_id", REQUIRED)
    assert_nothing_recorded(app, before)


def test_a_file_is_not_taken_for_the_revision_id(
    app: Flask, reader: Reader, before: Snapshot
) -> None:
    """An upload where the revision id belongs is no value at all: 422, nothing completed."""
    revision = str(reader.revisions[PLAIN]).encode()

    response = reader.client.post(
        reader.target(PLAIN),
        data={"csrf_token": reader.token, "revision_id": (io.BytesIO(revision), "id.txt")},
    )

    assert response.status_code == 422
    assert_shown(response, "revision_id", REQUIRED)
    assert_nothing_recorded(app, before)


@pytest.mark.parametrize("lesson", [PLAIN, POLICY])
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
def test_a_completion_without_this_sessions_token_is_refused(
    app: Flask, reader: Reader, before: Snapshot, lesson: str, token: str | None
) -> None:
    """A missing or foreign CSRF token is a 400 saying the form expired; nothing completed."""
    if token == "another-session":
        token = csrf_token(app.test_client(), "/login")

    response = post_form(reader.client, reader.target(lesson), reader.valid(lesson), token=token)

    assert_error_page(response, 400, CSRF_MESSAGE)
    assert_nothing_recorded(app, before)


def test_a_revision_of_another_lesson_is_taken_as_out_of_date(
    app: Flask, reader: Reader, before: Snapshot
) -> None:
    """Another lesson's revision id does not complete this one: back to the lesson, no record."""
    response = reader.post(POLICY, {"revision_id": str(reader.revisions[PLAIN])})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/learn/alpha/{POLICY}"
    assert_nothing_recorded(app, before)
