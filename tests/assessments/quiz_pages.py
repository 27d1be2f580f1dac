"""Driving the quiz pages as a signed-in learner, without JavaScript, and reading what they show.

Every step goes through HTTP as a browser's plain form posts would; what the database holds is
read afterwards in its own app context, as plain values, so no session is shared with a request.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lms.assessments import attempts, services
from lms.assessments.models import Attempt
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.extensions import db
from tests.conftest import UserFactory, csrf_token, sign_in
from tests.quiz_files import (
    RIGHT_ANSWERS_UNSHUFFLED,
    QuizWorld,
    finish_lessons,
    quiz_world,
    summative_quiz,
)

MODULE_SLUG = "alpha"  # sample_module()'s folder is 01-alpha
KNOWLEDGE_CHECK, SUMMATIVE = "knowledge-check", "summative"

# A form's values: one string, or a list of strings for a field sent several times.
Answers = Mapping[str, str | Sequence[str]]

# Every answer of KNOWLEDGE_CHECK_GIFT right, as its form sends them. Unshuffled, a matching
# question lists its answers alphabetically: 1 the average handle time, 2 the phone menu,
# 3 the queue's router.
RIGHT_ANSWERS: dict[str, str | Sequence[str]] = {
    **RIGHT_ANSWERS_UNSHUFFLED,
    "q6-0": "2",
    "q6-1": "3",
    "q6-2": "1",
}
# Every answer wrong: 0 of 6 points.
WRONG_ANSWERS: dict[str, str | Sequence[str]] = {
    "q1": "2",
    "q2": "3",
    "q3": "false",
    "q4": "nothing like it",
    "q5": "12",
    "q6-0": "1",
    "q6-1": "1",
    "q6-2": "2",
}


# A knowledge check whose every secret is a marker beginning "ZQX", found in no question text:
# per-answer and general feedback, and the accepted short answer. The numerical key 48213.5 is
# a marker too (the learner answers 48213.4, inside its tolerance).
SECRET_GIFT = """\
$CATEGORY: Secrets

