"""The marking world's fixtures (module A1, an assigned assessor, a moderator, a learner ready
to submit), shared with the certificate tests, and an HR officer who keeps the register."""

import pytest

from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from tests.conftest import UserFactory
from tests.marking.conftest import assessor, learner, moderator, published_marking_world

__all__ = ["assessor", "hr", "learner", "moderator", "published_marking_world"]


@pytest.fixture
def hr(app_context: None, make_user: UserFactory) -> User:
    user = db.session.get(User, make_user(Role.HR, full_name="Lerato Molefe").id)
    assert user is not None
    return user
