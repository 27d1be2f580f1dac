"""The completion records: which rows exist, what they say, the filters, paging and scope."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from lms.auth.models import User
from lms.cohorts import services
from lms.cohorts.standing import Stage
from lms.database import utcnow
from lms.reports.records import (
    RecordFilter,
    RecordRow,
    RecordScope,
    count_pairs,
    iter_records,
    scope_for,
)
from tests.certificates.certificate_steps import confirm_sample, judged_competent
from tests.reports.conftest import (
    TODAY,
    ZONE,
    Organisation,
    client_for,
    enrol,
    make_cohort,
)


def rows(criteria: RecordFilter | None = None, scope: RecordScope | None = None) -> list[RecordRow]:
    return list(
        iter_records(criteria or RecordFilter(), scope or RecordScope(), now=utcnow(), zone=ZONE)
    )


def keys(found: list[RecordRow]) -> list[tuple[str, str, str, str]]:
    return [(row.name, row.cohort, row.module_code, row.membership) for row in found]


def find(found: list[RecordRow], name: str, code: str) -> RecordRow:
    return next(row for row in found if row.name == name and row.module_code == code)


def listed_names(page: str) -> list[str]:
    """The learners' names in the records table, in order (one per row)."""
    return re.findall(r'<td><a href="/records/learners/\d+">([^<]+)</a>', page)


def test_every_learner_has_a_record_for_each_module_they_are_meant_to_take(
    organisation: Organisation,
) -> None:
    """Cohort learners get their cohort's modules; the never-enrolled get the programme; the
    withdrawn keep their last cohort's; rows come in learner order."""
    assert keys(rows()) == [
        ("Amahle Zulu", "Vela Wave 1", "A1", "Enrolled"),
        ("Amahle Zulu", "Vela Wave 1", "B2", "Enrolled"),
        ("Bongani Mthethwa", "Vela Wave 1", "A1", "Enrolled"),
        ("Bongani Mthethwa", "Vela Wave 1", "B2", "Enrolled"),
        ("Cebo Dlamini", "Vela Wave 1", "A1", "Withdrawn"),
        ("Cebo Dlamini", "Vela Wave 1", "B2", "Withdrawn"),
        ("Dudu Nkosi", "Self-paced", "A1", "Enrolled"),
        ("Dudu Nkosi", "Self-paced", "B2", "Enrolled"),
        ("Elias Botha", "Brightcart Wave 2", "B2", "Enrolled"),
    ]


def test_a_record_carries_the_stage_progress_due_date_and_overdue_flag(
    organisation: Organisation,
) -> None:
    found = rows()
    amahle_a1 = find(found, "Amahle Zulu", "A1")
    assert (amahle_a1.stage, amahle_a1.lessons_done, amahle_a1.lessons_total) == (
        Stage.NOT_STARTED,
        0,
        3,
    )
    assert amahle_a1.due == TODAY - timedelta(days=8)  # day 3 of a cohort 10 days old
    assert amahle_a1.overdue is True
    assert (amahle_a1.employee_number, amahle_a1.client) == ("EMP-001", "Vela Mobile")
    bongani_a1 = find(found, "Bongani Mthethwa", "A1")
    assert bongani_a1.stage is Stage.KNOWLEDGE_CHECK_PASSED
    assert bongani_a1.best_check_percent == 100
    assert bongani_a1.overdue is True  # passing the check is not completing the module
    amahle_b2 = find(found, "Amahle Zulu", "B2")
    assert (amahle_b2.due, amahle_b2.overdue) == (TODAY + timedelta(days=30), False)
    # A withdrawn learner is no longer expected to finish, and a self-paced one has no date.
    assert find(found, "Cebo Dlamini", "A1").overdue is False
    assert find(found, "Dudu Nkosi", "A1").due is None


