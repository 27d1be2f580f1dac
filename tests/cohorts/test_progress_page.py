"""The cohort progress page and the trainer's dashboard, as people see them: a matrix with a
key that names every stage in words, overdue marked in words too, floor readiness, the charts
with their numbers; the cohort's staff, HR and admins see it, other trainers get a 404 and
learners a 403. A trainer's dashboard lists the cohorts they run and nobody else's."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts.standing import Stage
from lms.extensions import db
from lms.notifications import notify
from tests.cohorts.progress_world import NOW, People, every_stage, people, two_module_world
from tests.marking.conftest import assessor, moderator
from tests.marking.marking_steps import as_user

__all__ = ["assessor", "moderator", "people", "two_module_world"]


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pages read the clock; here it reads NOW, 1 December 2026."""
    monkeypatch.setattr("lms.cohorts.progress_routes.utcnow", lambda: NOW)
    monkeypatch.setattr("lms.dashboards.routes.utcnow", lambda: NOW)
    yield


def words(response: TestResponse) -> str:
    """The page as read: tags dropped, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def get(app: Flask, user: User, path: str) -> TestResponse:
    return as_user(app, user).get(path)


def progress_path(cohort_id: int) -> str:
    return f"/cohorts/{cohort_id}/progress"


def test_the_matrix_page_shows_stages_in_colour_and_words(app: Flask, people: People) -> None:
    """Each cell carries its stage's colour class, its key and its name; the key lists every
    stage's key beside its name; overdue cells say so in words."""
    learners = every_stage(people)
    cohort = people.cohort("January", due_days=(5, None))
    people.enrol(cohort, *learners.values())

    response = get(app, people.trainer, progress_path(cohort.id))
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    for stage in Stage:
        assert (
            f'<dt class="stage-swatch stage-{stage.value}">{stage.short}</dt>'
            f"<dd>{html.escape(stage.label)}</dd>"
        ) in page
    assert "! overdue Past its due date and not complete" in words(response)
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page.split('id="matrix-caption"')[1])
    assert rows[:7] == [f"{n} {stage.label}" for n, stage in enumerate(Stage, start=1)]
    nyc_row = page.split(f'<th scope="row">5 {Stage.NOT_YET_COMPETENT.label}</th>')[1]
    nyc_row = nyc_row.split("</tr>")[0]
    first_cell = nyc_row.split("</td>")[0]
    assert 'class="stage-cell stage-not-yet-competent is-overdue"' in first_cell
    assert '<span class="stage-key" aria-hidden="true">NYC</span>' in first_cell
    assert "Not Yet Competent" in first_cell and "overdue" in first_cell
    assert "overdue by 4 days" in first_cell
    certified_row = page.split(f'<th scope="row">7 {Stage.CERTIFIED.label}</th>')[1]
    assert "is-overdue" not in certified_row.split("</td>")[0]
    assert "/learners/" in first_cell  # the trainer opens the learner's record from the cell


def test_the_page_lists_who_is_overdue_and_who_is_floor_ready(app: Flask, people: People) -> None:
    learners = every_stage(people)
    cohort = people.cohort("January", ("A1",), due_days=(5,))
    people.enrol(cohort, *learners.values())

    text = words(get(app, people.trainer, progress_path(cohort.id)))

    overdue = text.split("Who is overdue")[1].split("Floor readiness")[0]
    assert "1 Not started A1: 4 days overdue (due 27 Nov 2026)" in overdue
    assert "Competent" not in overdue.replace("Not Yet Competent", "")
    ready = text.split("Floor readiness")[1]
    assert "2 of 7 learners floor ready" in ready
    assert "6 Competent 01 Dec 2026" in ready and "7 Certified 01 Dec 2026" in ready
    assert "29% of modules complete" in text


def test_the_charts_come_with_their_numbers(app: Flask, people: People) -> None:
    """Both charts are images with a title, and a table beside each gives the figures."""
    cohort = people.cohort("January", ("A1",), due_days=(5,))
    people.enrol(
        cohort,
        people.learner_at(Stage.CERTIFIED, "Ann"),
        people.learner_at(Stage.IN_PROGRESS, "Ben"),
    )

    response = get(app, people.trainer, progress_path(cohort.id))
    page, text = response.get_data(as_text=True), words(response)

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" id="completion-chart"' in page
    assert 'id="stage-chart"' in page
    assert "January: modules complete over time" in page
    numbers = text.split("The numbers, day by day")[1]
    assert numbers.startswith(
        " Modules complete at the end of each day Day Complete Share 23 Nov 2026 0 of 2 0%"
    )
    assert "01 Dec 2026 1 of 2 50%" in numbers
    per_module = text.split("The numbers, module by module")[1]
    assert "A1 A module 0 1 0 0 0 0 1" in per_module
    assert "<script" not in page.split("<main")[1]  # drawn on the server, no script


