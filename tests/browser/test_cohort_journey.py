"""The cohort journey in a browser: a trainer creates an intake cohort and enrols it from a CSV
file, a learner completes the module, the trainer's matrix and completion chart change, and HR
exports the completion records as XLSX, which opens with the right rows.

Then every page the cohorts brought passes axe on a desktop and on a 360-pixel phone.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.content.models import Module
from lms.extensions import db
from tests.browser.conftest import PageFactory
from tests.browser.marking_world import MODULE, Cast, Stage, bring_to, journey_cast
from tests.browser.test_marking_journey import check_screens, signed_in
from tests.conftest import UserFactory

pytestmark = pytest.mark.browser

COHORT = "Vela Mobile, March intake"
NEW_HIRE = ("lwazi.ngcobo@example.com", "Lwazi", "Ngcobo", "VM-2041")


@pytest.fixture(name="cast")
def people_of_the_journey(app: Flask, tmp_path: Path, make_user: UserFactory) -> Cast:
    return journey_cast(app, tmp_path / "programme", make_user)


def trainer_creates_the_cohort(page: Page) -> None:
    page.goto("/cohorts/")
    page.get_by_role("link", name="New cohort").first.click()
    page.get_by_label("Name").fill(COHORT)
    page.get_by_label("Client account or line of business (optional)").fill("Vela Mobile")
    page.get_by_label("Start date").fill(date.today().isoformat())
    page.get_by_label(f"Include A1 {MODULE}").check()
    page.get_by_label("A1 due").fill("day 3")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT)


def trainer_enrols_from_a_csv_file(page: Page, learner: User, folder: Path) -> None:
    """The journey's learner already has an account; the new hire gets one."""
    roster = folder / "march-intake.csv"
    lines = ["Email,First name,Last name,Employee number", f"{learner.email},Thandi,Mokoena,"]
    roster.write_text("\n".join([*lines, ",".join(NEW_HIRE)]) + "\n", encoding="utf-8")
    page.get_by_role("link", name="Upload a CSV file").click()
    page.get_by_label("CSV file").set_input_files(roster)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Preview of march-intake.csv")).to_be_visible()
    page.get_by_role("button", name="Import 2 learners").click()
    learners = page.get_by_role("region", name="Learners", exact=True)
    expect(learners).to_contain_text("Thandi Mokoena")
    expect(learners).to_contain_text("Lwazi Ngcobo")


def matrix_row(page: Page, learner: str) -> str:
    matrix = page.get_by_role("table", name=re.compile("Each learner's stage"))
    return matrix.get_by_role("row").filter(has_text=learner).inner_text()


def completion_chart(page: Page) -> str:
    chart = page.locator("section", has=page.get_by_role("heading", name="Completion over time"))
    return chart.locator("svg").first.evaluate("svg => svg.outerHTML")


def floor_ready(page: Page) -> str:
    section = page.locator("section", has=page.get_by_role("heading", name="Floor readiness"))
    return section.locator("p").first.inner_text()


def hr_exports_the_records_as_xlsx(page: Page) -> list[tuple[object, ...]]:
    page.goto("/records/")
    page.get_by_label("Cohort").select_option(label=COHORT)
    page.get_by_role("button", name="Filter").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    return list(workbook.active.iter_rows(values_only=True))


