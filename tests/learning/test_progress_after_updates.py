"""Completed lessons whose content then changes: "updated since read", but not for a move."""

from __future__ import annotations

from lms.auth.models import User
from tests.learning.conftest import FIRST, NOW, POLICY, Programme
from tests.learning.service_steps import (
    NEXT_DAY,
    complete,
    learner_in_session,  # noqa: F401 - the `learner` fixture
    module_progress,
    republish,
    status_of,
)


def swap_first_two_lessons(programme: Programme) -> None:
    module = programme.module()
    module.lessons = [module.lessons[1], module.lessons[0], *module.lessons[2:]]


def test_a_content_change_says_updated_since_read_and_keeps_the_completion(
    learner: User, programme: Programme
) -> None:
    """New text makes a new revision: the lesson stays done but says it was updated."""
    read = status_of(learner, FIRST).revision
    complete(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "The procedure has changed: read this again."

    republish(programme)

    status = status_of(learner, FIRST)
    assert status.revision.id != read.id
    assert status.revision.content_hash != read.content_hash
    assert status.done
    assert status.updated_since_read
    assert status.progress is not None
    assert status.progress.completed_at == NOW
    assert status.progress.completed_revision_id == read.id
    assert module_progress(learner).done_count == 1


def test_confirming_the_updated_lesson_clears_updated_since_read(
    learner: User, programme: Programme
) -> None:
    """Completing the new revision moves the revision and hash, not the first completion."""
    complete(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "The procedure has changed: read this again."
    republish(programme)
    current = status_of(learner, FIRST).revision

    complete(learner, FIRST, at=NEXT_DAY)

    status = status_of(learner, FIRST)
    assert not status.updated_since_read
    assert status.progress is not None
    assert status.progress.completed_at == NOW
    assert status.progress.confirmed_at == NEXT_DAY
    assert status.progress.completed_revision_id == current.id
    assert status.progress.completed_content_hash == current.content_hash


def test_an_order_only_change_is_not_an_update(learner: User, programme: Programme) -> None:
    """Moving a lesson makes a new revision with the same content hash: not "updated"."""
    read = status_of(learner, FIRST).revision
    complete(learner, FIRST, at=NOW)
    swap_first_two_lessons(programme)

    republish(programme)

    status = status_of(learner, FIRST)
    assert status.revision.id != read.id
    assert status.revision.content_hash == read.content_hash
    assert status.number == 2
    assert status.done
    assert not status.updated_since_read


def test_an_order_only_change_does_not_ask_for_the_statement_again(
    learner: User, programme: Programme
) -> None:
    """A policy lesson moved, its wording unchanged, stays acknowledged."""
    complete(learner, POLICY, at=NOW, acknowledged=True)
    module = programme.module()
    module.lessons = [module.lessons[2], *module.lessons[:2]]

    republish(programme)

    status = status_of(learner, POLICY)
    assert status.number == 1
    assert not status.updated_since_read
    assert not status.needs_acknowledgement
