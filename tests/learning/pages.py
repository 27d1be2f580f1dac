"""Driving the learner's pages as a signed-in learner, and reading what they show."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.auth.models import User
from lms.auth.roles import Role
from tests.conftest import UserFactory, sign_in
from tests.learning.conftest import MODULE, Programme


@dataclass(frozen=True)
class Learner:
    user: User
    client: FlaskClient


@pytest.fixture(name="learner")
def signed_in_learner(app: Flask, programme: Programme, make_user: UserFactory) -> Learner:
    """A signed-in learner of the published sample module."""
    user = make_user(Role.LEARNER, full_name="Lee Learner")
    return Learner(user, sign_in(app.test_client(), user))


def lesson_path(lesson: str, module: str = MODULE) -> str:
    return f"/learn/{module}/{lesson}"


def words(response: TestResponse) -> str:
    """The page's text as read: tags dropped, entities decoded, white space made one space."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def completion_form(client: FlaskClient, lesson: str, module: str = MODULE) -> dict[str, str]:
    """Open the lesson's page and return what its completion form posts as it stands."""
    response = client.get(lesson_path(lesson, module))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    revision = re.search(r'name="revision_id"[^>]*value="(\d+)"', page)
    assert token and revision, f"no completion form on {lesson}"
    return {"csrf_token": token.group(1), "revision_id": revision.group(1)}


def complete(client: FlaskClient, lesson: str, module: str = MODULE, **extra: str) -> TestResponse:
    """Open the lesson and press its completion button, with any extra fields."""
    fields = {**completion_form(client, lesson, module), **extra}
    return client.post(f"{lesson_path(lesson, module)}/complete", data=fields)


def progress_bar(response: TestResponse, element_id: str) -> int:
    """The value of the `<progress>` bar with this id."""
    page = response.get_data(as_text=True)
    found = re.search(
        rf'<progress class="progress" id="{element_id}" max="100" value="(\d+)"', page
    )
    assert found, f"no progress bar {element_id}"
    return int(found.group(1))


def module_cards(response: TestResponse) -> dict[str, str]:
    """Each module card's text, by the module's link."""
    page = response.get_data(as_text=True)
    cards = re.findall(r'<li class="card module-card">(.*?)</li>', page, re.S)
    found = {}
    for card in cards:
        link = re.search(r'href="(/learn/[^"]+)"', card)
        assert link
        found[link.group(1)] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())
    return found


def lesson_states(response: TestResponse) -> dict[str, str]:
    """Each lesson of the module page by title: its badges' words, "(no link)" if not linked."""
    page = response.get_data(as_text=True)
    listing = re.search(r'<ol class="lesson-list">(.*?)</ol>', page, re.S)
    assert listing
    states = {}
    for item in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S):
        item = item.strip()
        name = re.match(r'<(a|span) class="lesson-name"[^>]*>(.*?)</', item)
        assert name
        badges = re.findall(
            r'<span class="badge [^"]+">((?:<span[^>]*>[^<]*</span>)?[^<]*)</span>', item
        )
        shown = " + ".join(re.sub(r"<[^>]+>[^<]*</span>", "", badge) for badge in badges)
        states[html.unescape(name.group(2))] = shown + (
            "" if name.group(1) == "a" else " (no link)"
        )
    return states


def location(response: TestResponse) -> str:
    return response.headers["Location"]
