"""CSV and XLSX exports of the records, read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import insert, select

from lms.audit import AuditEvent
from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.extensions import db
from lms.reports.exports import HEADERS
from tests.reports.conftest import TODAY, LearnerMaker, Organisation, client_for

HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def read_csv(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def read_xlsx(body: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(body)).active


def unescape(value: object) -> object:
    """Text as a spreadsheet shows it: OOXML writes control characters as _xHHHH_."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-F]{4})_", lambda found: chr(int(found[1], 16)), value)


def exports_audited() -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == "records.exported")
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def test_the_csv_export_holds_every_record_with_typed_values(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    response = client_for(app, hr).get("/records/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f"completion-records-{TODAY:%Y-%m-%d}.csv" in response.headers["Content-Disposition"]
    table = read_csv(response.get_data())
    assert table[0] == HEADERS
    records = [dict(zip(HEADERS, row, strict=True)) for row in table[1:]]
    assert [(r["Learner"], r["Module"]) for r in records][:3] == [
        ("Amahle Zulu", "A1"),
        ("Amahle Zulu", "B2"),
        ("Bongani Mthethwa", "A1"),
    ]
    assert len(records) == 9
    amahle_a1 = records[0]
    assert amahle_a1["Email"] == "amahle@example.com"
    assert amahle_a1["Employee number"] == "EMP-001"
    assert amahle_a1["Cohort"] == "Vela Wave 1"
    assert amahle_a1["Client / line of business"] == "Vela Mobile"
    assert amahle_a1["Stage"] == "Not started"
    assert amahle_a1["Due"] == (TODAY - timedelta(days=8)).isoformat()
    assert (amahle_a1["Overdue"], amahle_a1["Lessons done"], amahle_a1["Lessons total"]) == (
        "Yes",
        "0",
        "3",
    )
    assert records[2]["Best knowledge check %"] == "100.0"
    assert records[4]["Membership"] == "Withdrawn"


def test_the_xlsx_export_has_date_cells_numbers_a_frozen_header_and_widths(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    response = client_for(app, hr).get("/records/export.xlsx?module=A1")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    sheet = read_xlsx(response.get_data())
    assert sheet.title == "Records"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["G"].width > 5
    body = [[cell for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[0].value for row in body] == [
        "Amahle Zulu",
        "Bongani Mthethwa",
        "Cebo Dlamini",
        "Dudu Nkosi",
    ]
    due = body[0][HEADERS.index("Due")]
    assert due.is_date and due.value == datetime.combine(
        TODAY - timedelta(days=8), datetime.min.time()
    )
    assert due.number_format == "yyyy-mm-dd"
    assert body[0][HEADERS.index("Lessons total")].value == 3
    assert body[1][HEADERS.index("Best knowledge check %")].value == 100.0
    assert body[3][HEADERS.index("Due")].value is None  # self-paced: no due date
    assert body[0][HEADERS.index("Overdue")].value == "Yes"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_text_is_neutralised_in_both_formats(
    app: Flask, world: object, hr: User, make_learner: LearnerMaker, fmt: str
) -> None:
    """Names, emails and employee numbers that would start a formula are shown as typed."""
    for number, text in enumerate(HOSTILE):
        learner = make_learner("placeholder", employee_number=f"{text}{number}")
        learner.full_name = text  # as an import might store it: the form would strip the tab
    db.session.commit()
    response = client_for(app, hr).get(f"/records/export.{fmt}?module=A1")
    if fmt == "csv":
        table = read_csv(response.get_data())[1:]
        names, numbers = [r[0] for r in table], [r[2] for r in table]
    else:
        rows = list(read_xlsx(response.get_data()).iter_rows(min_row=2, values_only=True))
        names, numbers = [unescape(r[0]) for r in rows], [unescape(r[2]) for r in rows]
    assert sorted(names) == sorted("'" + text for text in HOSTILE)
    assert sorted(numbers) == sorted(f"'{text}{n}" for n, text in enumerate(HOSTILE))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_export_is_audited_with_its_filters_and_row_count(
    app: Flask, organisation: Organisation, hr: User, fmt: str
) -> None:
    response = client_for(app, hr).get(f"/records/export.{fmt}?status=overdue&q=a")
    response.get_data()  # the CSV's event is written as its stream ends
    (event,) = exports_audited()
    assert event.actor_id == hr.id
    assert event.details == {
        "format": fmt,
        "filters": {"status": "overdue", "search": "a"},
        "rows": 2,
    }


def test_a_trainers_export_holds_only_their_cohorts(
    app: Flask, organisation: Organisation, other_trainer: User
) -> None:
    response = client_for(app, other_trainer).get("/records/export.csv")
    assert [row[0] for row in read_csv(response.get_data())[1:]] == ["Elias Botha"]
    assert exports_audited()[0].details["rows"] == 1


def test_a_large_export_is_streamed_and_counted(app: Flask, world: object, hr: User) -> None:
    """Three thousand records (1,500 learners across three chunks of standings): the response
    is a generator, and every row arrives in learner order."""
    learners = [
        {
            "email": f"learner{n:04d}@example.com",
            "full_name": f"Learner {n:04d}",
            "password_hash": "x",
        }
        for n in range(1500)
    ]
    db.session.execute(insert(User), learners)
    ids = db.session.scalars(select(User.id).where(User.email.like("learner%@example.com")))
    db.session.execute(insert(UserRole), [{"user_id": i, "role": Role.LEARNER.value} for i in ids])
    db.session.commit()
    client = client_for(app, hr)

    csv_response = client.get("/records/export.csv")
    assert csv_response.is_streamed
    table = read_csv(csv_response.get_data())[1:]
    assert len(table) == 3000
    assert [row[0] for row in table[::2]] == [f"Learner {n:04d}" for n in range(1500)]
    assert {row[8] for row in table} == {"Not started"}

    xlsx_response = client.get("/records/export.xlsx")
    assert xlsx_response.is_streamed
    assert read_xlsx(xlsx_response.get_data()).max_row == 3001
    assert [event.details["rows"] for event in exports_audited()] == [3000, 3000]


def test_an_export_with_nothing_to_show_still_has_its_header(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    response = client_for(app, hr).get("/records/export.csv?q=nobody-at-all")
    assert read_csv(response.get_data()) == [HEADERS]
    assert exports_audited()[0].details["rows"] == 0


def test_dates_are_local_days(app: Flask, organisation: Organisation, hr: User) -> None:
    """Due dates are the cohort's calendar days, never shifted by a time zone."""
    response = client_for(app, hr).get("/records/export.xlsx?cohort=" + str(organisation.wave2.id))
    (row,) = read_xlsx(response.get_data()).iter_rows(min_row=2, values_only=True)
    assert row[HEADERS.index("Due")].date() == TODAY + timedelta(days=5)
    assert isinstance(TODAY, date)


def test_a_csv_download_cut_short_is_audited_with_the_rows_sent(
    app: Flask, organisation: Organisation, hr: User
) -> None:
    response = client_for(app, hr).get("/records/export.csv")
    chunks = iter(response.response)
    sent = [next(chunks), next(chunks), next(chunks)]  # the header and two records
    response.close()  # the browser went away
    assert b"Amahle Zulu" in sent[1]
    (event,) = exports_audited()
    assert (event.details["rows"], event.details["complete"]) == (2, False)
