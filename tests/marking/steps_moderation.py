"""Steps the moderation page tests share: a sampled attempt, and reading and posting pages."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.marking.models import OutcomeJudgement as Judgement
from tests.conftest import csrf_token
from tests.marking.marking_steps import NYC, C, as_user, finalise, submit_summative
from tests.marking.steps_marking import LO1, LO2


def sampled(learner: User, assessor: User) -> Attempt:
    """The learner's summative, finalised C on LO1 and NYC on LO2: both wait in the sample."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    return attempt


def page_text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def words(response: TestResponse) -> str:
    """The page as read: inline tags dropped, others a space, spaces collapsed."""
    text = re.sub(r"</?(a|code|span|strong)\b[^>]*>", "", response.get_data(as_text=True))
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def send(client: FlaskClient, path: str, fields: Mapping[str, str]) -> TestResponse:
    """Post a form as its page does, with the page's CSRF token."""
    return client.post(path, data={**fields, "csrf_token": csrf_token(client, path)})


def post_as(app: Flask, user: User, path: str, fields: Mapping[str, str]) -> TestResponse:
    return send(as_user(app, user), path, fields)


def judgement_path(judgement: Judgement) -> str:
    return f"/moderation/judgements/{judgement.id}"
