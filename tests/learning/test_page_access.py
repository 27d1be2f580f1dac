"""What the learner pages refuse: locked, unknown or retired lessons, other roles, others' data."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.auth.roles import Role
from tests.conftest import UserFactory, sign_in
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
    second_module,
)
from tests.learning.pages import (
    Learner,
    complete,
    completion_form,
    lesson_path,
    lesson_states,
    module_cards,
    progress_bar,
    signed_in_learner,  # noqa: F401 - the `learner` fixture
    words,
)

# Locks, unknown and retired lessons


@pytest.fixture
def in_order(programme: Programme) -> Programme:
    programme.module().lessons_in_order = True
    programme.publish()
    return programme


def test_a_locked_lesson_answers_403_naming_the_lesson_to_finish(
    app: Flask, in_order: Programme, learner: Learner
) -> None:
    """Opening a later lesson first is a 403 that says which lesson to finish, and links it."""
    response = learner.client.get(lesson_path(SECOND))

    assert response.status_code == 403
    text = words(response)
    assert "“On the phone” is not open yet" in text
    assert "Finish “First steps” first, and this lesson will open." in text
    assert f'href="{lesson_path(FIRST)}"' in response.get_data(as_text=True)
    with app.app_context():
        assert progress_row(learner.user.id, SECOND) is None


def test_completing_a_locked_lesson_answers_403_and_records_nothing(
    app: Flask, in_order: Programme, learner: Learner
) -> None:
    """Posting "complete" to a later lesson first is the same 403; nothing is stored."""
    token = completion_form(learner.client, FIRST)["csrf_token"]
    with app.app_context():
        locked_revision = revision_id(SECOND)

    response = learner.client.post(
        f"{lesson_path(SECOND)}/complete",
        data={"csrf_token": token, "revision_id": str(locked_revision)},
    )

    assert response.status_code == 403
    assert "Finish “First steps” first" in words(response)
    with app.app_context():
        assert progress_row(learner.user.id, SECOND) is None
        assert completed_count() == 0


@pytest.mark.parametrize(
    "path", ["/learn/no-such-module", f"/learn/no-such-module/{FIRST}", "/learn/beta"]
)
def test_an_unknown_module_is_404(learner: Learner, path: str) -> None:
    """A module slug that names nothing the learner studies is 404, module or lesson."""
    assert learner.client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("module", "lesson"),
    [("no-such-module", FIRST), (MODULE, "no-such-lesson"), ("beta", FIRST)],
)
def test_an_unknown_lesson_is_404_to_read_or_to_complete(
    app: Flask, learner: Learner, module: str, lesson: str
) -> None:
    """A lesson slug that names nothing the learner studies is 404, and nothing is completed."""
    form = completion_form(learner.client, FIRST)

    read = learner.client.get(lesson_path(lesson, module))
    posted = learner.client.post(f"{lesson_path(lesson, module)}/complete", data=form)

    assert read.status_code == 404
    assert posted.status_code == 404
    with app.app_context():
        assert completed_count() == 0


def test_a_retired_lesson_is_404(app: Flask, programme: Programme, learner: Learner) -> None:
    """A lesson removed from the content is 404, to read or to complete from a page left open."""
    form = completion_form(learner.client, SECOND)
    programme.remove_lesson(SECOND)
    programme.publish()

    read = learner.client.get(lesson_path(SECOND))
    posted = learner.client.post(f"{lesson_path(SECOND)}/complete", data=form)

    assert read.status_code == 404
    assert posted.status_code == 404
    with app.app_context():
        assert completed_count() == 0
    assert "Lesson 2 of 2" in words(learner.client.get(lesson_path(POLICY)))


def test_a_retired_module_is_404(programme: Programme, learner: Learner) -> None:
    """A module removed from the content leaves the catalogue and its pages are 404."""
    programme.modules.append(second_module())
    programme.remove_module("A1")
    programme.publish()

    assert learner.client.get(f"/learn/{MODULE}").status_code == 404
    assert learner.client.get(lesson_path(FIRST)).status_code == 404
    assert list(module_cards(learner.client.get("/learn/"))) == ["/learn/beta"]


# Who sees what


def test_other_roles_cannot_open_the_learner_pages(
    programme: Programme, make_user: UserFactory, app: Flask
) -> None:
    """A trainer is refused the catalogue and lessons with 403 (the access matrix has the rest)."""
    client = sign_in(app.test_client(), make_user(Role.TRAINER))

    assert client.get("/learn/").status_code == 403
    assert client.get(lesson_path(FIRST)).status_code == 403


def test_a_learner_never_sees_another_learners_progress(
    app: Flask, learner: Learner, make_user: UserFactory
) -> None:
    """Two learners' progress is kept apart: one's completions never show for the other."""
    other = Learner(user := make_user(Role.LEARNER), sign_in(app.test_client(), user))
    complete(learner.client, FIRST)
    complete(learner.client, POLICY, acknowledge="y")
    other.client.get(lesson_path(SECOND))

    mine = learner.client.get(f"/learn/{MODULE}")
    theirs = other.client.get(f"/learn/{MODULE}")

    assert lesson_states(mine) == {
        "First steps": "Done",
        "On the phone": "Not started",
        "Code of conduct": "Done",
    }
    assert lesson_states(theirs) == {
        "First steps": "Not started",
        "On the phone": "In progress",
        "Code of conduct": "Not started",
    }
    assert progress_bar(learner.client.get("/learn/"), f"progress-{MODULE}") == 67
    assert progress_bar(other.client.get("/learn/"), f"progress-{MODULE}") == 0
    assert "Acknowledge and complete" in words(other.client.get(lesson_path(POLICY)))
    with app.app_context():
        assert [a.user_id for a in acknowledgements()] == [learner.user.id]
