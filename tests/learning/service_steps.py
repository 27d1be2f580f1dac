"""A learner's steps taken straight through the progress services, in the test's session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.learning import services
from lms.learning.models import LessonProgress
from lms.learning.services import LessonStatus, ModuleProgress
from tests.conftest import UserFactory
from tests.learning.conftest import MODULE, NOW, Programme

LATER = NOW + timedelta(hours=1)
NEXT_DAY = NOW + timedelta(days=1)
ADDRESS = "203.0.113.7"


@pytest.fixture(name="learner")
def learner_in_session(
    app_context: None, programme: Programme, make_user: UserFactory
) -> Iterator[User]:
    """A learner of the published sample module, loaded into the test's session."""
    user = db.session.get(User, make_user(Role.LEARNER).id)
    assert user is not None
    yield user
    db.session.rollback()


def republish(programme: Programme) -> None:
    """Publish the changed programme outside the test's transaction, then read it afresh."""
    db.session.commit()
    programme.publish()
    db.session.expire_all()


def module_progress(user: User, slug: str = MODULE) -> ModuleProgress:
    module = services.find_enrolled_module(user, slug)
    assert module is not None
    return services.progress_in(user, [module])[0]


def status_of(user: User, lesson_slug: str, module_slug: str = MODULE) -> LessonStatus:
    status = module_progress(user, module_slug).find(lesson_slug)
    assert status is not None
    return status


def open_(user: User, lesson_slug: str, *, at: datetime, module_slug: str = MODULE) -> None:
    """Open the lesson as its page does, and commit."""
    services.open_lesson(user, status_of(user, lesson_slug, module_slug), now=at)
    db.session.commit()


def complete(
    user: User,
    lesson_slug: str,
    *,
    at: datetime = NOW,
    acknowledged: bool = False,
    module_slug: str = MODULE,
) -> LessonProgress:
    """Complete the lesson's current revision, as "Mark as complete" does, and commit."""
    status = status_of(user, lesson_slug, module_slug)
    progress = services.complete_lesson(
        user,
        status,
        revision_id=status.revision.id,
        acknowledged=acknowledged,
        now=at,
        ip_address=ADDRESS,
    )
    db.session.commit()
    return progress


def progress_rows(user: User) -> list[LessonProgress]:
    query = select(LessonProgress).where(LessonProgress.user_id == user.id)
    return list(db.session.scalars(query.order_by(LessonProgress.id)))