def test_a_moved_learner_is_recorded_in_their_new_cohort_only(
    organisation: Organisation, trainer: User
) -> None:
    membership = services.current_membership(organisation.amahle.id)
    assert membership is not None
    services.move(membership, organisation.wave2, actor=trainer, now=utcnow())
    assert keys(rows(RecordFilter(search="amahle"))) == [
        ("Amahle Zulu", "Brightcart Wave 2", "B2", "Enrolled")
    ]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (RecordFilter(self_paced=True), {("Dudu Nkosi", "A1"), ("Dudu Nkosi", "B2")}),
        (RecordFilter(module_code="A1", search="EMP-0"), {("Amahle Zulu", "A1")}),
        (RecordFilter(search="BONGANI@"), {("Bongani Mthethwa", "A1"), ("Bongani Mthethwa", "B2")}),
        (RecordFilter(search="nkosi", module_code="B2"), {("Dudu Nkosi", "B2")}),
        (RecordFilter(search="100%"), set()),  # % is a character here, not a wildcard
        (RecordFilter(status="overdue"), {("Amahle Zulu", "A1"), ("Bongani Mthethwa", "A1")}),
        (RecordFilter(status="knowledge-check-passed"), {("Bongani Mthethwa", "A1")}),
        (
            RecordFilter(status="in-progress"),
            {("Bongani Mthethwa", "B2")},  # every lesson read, no knowledge check in B2
        ),
        (
            RecordFilter(due_from=TODAY, due_to=TODAY + timedelta(days=5)),
            {("Elias Botha", "B2")},
        ),
        (RecordFilter(completed_from=TODAY - timedelta(days=400)), set()),
    ],
    ids=lambda value: "" if isinstance(value, set) else None,
)
def test_the_filters_narrow_the_records(
    organisation: Organisation, criteria: RecordFilter, expected: set[tuple[str, str]]
) -> None:
    assert {(row.name, row.module_code) for row in rows(criteria)} == expected


def test_the_cohort_filter_takes_the_cohorts_learners(organisation: Organisation) -> None:
    found = rows(RecordFilter(cohort_id=organisation.wave2.id))
    assert keys(found) == [("Elias Botha", "Brightcart Wave 2", "B2", "Enrolled")]


def test_a_trainer_reads_only_the_records_of_their_cohorts(
    organisation: Organisation, trainer: User, other_trainer: User
) -> None:
    assert {row.name for row in rows(scope=scope_for(trainer))} == {
        "Amahle Zulu",
        "Bongani Mthethwa",
        "Cebo Dlamini",
    }
    assert {row.name for row in rows(scope=scope_for(other_trainer))} == {"Elias Botha"}
    # Asking for the other cohort, or for the self-paced learners, finds nothing.
    elsewhere = RecordFilter(cohort_id=organisation.wave2.id)
    assert rows(elsewhere, scope_for(trainer)) == []
    assert rows(RecordFilter(self_paced=True), scope_for(trainer)) == []


# --- The page ---------------------------------------------------------------------------------


