"""Policy lessons over HTTP: the statement to tick, refused without it, recorded with it."""

from __future__ import annotations

import re

from flask import Flask

from tests.learning.conftest import POLICY, STATEMENT, acknowledgements, progress_row, revision_id
from tests.learning.pages import (
    Learner,
    complete,
    lesson_path,
    signed_in_learner,  # noqa: F401 - the `learner` fixture
    words,
)

TICK_THE_BOX = "Tick the box to confirm the statement before completing."


def test_a_policy_lesson_shows_its_statement_to_tick(learner: Learner) -> None:
    """The policy lesson asks for its statement to be ticked before it completes."""
    response = learner.client.get(lesson_path(POLICY))

    page = response.get_data(as_text=True)
    assert re.search(r'<input id="acknowledge" name="acknowledge" type="checkbox" value="y">', page)
    assert f'<label for="acknowledge">{STATEMENT}</label>' in page
    assert "Acknowledge and complete" in words(response)


def test_a_policy_lesson_without_the_tick_is_refused_and_nothing_recorded(
    app: Flask, learner: Learner
) -> None:
    """Without the tick: 422, the message by the box, no completion, no acknowledgement."""
    response = complete(learner.client, POLICY)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="acknowledge-error">{TICK_THE_BOX}</p>' in page
    assert re.search(rf'<a href="#acknowledge">[^<]*{TICK_THE_BOX}</a>', page)  # the summary
    assert 'aria-invalid="true"' in page
    with app.app_context():
        row = progress_row(learner.user.id, POLICY)
        assert row is not None  # opened by reading it
        assert row.completed_at is None
        assert acknowledgements() == []


def test_a_policy_lesson_with_the_tick_is_completed_and_acknowledged(
    app: Flask, learner: Learner
) -> None:
    """With the tick: completed, and the statement acknowledged from the learner's address."""
    response = complete(learner.client, POLICY, acknowledge="y")

    assert response.status_code == 303
    with app.app_context():
        row = progress_row(learner.user.id, POLICY)
        assert row is not None
        assert row.completed_at is not None
        [record] = acknowledgements()
        assert (record.user_id, record.revision_id) == (learner.user.id, revision_id(POLICY))
        assert record.statement == STATEMENT
        assert record.ip_address == "127.0.0.1"
    page = words(learner.client.get(lesson_path(POLICY)))
    assert "You completed this lesson on" in page
    assert "Acknowledge and complete" not in page
