"""Steps the dashboard tests share: a programme of two modules (A1 with its knowledge check and
a two-essay summative, B2 with a summative alone), cohorts with chosen due dates, learners at
chosen stages, the dashboards' clock held still, and pages read as words.

Steps run in the test's session (the `app_context` fixture) and commit as a request would.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.assessments import attempts, services
from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort, Membership
from lms.content.models import Module
from lms.extensions import db
from lms.marking.models import Verdict
from tests.assessments.attempt_steps import save, submit
from tests.conftest import UserFactory
from tests.content_files import sample_module
from tests.marking.marking_steps import ESSAYS, NOW, finalise, marking_world, submit_summative
from tests.quiz_files import QuizWorld, summative_quiz

__all__ = ["NOW"]

C = Verdict.COMPETENT
BOTH_COMPETENT = {"A1-LO1": C, "A1-LO2": C}


def two_module_world(app: Flask, root: Path) -> QuizWorld:
    """The marking world's A1, and B2 ("beta") whose summative needs no knowledge check."""
    world = marking_world(app, root)
    world.modules.append(sample_module("02-beta", "B2", title="Beta module", order=2))
    world.quizzes.append(summative_quiz("B2"))
    world.publish()
    return world


def module_id(code: str) -> int:
    found = db.session.scalar(select(Module.id).where(Module.code == code))
    assert found is not None
    return found


def person(make_user: UserFactory, *roles: Role, full_name: str = "Test Person") -> User:
    """A committed user in the test's session."""
    user = db.session.get(User, make_user(*roles, full_name=full_name).id)
    assert user is not None
    return user


def make_cohort(trainer: User, name: str, start: date, due: dict[str, int | date | None]) -> Cohort:
    """A cohort taking the modules named by code, each due on day N, on a date, or never."""
    plans = tuple(
        cohorts.ModulePlan(
            module_id(code),
            due_day=when if isinstance(when, int) else None,
            due_on=when if isinstance(when, date) else None,
        )
        for code, when in due.items()
    )
    details = cohorts.CohortDetails(name=name, start_date=start, modules=plans)
    cohort = cohorts.create_cohort(details, actor=trainer)
    db.session.commit()
    return cohort


def enrol(cohort: Cohort, trainer: User, *learners: User) -> list[Membership]:
    made = [cohorts.enrol(cohort, learner, actor=trainer, now=NOW) for learner in learners]
    db.session.commit()
    return made


def submit_in_beta(learner: User, *, at: datetime = NOW) -> Attempt:
    """Start, answer and submit B2's summative (its lessons must be done)."""
    quizzes = services.quizzes_of_module(module_id("B2"))
    status = services.statuses_for(learner, quizzes, lessons_done=True)[0]
    attempt = attempts.start_attempt(learner, status, now=at, seed=7)
    db.session.commit()
    save(attempt, ESSAYS, at=at)
    submit(attempt, at=at)
    return attempt


def competent_in_a1(learner: User, assessor: User, *, at: datetime = NOW) -> None:
    """Submit A1's summative and have both outcomes judged Competent (released at once when
    sampling is off)."""
    finalise(assessor, submit_summative(learner, at=at), BOTH_COMPETENT, at=at)


def hold_the_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """The dashboards read `at` as the time now."""
    monkeypatch.setattr("lms.dashboards.routes.utcnow", lambda: at)


def words(response: TestResponse) -> str:
    """The page as read: tags dropped, entities decoded, white space made one space."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def section(response: TestResponse, heading_id: str) -> str:
    """The words of the `<section>` labelled by the heading with this id."""
    page = response.get_data(as_text=True)
    found = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert found, f"no section {heading_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def table_rows(response: TestResponse, caption_id: str) -> dict[str, str]:
    """Each body row's words of the table with this caption id, by its row heading's words."""
    page = response.get_data(as_text=True)
    table = re.search(rf'<caption id="{caption_id}">.*?</table>', page, re.S)
    assert table, f"no table {caption_id}"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            key = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", head.group(1))).split())
            rows[key] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
    return rows


def module_cards(response: TestResponse) -> dict[str, str]:
    """Each module card's words as a screen reader gives them, by the module's link."""
    page = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", response.get_data(as_text=True))
    cards = {}
    for card in re.findall(r'<li class="card module-card[^"]*">(.*?)</li>', page, re.S):
        link = re.search(r'href="(/learn/[^"/]+)"', card)
        if link:
            cards[link.group(1)] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())
    return cards


def progress_bar(response: TestResponse, element_id: str) -> int:
    """The value of the `<progress>` bar with this id."""
    page = response.get_data(as_text=True)
    found = re.search(
        rf'<progress class="progress" id="{element_id}" max="100" value="(\d+)"', page
    )
    assert found, f"no progress bar {element_id}"
    return int(found.group(1))