def test_hr_sees_every_record_with_the_total_and_export_links(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    response = client_for(app, hr).get("/records/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "9 records match" in page
    assert listed_names(page)[0] == "Amahle Zulu" and len(listed_names(page)) == 9
    assert 'href="/records/export.csv"' in page and 'href="/records/export.xlsx"' in page
    assert "Overdue" in page and "Self-paced" in page and "Withdrawn" in page


def test_the_page_applies_the_filters_and_carries_them_to_the_exports(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    response = client_for(app, hr).get(
        f"/records/?cohort={organisation.wave1.id}&status=overdue&q=zulu"
    )
    page = response.get_data(as_text=True)
    assert listed_names(page) == ["Amahle Zulu"]
    assert "1 record matches" in page
    assert (
        f"/records/export.xlsx?q=zulu&amp;cohort={organisation.wave1.id}&amp;status=overdue" in page
    )


@pytest.mark.parametrize("query", ["", "status=not-started"])
def test_the_records_are_paged_with_the_total(
    app: Flask,
    organisation: Organisation,
    hr: User,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
) -> None:
    """Paged in SQL without a stage filter and after judging each row with one; the same
    pages either way, and a page past the end shows the last."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client = client_for(app, hr)
    expected = [row.name for row in rows(RecordFilter(status="not-started" if query else None))]
    last = -(-len(expected) // 2)
    assert last >= 3
    pages = [
        listed_names(client.get(f"/records/?{query}&page={number}").get_data(as_text=True))
        for number in range(1, last + 1)
    ]
    assert [name for page in pages for name in page] == expected
    second = client.get(f"/records/?{query}&page=2").get_data(as_text=True)
    assert f"Showing 3\u20134 of {len(expected)}" in second
    assert 'rel="next"' in second and 'rel="prev"' in second
    beyond = client.get(f"/records/?{query}&page=99").get_data(as_text=True)
    assert listed_names(beyond) == pages[last - 1]
    assert f"Page {last} of {last}" in beyond


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("cohort=99999", "Not a valid choice"),
        ("cohort=abc", "Not a valid choice"),
        ("module=ZZ9", "Not a valid choice"),
        ("status=finished", "Not a valid choice"),
        ("completed_from=2026-13-01", "Not a valid date value"),
        ("due_from=0001-01-01", "Enter a date in the years 1900 to 2999"),
        ("completed_from=2026-12-05&completed_to=2026-12-01", "The end date is before the start"),
        ("q=%00x", "characters that are not allowed"),
        ("q=a&q=b", "sent more than once"),
        ("q=" + "x" * 201, "Field cannot be longer than 200 characters"),
    ],
)
@pytest.mark.parametrize("path", ["/records/", "/records/export.csv", "/records/export.xlsx"])
def test_bad_filters_are_refused_with_a_message(
    app: Flask, organisation: Organisation, hr: User, path: str, query: str, message: str
) -> None:
    response = client_for(app, hr).get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_a_trainer_may_not_pick_another_cohort_or_the_self_paced(
    app: Flask, organisation: Organisation, trainer: User
) -> None:
    client = client_for(app, trainer)
    page = client.get("/records/").get_data(as_text=True)
    assert (
        listed_names(page) == ["Amahle Zulu"] * 2 + ["Bongani Mthethwa"] * 2 + ["Cebo Dlamini"] * 2
    )
    assert "Brightcart Wave 2" not in page and "Self-paced" not in page
    assert client.get(f"/records/?cohort={organisation.wave2.id}").status_code == 400
    assert client.get("/records/?cohort=self-paced").status_code == 400


def test_a_learner_may_not_open_the_records(app: Flask, organisation: Organisation) -> None:
    client = client_for(app, organisation.amahle)
    for path in ("/records/", "/records/export.csv", "/records/export.xlsx"):
        assert client.get(path).status_code == 403


def test_a_cohort_whose_module_is_due_by_a_date_counts_overdue_from_the_next_local_day(
    organisation: Organisation, trainer: User, make_learner: object
) -> None:
    """Due today is not overdue; due yesterday is."""
    today = make_cohort(trainer, "Due today", due_on={"B2": TODAY})
    yesterday = make_cohort(trainer, "Due yesterday", due_on={"B2": TODAY - timedelta(days=1)})
    first = make_learner("Fikile Today")  # type: ignore[operator]
    second = make_learner("Gugu Yesterday")  # type: ignore[operator]
    enrol(today, first, actor=trainer)
    enrol(yesterday, second, actor=trainer)
    assert find(rows(), "Fikile Today", "B2").overdue is False
    assert find(rows(), "Gugu Yesterday", "B2").overdue is True


def test_progress_counts_every_pair_read_matching_or_not(organisation: Organisation) -> None:
    """What `lms export records` shows on its progress bar: pairs read, against the SQL count."""
    heard: list[int] = []
    criteria = RecordFilter(status="overdue")
    found = list(
        iter_records(criteria, RecordScope(), now=utcnow(), zone=ZONE, on_progress=heard.append)
    )
    assert len(found) == 2
    assert heard == [count_pairs(criteria, RecordScope())] == [9]


def test_completion_is_the_local_day_the_last_outcome_became_final(
    organisation: Organisation, assessor: User, moderator: User
) -> None:
    """Confirmed at 22:30 UTC on 1 December: 00:30 on the 2nd in Johannesburg."""
    late = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    learner = organisation.bongani
    judged_competent(learner, assessor, at=late - timedelta(hours=1))
    confirm_sample(learner, moderator, at=late)
    (record,) = rows(RecordFilter(search="bongani", module_code="A1"))
    assert (record.stage, record.completed, record.overdue) == (
        Stage.CERTIFIED,
        date(2026, 12, 2),
        False,  # late, but complete: no longer overdue
    )
    assert record.certificate_code is not None
    on_the_day = RecordFilter(completed_from=date(2026, 12, 2), completed_to=date(2026, 12, 2))
    assert [row.name for row in rows(on_the_day)] == ["Bongani Mthethwa"]
    assert rows(RecordFilter(completed_to=date(2026, 12, 1))) == []
