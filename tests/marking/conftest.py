"""Fixtures of the marking world (see marking_steps): A1 with two outcomes, an assigned
assessor, a moderator and a learner ready to submit the summative assessment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import marking_queue
from tests.conftest import UserFactory
from tests.marking.marking_steps import marking_world, module_a1, new_learner
from tests.quiz_files import QuizWorld


@pytest.fixture(name="world")
def published_marking_world(app: Flask, tmp_path: Path) -> QuizWorld:
    return marking_world(app, tmp_path / "programme")


@pytest.fixture
def assessor(app_context: None, world: QuizWorld, make_user: UserFactory) -> Iterator[User]:
    """An assessor assigned to A1, in the test's session."""
    user = db.session.get(User, make_user(Role.ASSESSOR, full_name="Priya Naidoo").id)
    assert user is not None
    marking_queue.set_module_assessors(module_a1(), [user], actor=user)
    db.session.commit()
    yield user
    db.session.rollback()


@pytest.fixture
def moderator(app_context: None, make_user: UserFactory) -> User:
    user = db.session.get(User, make_user(Role.MODERATOR, full_name="Johan van Wyk").id)
    assert user is not None
    return user


@pytest.fixture
def learner(app_context: None, world: QuizWorld, make_user: UserFactory) -> User:
    return new_learner(world, make_user, full_name="Thandi Mokoena")
