"""The marking world's fixtures (module A1, an assigned assessor, a moderator, a learner ready
to submit), shared with the certificate tests."""

from tests.marking.conftest import assessor, learner, moderator, published_marking_world

__all__ = ["assessor", "learner", "moderator", "published_marking_world"]