def test_an_empty_cohort_and_one_yet_to_start_say_so(app: Flask, people: People) -> None:
    empty = people.cohort("Empty")
    later = people.cohort("Later", start=NOW.date().replace(month=12, day=14))
    people.enrol(later, people.learner_at(Stage.NOT_STARTED, "Early"))

    empty_text = words(get(app, people.trainer, progress_path(empty.id)))
    later_text = words(get(app, people.trainer, progress_path(later.id)))

    assert "No learners are in this cohort yet." in empty_text
    assert "0 of 0 learners floor ready" in empty_text
    assert "The cohort starts on 14 Dec 2026; the chart begins then." in later_text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own trainer", 200),
        ("other trainer", 404),
        ("cohort assessor", 200),
        ("other assessor", 404),
        ("hr", 200),
        ("admin", 200),
        ("learner", 403),
        ("moderator", 403),
    ],
)
def test_who_may_see_a_cohorts_progress(app: Flask, people: People, who: str, status: int) -> None:
    """The cohort's own staff, HR and admins; another cohort's trainer or assessor is told
    there is nothing here; learners and moderators are refused."""
    cohort_assessor = people.user(Role.ASSESSOR, "Cohort Assessor")
    cohort = people.cohort("January", assessors=(cohort_assessor,))
    people.enrol(cohort, people.learner_at(Stage.IN_PROGRESS, "Ann"))
    people.cohort("February", trainer=people.user(Role.TRAINER, "Other Trainer"))
    visitors = {
        "own trainer": people.trainer,
        "other trainer": people.user(Role.TRAINER, "Nomsa Khumalo"),
        "cohort assessor": cohort_assessor,
        "other assessor": people.assessor,
        "hr": people.hr,
        "admin": people.user(Role.ADMIN, "Ada Admin"),
        "learner": people.learner_at(Stage.NOT_STARTED, "Lebo"),
        "moderator": people.moderator,
    }

    response = get(app, visitors[who], progress_path(cohort.id))

    assert response.status_code == status
    if status == 200:
        assert "Ann" in words(response)
        links = "/learners/" in response.get_data(as_text=True)
        assert links is (who != "cohort assessor")  # an assessor reads only their modules


def test_an_unknown_cohort_is_not_found(app: Flask, people: People) -> None:
    assert get(app, people.hr, progress_path(999_999)).status_code == 404
    assert get(app, people.hr, progress_path(2**63)).status_code == 404


# --- The trainer's dashboard -----------------------------------------------------------------


def test_the_trainer_dashboard_lists_their_cohorts_only(app: Flask, people: People) -> None:
    """Each of the trainer's cohorts with its learners, share complete, overdue and floor
    ready, and a link to its progress page; another trainer's cohort is not there; the
    notifications stay."""
    january = people.cohort("January", ("A1",), due_days=(3,))
    people.cohort("Someone else's", ("A1",), trainer=people.user(Role.TRAINER, "Nomsa Khumalo"))
    people.enrol(
        january,
        people.learner_at(Stage.CERTIFIED, "Done"),
        people.learner_at(Stage.IN_PROGRESS, "Late"),
    )
    notify(people.trainer, "A learner was moved", "Ben moved to February.")
    db.session.commit()

    response = get(app, people.trainer, "/dashboard/trainer")
    page, text = response.get_data(as_text=True), words(response)

    assert response.status_code == 200
    assert "January" in text and "Someone else" not in text
    assert f'href="/cohorts/{january.id}/progress"' in page
    assert 'value="50"' in page and "50%" in text  # the bar and its figure
    assert "Learners 2 Overdue ! 1 learner Floor ready 1 of 2" in text
    assert "A learner was moved" in text
    if "cohorts.new" in app.view_functions:
        assert "New cohort" in text
    if "cohorts.detail" in app.view_functions:
        detail = app.url_map.bind("localhost").build("cohorts.detail", {"cohort_id": january.id})
        assert f'href="{detail}"' in page


def test_a_trainer_without_cohorts_is_told_so(app: Flask, people: People) -> None:
    text = words(get(app, people.trainer, "/dashboard/trainer"))

    assert "You do not run a cohort yet." in text