::pick-one::Which colour is the sky on a clear day?
{=blue#ZQX-ONE-BLUE ~green#ZQX-ONE-GREEN ~red#ZQX-ONE-RED ####ZQX-ONE-GENERAL}

::pick-many::Which of these are fruit?
{
~%50%apple#ZQX-MANY-APPLE
~%50%pear#ZQX-MANY-PEAR
~%-100%carrot#ZQX-MANY-CARROT
####ZQX-MANY-GENERAL
}

::true-false::Water boils at 100 °C at sea level.
{T#ZQX-TF-IF-FALSE#ZQX-TF-IF-TRUE ####ZQX-TF-GENERAL}

::short::What is the name of the stage where you confirm who is calling?
{=zqxverify#ZQX-SHORT-FULL =%50%checking#ZQX-SHORT-HALF ####ZQX-SHORT-GENERAL}

::number::Which number does the handbook give for the test line?
{#48213.5:0.25#ZQX-NUMBER-RIGHT ####ZQX-NUMBER-GENERAL}

::match::Match each term with its meaning.
{
=IVR -> the phone menu
=ACD -> the queue's router
=AHT -> the average handle time
####ZQX-MATCH-GENERAL
}
"""
SECRET_KEY_NUMBER = "48213.5"
SECRET_GUIDES = {"explain": "ZQX-GUIDE-EXPLAIN", "conduct": "ZQX-GUIDE-CONDUCT"}
# 5.5 of 6: the short answer earns half. Matching answers are listed alphabetically.
SECRET_ANSWERS: dict[str, str | Sequence[str]] = {
    "q1": "1",
    "q2": ["1", "2"],
    "q3": "true",
    "q4": "Checking",
    "q5": "48213.4",
    "q6-0": "2",
    "q6-1": "3",
    "q6-2": "1",
}
# 0 of 6: one wrong choice, the rest left blank.
SECRET_FAILING_ANSWERS: dict[str, str | Sequence[str]] = {"q1": "2"}


def publish_secrets(world: QuizWorld, **settings: object) -> None:
    """Make the knowledge check SECRET_GIFT, add a summative whose guides are markers, publish."""
    knowledge = world.quiz(KNOWLEDGE_CHECK)
    knowledge.gift = SECRET_GIFT
    knowledge.settings.update(settings)
    world.quizzes.append(summative_quiz(marking_guides=SECRET_GUIDES))
    world.publish()


@dataclass(frozen=True)
class Learner:
    user: User
    client: FlaskClient


@pytest.fixture(name="world")
def published_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """Module A1 with its knowledge check (six questions, choices unshuffled), published."""
    world = quiz_world(app, tmp_path / "programme")
    world.publish()
    return world


@pytest.fixture(name="learner")
def ready_learner(app: Flask, world: QuizWorld, make_user: UserFactory) -> Learner:
    """A signed-in learner who has done every lesson of A1, so its knowledge check is open."""
    return new_learner(app, make_user)


def new_learner(app: Flask, make_user: UserFactory, *, lessons_done: bool = True) -> Learner:
    """Another signed-in learner of the published programme."""
    user = make_user(Role.LEARNER, full_name="Quinn Quizzer")
    if lessons_done:
        finish_lessons(app, user)
    return Learner(user, sign_in(app.test_client(), user))


def republish(world: QuizWorld, slug: str = KNOWLEDGE_CHECK, **settings: object) -> None:
    """Change a quiz's settings and publish them."""
    world.quiz(slug).settings.update(settings)
    world.publish()


# Addresses ---------------------------------------------------------------------------------


def module_path(module: str = MODULE_SLUG) -> str:
    return f"/learn/{module}"


def quiz_path(slug: str = KNOWLEDGE_CHECK, module: str = MODULE_SLUG) -> str:
    return f"/quizzes/{module}/{slug}"


def attempt_path(attempt_id: int | str, action: str = "") -> str:
    """`/attempts/<id>`, or one of its actions: "autosave", "finish", "submit", "review"."""
    return f"/attempts/{attempt_id}" + (f"/{action}" if action else "")


def location(response: TestResponse) -> str:
    return response.headers["Location"]


# Steps -------------------------------------------------------------------------------------


def token(client: FlaskClient) -> str:
    """The client's CSRF token (every signed-in page carries one, in the sign-out form)."""
    return csrf_token(client, module_path())


def start(client: FlaskClient, slug: str = KNOWLEDGE_CHECK) -> TestResponse:
    """Press "Start" on the quiz page."""
    return client.post(f"{quiz_path(slug)}/start", data={"csrf_token": token(client)})


def start_attempt(client: FlaskClient, slug: str = KNOWLEDGE_CHECK) -> int:
    """Press "Start" and return the id of the attempt it opened."""
    response = start(client, slug)
    assert response.status_code == 303, response.status_code
    found = re.match(r"^/attempts/(\d+)\?page=\d+$", location(response))
    assert found, f"start led to {location(response)}"
    return int(found.group(1))


def post_page(
    client: FlaskClient,
    attempt_id: int,
    *,
    page: int | str,
    go: str,
    answers: Answers | None = None,
    action: str = "",
) -> TestResponse:
    """Press a button of an attempt page: save the page's answers and go somewhere."""
    fields: dict[str, Any] = {"csrf_token": token(client), "page": str(page), "go": go}
    return client.post(attempt_path(attempt_id, action), data={**fields, **(answers or {})})


def answers_on(page: int, answers: Answers) -> dict[str, str | Sequence[str]]:
    """The answers of a one-per-page layout's page `page` (question `page` and its rows)."""
    field = f"q{page}"
    return {name: value for name, value in answers.items() if name.split("-")[0] == field}


def submit(client: FlaskClient, attempt_id: int) -> TestResponse:
    """Press "Submit all and finish" on the summary page."""
    return client.post(attempt_path(attempt_id, "submit"), data={"csrf_token": token(client)})


def take(client: FlaskClient, answers: Answers, slug: str = KNOWLEDGE_CHECK) -> int:
    """Start an attempt, answer it page by page (or all at once on one page), and submit it."""
    attempt_id = start_attempt(client, slug)
    pages = page_count(client.get(attempt_path(attempt_id)))
    for page in range(1, pages + 1):
        shown = answers if pages == 1 else answers_on(page, answers)
        saved = post_page(client, attempt_id, page=page, go="next", answers=shown)
        assert saved.status_code == 303, saved.status_code
    assert submit(client, attempt_id).status_code == 303
    return attempt_id


def start_in_the_past(
    app: Flask, user: User, started_at: datetime, slug: str = KNOWLEDGE_CHECK
) -> int:
    """Begin an attempt as "Start" would have at `started_at`; return its id."""
    with app.app_context():
        learner = db.session.get(User, user.id)
        assert learner is not None
        module_id = db.session.scalar(select(Module.id).where(Module.slug == MODULE_SLUG))
        assert module_id is not None
        statuses = services.statuses_for(
            learner, services.quizzes_of_module(module_id), lessons_done=True
        )
        status = next(status for status in statuses if status.quiz.slug == slug)
        attempt = attempts.start_attempt(learner, status, now=started_at)
        db.session.commit()
        return attempt.id


# What the pages show -----------------------------------------------------------------------


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def words(response: TestResponse) -> str:
    """The page's text as read: tags dropped, entities decoded, white space made one space."""
    text = re.sub(r"<[^>]+>", " ", text_of(response))
    return " ".join(html.unescape(text).split())


def flashes(response: TestResponse) -> list[str]:
    """The flash messages a page shows."""
    found = re.findall(r'<p class="flash[^"]*">(.*?)</p>', text_of(response), re.S)
    return [html.unescape(message).strip() for message in found]


def errors(response: TestResponse) -> list[str]:
    """The messages of the page's error summary."""
    summary = re.search(r'<div class="error-summary".*?<ul>(.*?)</ul>', text_of(response), re.S)
    if summary is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def checked(response: TestResponse, field: str) -> list[str]:
    """The values of the radio buttons or checkboxes named `field` that are checked."""
    pattern = rf'<input type="(?:radio|checkbox)" name="{field}" [^>]*value="([^"]*)"([^>]*)>'
    return [value for value, rest in re.findall(pattern, text_of(response)) if "checked" in rest]


def page_count(response: TestResponse) -> int:
    """How many pages the attempt has, as its page says ("page 1 of 6"; one if it says none)."""
    found = re.search(r"· page \d+ of (\d+)", text_of(response))
    return int(found.group(1)) if found else 1


def question_headings(response: TestResponse) -> list[str]:
    """The "Question N" headings on the page, in order."""
    return re.findall(r'<h2 class="question-number"[^>]*>(Question \d+)</h2>', text_of(response))


def attempt_rows(response: TestResponse) -> list[str]:
    """The words of each row of the quiz page's table of attempts, newest first."""
    table = re.search(r"<tbody>(.*?)</tbody>", text_of(response), re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S) if table else []
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def without_tokens(response: TestResponse) -> str:
    """The page's HTML with CSRF token values blanked (random text could hold any marker)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', text_of(response))


# What the database holds -------------------------------------------------------------------


@dataclass(frozen=True)
class StoredAttempt:
    """An attempt's row and its answers by position, as plain values."""

    id: int
    number: int
    state: str
    page: int
    auto_submitted: bool
    submitted_at: datetime | None
    last_saved_at: datetime | None
    percent: float | None
    passed: bool | None
    answers: dict[int, Any]


def _stored(attempt: Attempt) -> StoredAttempt:
    return StoredAttempt(
        id=attempt.id,
        number=attempt.number,
        state=attempt.state.value,
        page=attempt.page,
        auto_submitted=attempt.auto_submitted,
        submitted_at=attempt.submitted_at,
        last_saved_at=attempt.last_saved_at,
        percent=attempt.percent,
        passed=attempt.passed,
        answers={response.position: response.answer for response in attempt.responses},
    )


def submissions_recorded(app: Flask, attempt_id: int) -> int:
    """How many "attempt.submitted" audit events name the attempt."""
    with app.app_context():
        query = select(func.count()).where(
            AuditEvent.action == "attempt.submitted",
            AuditEvent.object_type == "attempts",
            AuditEvent.object_id == str(attempt_id),
        )
        count = db.session.scalar(query) or 0
        db.session.remove()
    return count


def stored_attempts(app: Flask, user: User) -> list[StoredAttempt]:
    """Every attempt of `user`, oldest first."""
    with app.app_context():
        query = select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id)
        found = [_stored(attempt) for attempt in db.session.scalars(query)]
        db.session.remove()
    return found


def stored_attempt(app: Flask, attempt_id: int) -> StoredAttempt:
    """One attempt as it stands in the database."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None, f"no attempt {attempt_id}"
        found = _stored(attempt)
        db.session.remove()
    return found
