"""Who reaches the records routes at all; which learners each may then see is in the other
tests (a trainer's cohorts, a learner's own transcript)."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.auth.roles import Role
from tests.conftest import UserFactory
from tests.reports.conftest import client_for, person

STAFF_PATHS = (
    "/records/",
    "/records/export.csv",
    "/records/export.xlsx",
    "/records/learners/{learner}",
    "/records/learners/{learner}/transcript.pdf",
)
LEARNER_PATHS = ("/records/me", "/records/me/transcript.pdf")


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.MODERATOR])
def test_assessors_and_moderators_are_refused(
    app: Flask, app_context: None, make_user: UserFactory, role: Role
) -> None:
    learner = person(make_user, Role.LEARNER)
    client = client_for(app, person(make_user, role))
    for path in (*STAFF_PATHS, *LEARNER_PATHS):
        assert client.get(path.format(learner=learner.id)).status_code == 403, path


def test_strangers_are_sent_to_sign_in(app: Flask, app_context: None) -> None:
    client = app.test_client()
    for path in (*STAFF_PATHS, *LEARNER_PATHS):
        response = client.get(path.format(learner=1))
        assert response.status_code == 302
        assert response.location.startswith("/login")


def test_staff_without_the_learner_role_have_no_own_transcript(
    app: Flask, app_context: None, make_user: UserFactory
) -> None:
    client = client_for(app, person(make_user, Role.HR))
    for path in LEARNER_PATHS:
        assert client.get(path).status_code == 403
