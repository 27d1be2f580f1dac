"""Lessons that change while or after they are read, as the learner's pages show them."""

from __future__ import annotations

from flask import Flask

from tests.learning.conftest import (
    FIRST,
    MODULE,
    POLICY,
    SECOND,
    Programme,
    acknowledgements,
    completed_count,
    progress_row,
    revision_id,
)
from tests.learning.pages import (
    Learner,
    complete,
    completion_form,
    lesson_path,
    lesson_states,
    location,
    signed_in_learner,  # noqa: F401 - the `learner` fixture
    words,
)

UPDATED_WHILE_READING = (
    "This lesson was updated while you were reading it. Please read the new version."
)


def test_a_stale_revision_sends_the_learner_back_to_read_the_update(
    app: Flask, programme: Programme, learner: Learner
) -> None:
    """Completing the revision opened before an update redirects to it with a notice."""
    form = completion_form(learner.client, FIRST)
    programme.lesson(FIRST).body = "Changed while the learner was reading."
    programme.publish()

    response = learner.client.post(f"{lesson_path(FIRST)}/complete", data=form)

    assert response.status_code == 303
    assert location(response) == lesson_path(FIRST)
    with app.app_context():
        assert completed_count() == 0
    again = learner.client.get(location(response))
    assert UPDATED_WHILE_READING in words(again)
    assert "Changed while the learner was reading." in words(again)


def test_an_updated_lesson_says_so_and_can_be_confirmed(
    app: Flask, programme: Programme, learner: Learner
) -> None:
    """After a content change the lesson says "Updated since you read it"; confirming clears it."""
    complete(learner.client, SECOND)
    with app.app_context():
        first_completion = progress_row(learner.user.id, SECOND)
        assert first_completion is not None
    programme.lesson(SECOND).body = "## Greeting\nSay hello and give your name.\n"
    programme.publish()

    module_page = learner.client.get(f"/learn/{MODULE}")
    lesson_page = learner.client.get(lesson_path(SECOND))
    confirmed = complete(learner.client, SECOND)

    assert lesson_states(module_page)["On the phone"] == "Done + Updated since you read it"
    text = words(lesson_page)
    assert "Updated since you read it. This lesson changed after you completed it" in text
    assert "I have read the updated lesson" in text
    assert confirmed.status_code == 303
    with app.app_context():
        row = progress_row(learner.user.id, SECOND)
        assert row is not None
        assert row.completed_revision_id == revision_id(SECOND)
        assert row.completed_at == first_completion.completed_at
    after = words(learner.client.get(lesson_path(SECOND)))
    assert "Updated since you read it" not in after
    assert "I have read the updated lesson" not in after


def test_an_order_only_change_is_not_shown_as_an_update(
    programme: Programme, learner: Learner
) -> None:
    """Moving a completed lesson does not tell the learner it changed."""
    complete(learner.client, FIRST)
    module = programme.module()
    module.lessons = [module.lessons[1], module.lessons[0], *module.lessons[2:]]
    programme.publish()

    response = learner.client.get(lesson_path(FIRST))

    assert "Lesson 2 of 3" in words(response)
    assert "Updated since you read it" not in words(response)
    assert "You completed this lesson on" in words(response)


def test_an_updated_policy_asks_for_the_new_version_to_be_acknowledged(
    app: Flask, programme: Programme, learner: Learner
) -> None:
    """A changed policy shows the tick box again; ticking adds a second acknowledgement."""
    complete(learner.client, POLICY, acknowledge="y")
    programme.lesson(POLICY).body = "Breaks are now taken in the quiet room."
    programme.publish()

    page = words(learner.client.get(lesson_path(POLICY)))
    response = complete(learner.client, POLICY, acknowledge="y")

    assert "and confirm the new version below" in page
    assert "Acknowledge and complete" in page
    assert response.status_code == 303
    with app.app_context():
        old, new = acknowledgements(learner.user.id)
        assert old.revision_id != new.revision_id == revision_id(POLICY)
