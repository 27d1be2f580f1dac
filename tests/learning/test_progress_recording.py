"""Opening and completing a lesson through the services, and the revision a completion names."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.auth.models import User
from lms.extensions import db
from lms.learning import services
from lms.learning.services import LessonState
from tests.learning.conftest import FIRST, NOW, SECOND, Programme, completed_count
from tests.learning.service_steps import (
    LATER,
    NEXT_DAY,
    complete,
    learner_in_session,  # noqa: F401 - the `learner` fixture
    open_,
    progress_rows,
    republish,
    status_of,
)

# Opening and completing


def test_opening_a_lesson_starts_it_on_the_current_revision(learner: User) -> None:
    """The first open records start and view, naming the revision read; nothing is done yet."""
    status = status_of(learner, FIRST)

    open_(learner, FIRST, at=NOW)

    [progress] = progress_rows(learner)
    assert progress.lesson_id == status.lesson.id
    assert progress.started_at == NOW
    assert progress.started_revision_id == status.revision.id
    assert progress.last_viewed_at == NOW
    assert progress.last_viewed_revision_id == status.revision.id
    assert progress.completed_at is None
    assert status_of(learner, FIRST).state is LessonState.IN_PROGRESS


def test_opening_a_lesson_again_moves_only_the_last_view(learner: User) -> None:
    """A second open keeps the one row and its start; only the last view moves."""
    open_(learner, FIRST, at=NOW)

    open_(learner, FIRST, at=LATER)

    [progress] = progress_rows(learner)
    assert progress.started_at == NOW
    assert progress.last_viewed_at == LATER
    assert progress.completed_at is None


def test_reopening_within_a_minute_writes_nothing(learner: User) -> None:
    """A reread within VIEW_RECORD_INTERVAL leaves the last view as it was."""
    open_(learner, FIRST, at=NOW)

    services.open_lesson(learner, status_of(learner, FIRST), now=NOW + timedelta(seconds=59))

    assert not db.session.dirty
    db.session.commit()
    [progress] = progress_rows(learner)
    assert progress.last_viewed_at == NOW


def test_reopening_a_new_revision_is_recorded_at_once(learner: User, programme: Programme) -> None:
    """A reread of an updated lesson is written even within the minute, naming the new revision."""
    open_(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "A new version of the text."
    republish(programme)
    status = status_of(learner, FIRST)

    open_(learner, FIRST, at=NOW + timedelta(seconds=5))

    [progress] = progress_rows(learner)
    assert progress.last_viewed_at == NOW + timedelta(seconds=5)
    assert progress.last_viewed_revision_id == status.revision.id
    assert progress.started_revision_id != status.revision.id


def test_completing_records_the_time_revision_and_content_hash(learner: User) -> None:
    """Completion names the moment, the revision read and the hash of what it said."""
    revision = status_of(learner, FIRST).revision
    open_(learner, FIRST, at=NOW)

    complete(learner, FIRST, at=LATER)

    [progress] = progress_rows(learner)
    assert progress.completed_at == LATER
    assert progress.confirmed_at == LATER
    assert progress.completed_revision_id == revision.id
    assert progress.completed_content_hash == revision.content_hash
    assert progress.started_at == NOW
    assert status_of(learner, FIRST).state is LessonState.DONE


def test_completing_an_unopened_lesson_also_starts_it(learner: User) -> None:
    """Completing a lesson never opened records its start at the same moment."""
    complete(learner, SECOND, at=NOW)

    [progress] = progress_rows(learner)
    assert progress.started_at == progress.completed_at == NOW


def test_completing_twice_keeps_the_first_completion_time(learner: User) -> None:
    """A second completion confirms again but the first completion time stays on record."""
    complete(learner, FIRST, at=NOW)

    complete(learner, FIRST, at=NEXT_DAY)

    [progress] = progress_rows(learner)
    assert progress.completed_at == NOW
    assert progress.confirmed_at == NEXT_DAY


# The revision read


def test_completing_a_revision_other_than_the_current_one_raises(
    learner: User, programme: Programme
) -> None:
    """A completion naming the revision read before an update raises RevisionChanged."""
    opened = status_of(learner, FIRST)
    open_(learner, FIRST, at=NOW)
    programme.lesson(FIRST).body = "Changed while the learner was reading."
    republish(programme)

    with pytest.raises(services.RevisionChanged):
        services.complete_lesson(
            learner,
            status_of(learner, FIRST),
            revision_id=opened.revision.id,
            acknowledged=False,
            now=LATER,
        )

    db.session.commit()
    assert completed_count() == 0


@pytest.mark.parametrize("wrong", [0, -1, 2**31, 2**63], ids=["zero", "negative", "2^31", "2^63"])
def test_completing_with_an_id_that_names_no_revision_raises(learner: User, wrong: int) -> None:
    """An id that is not the current revision's is refused before anything is written."""
    with pytest.raises(services.RevisionChanged):
        services.complete_lesson(
            learner, status_of(learner, FIRST), revision_id=wrong, acknowledged=False, now=NOW
        )

    db.session.commit()
    assert progress_rows(learner) == []