def test_a_trainer_runs_an_intake_and_hr_exports_its_records(
    app: Flask, new_page: PageFactory, cast: Cast, make_user: UserFactory, tmp_path: Path
) -> None:
    trainer = make_user(Role.TRAINER, full_name="Sipho Ndlovu")
    page = signed_in(new_page, trainer)
    trainer_creates_the_cohort(page)
    trainer_enrols_from_a_csv_file(page, cast.learner, tmp_path)

    page.get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT)
    assert "Knowledge check passed" in matrix_row(page, "Thandi Mokoena")
    assert "Not started" in matrix_row(page, "Lwazi Ngcobo")
    before = completion_chart(page)
    assert floor_ready(page).startswith("0 of 2")

    bring_to(app, cast, Stage.ACHIEVED)  # judged Competent on every outcome, confirmed

    page.reload()
    assert re.search(r"Competent|Certified", matrix_row(page, "Thandi Mokoena"))
    assert completion_chart(page) != before
    assert floor_ready(page).startswith("1 of 2")

    rows = hr_exports_the_records_as_xlsx(signed_in(new_page, make_user(Role.HR)))
    header, *records = rows
    by_email = {row[header.index("Email")]: row for row in records}
    assert set(by_email) == {cast.learner.email, NEW_HIRE[0]}
    status = header.index("Stage")
    assert by_email[cast.learner.email][status] in ("Competent", "Certified")
    assert by_email[NEW_HIRE[0]][status] == "Not started"
    assert by_email[NEW_HIRE[0]][header.index("Employee number")] == NEW_HIRE[3]
    assert {row[header.index("Cohort")] for row in records} == {COHORT}


COHORT_SCREENS = [
    pytest.param(Role.TRAINER, "/cohorts/", "Cohorts", id="cohorts"),
    pytest.param(Role.TRAINER, "/cohorts/new", "New cohort", id="new-cohort"),
    pytest.param(Role.TRAINER, "/cohorts/{cohort}", COHORT, id="cohort"),
    pytest.param(Role.TRAINER, "/cohorts/{cohort}/import", "CSV", id="import"),
    pytest.param(Role.TRAINER, "/cohorts/{cohort}/progress", "Floor readiness", id="progress"),
    pytest.param(Role.TRAINER, "/dashboard/trainer", COHORT, id="trainer-dashboard"),
    pytest.param(Role.LEARNER, "/dashboard/learner", "Due", id="learner-dashboard"),
    pytest.param(Role.LEARNER, "/records/me", "Thandi Mokoena", id="own-transcript"),
    pytest.param(Role.ASSESSOR, "/dashboard/assessor", "waiting", id="assessor-dashboard"),
    pytest.param(Role.MODERATOR, "/dashboard/moderator", "appeals", id="moderator-dashboard"),
    pytest.param(Role.HR, "/dashboard/hr", COHORT, id="hr-dashboard"),
    pytest.param(Role.HR, "/records/", "Thandi Mokoena", id="records"),
    pytest.param(Role.HR, "/records/learners/{learner}", "Thandi Mokoena", id="transcript"),
]


@pytest.mark.parametrize(("role", "path", "text"), COHORT_SCREENS)
def test_the_cohort_pages_pass_axe_on_a_desktop_and_a_phone(
    app: Flask,
    new_page: PageFactory,
    cast: Cast,
    make_user: UserFactory,
    role: Role,
    path: str,
    text: str,
) -> None:
    trainer = make_user(Role.TRAINER, full_name="Sipho Ndlovu")
    bring_to(app, cast, Stage.FINALISED)
    with app.app_context():
        module = db.session.query(Module).filter_by(code="A1").one()
        details = cohorts.CohortDetails(
            name=COHORT,
            client="Vela Mobile",
            start_date=date(2026, 11, 2),
            modules=(cohorts.ModulePlan(module.id, due_day=3),),
            trainer_ids=(trainer.id,),
        )
        actor = db.session.get(User, trainer.id)
        assert actor is not None
        cohort = cohorts.create_cohort(details, actor=actor)
        learner = db.session.get(User, cast.learner.id)
        assert learner is not None
        cohorts.enrol(cohort, learner, actor=actor, now=cohort.created_at)
        db.session.commit()
        cohort_id = cohort.id
        db.session.remove()
    people = {Role.TRAINER: trainer, Role.LEARNER: cast.learner, Role.ASSESSOR: cast.assessor}
    people[Role.MODERATOR] = cast.moderator
    user = people.get(role) or make_user(role)
    page = signed_in(new_page, user)
    page.goto(path.format(cohort=cohort_id, learner=cast.learner.id))
    expect(page.get_by_role("main")).to_contain_text(text)
    check_screens(page)
