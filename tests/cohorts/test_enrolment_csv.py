"""Enrolling from a CSV file: every kind of bad row named with its line and nothing imported,
loose headers and a BOM accepted, the preview confirmed once, and 10,000 rows imported (the
welcome emails are in test_welcome_emails.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms.audit import AuditEvent
from lms.auth.models import PasswordResetToken, User, UserRole
from lms.auth.roles import Role
from lms.cohorts import enrolment, services, uploads
from lms.cohorts.roster import MAX_BYTES, check_roster, read_roster
from lms.database import utcnow
from lms.extensions import db
from lms.notifications import Notification
from tests.cohorts.enrolment_steps import (
    client_for,
    confirm,
    counts,
    csv_bytes,
    held,
    held_files,
    make_cohort,
    person,
    programme,
    upload,
    words,
)
from tests.conftest import UserFactory

__all__ = ["held_files", "programme"]

HEADER = "email,first_name,last_name,employee_number"


def problems_in(data: bytes) -> list[str]:
    return [str(problem) for problem in read_roster(data).problems]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (["not-an-email,Ann,Apple,"], "line 2: email: not an email address"),
        (["ann@example,Ann,Apple,"], "line 2: email: not an email address"),
        ([",Ann,Apple,"], "line 2: email: missing"),
        (["ann@example.com,,Apple,"], "line 2: first_name: missing"),
        (["ann@example.com,Ann,  ,"], "line 2: last_name: missing"),
        (["ann@example.com,Ann,Apple", "ANN@example.com,Ann,Other"], "line 3: email: ann@"),
        (["a@example.com,A,B,E1", "b@example.com,B,C,E1"], "line 3: employee_number: E1 is"),
        (["ann@example.com,Ann,Apple,E1,extra"], "line 2: 5 values where the header has 4"),
        (["ann@example.com,Ann\x07,Apple,"], "line 2: first_name: contains characters"),
        ([f"ann@example.com,{'A' * 61},Apple,"], "line 2: first_name: longer than 60"),
    ],
)
def test_each_bad_row_is_named_with_its_line(rows: list[str], problem: str) -> None:
    """The problem names the line, the column and what is wrong."""
    found = problems_in(csv_bytes(HEADER, *rows))
    assert any(text.startswith(problem) for text in found), found


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (csv_bytes("email,first_name,last_name,phone"), 'line 1: unknown column "phone"'),
        (csv_bytes("email,first_name"), "line 1: there is no last_name column."),
        (csv_bytes("email,First name,first_name,last_name"), "line 1: first_name is given twice"),
        (b"", "the file is empty."),
        (csv_bytes(HEADER), "the file has no learners, only a header."),
        (b"email,first\x00_name\r\n", "this is not a text file."),
        (b"PK\x03\x04rest-of-a-workbook", "this is a spreadsheet workbook, not a CSV file."),
        (
            "email,first_name,last_name\r\nb@example.com,Zo\xeb,Ndlovu\r\n".encode("latin-1"),
            "line 2: the file is not UTF-8 text.",
        ),
        (b"x" * (MAX_BYTES + 1), "the file is larger than 2 MB."),
        (
            csv_bytes(
                "email,first_name,last_name", *(f"p{i}@example.com,P,Q" for i in range(10_001))
            ),
            "the file has more than 10,000 learners.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(data: bytes, problem: str) -> None:
    """Problems of the file as a whole: columns, emptiness, binary, encoding and size."""
    found = problems_in(data)
    assert any(text.startswith(problem) for text in found), found


def test_headers_are_read_loosely_and_a_bom_is_ignored() -> None:
    """Header names in any case, with spaces or punctuation, from a spreadsheet that saved
    UTF-8 with a byte-order mark and semicolons between values."""
    data = csv_bytes(
        "Email Address;First Name;Surname;Employee No.",
        "  Zoë@Example.com ; Zoë ; Ndlovu ; E-204 ",
        ";;;",
        "sipho@example.com;Sipho;Dlamini;",
        bom=True,
    )
    roster = read_roster(data)
    assert roster.problems == []
    assert [(p.line, p.email, p.full_name, p.employee_number) for p in roster.people] == [
        (2, "zoë@example.com", "Zoë Ndlovu", "E-204"),
        (4, "sipho@example.com", "Sipho Dlamini", None),
    ]


def test_every_kind_of_bad_row_is_listed_and_nothing_is_imported(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
    outbox: Path,
) -> None:
    """One upload with every kind of problem: the page lists each with its line and column,
    answers 422, holds no file, and no account or membership is added."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme)
    elsewhere = make_cohort("Brightcart April", trainer, programme)
    moved_on = person(make_user, Role.LEARNER, email="busy@example.com")
    services.enrol(elsewhere, moved_on, actor=trainer, now=utcnow())
    db.session.commit()
    person(make_user, Role.TRAINER, email="coach@example.com")
    person(make_user, Role.LEARNER, email="gone@example.com", active=False)
    numbered = person(make_user, Role.LEARNER, email="numbered@example.com")
    numbered.employee_number = "E-900"
    db.session.commit()
    before = counts()
    data = csv_bytes(
        HEADER,
        "good@example.com,Good,Person,E-1",  # line 2: fine on its own
        "not an email,Bad,Email,",  # 3
        "GOOD@example.com,Twice,Over,",  # 4: the same email as line 2
        "other@example.com,Same,Number,E-1",  # 5: the same number as line 2
        "taken@example.com,Their,Number,E-900",  # 6: another account's number
        "noname@example.com,,Lastname,",  # 7
        "busy@example.com,In,Elsewhere,",  # 8: a learner in another cohort
        "coach@example.com,A,Trainer,",  # 9: a staff account
        "gone@example.com,De,Activated,",  # 10
    )
    client = client_for(app, trainer)
    page = upload(client, cohort.id, data)
    assert page.status_code == 422
    text = words(page)
    for expected in [
        "intake.csv: 8 problems. Nothing was imported.",
        "line 3: email: not an email address",
        "line 4: email: good@example.com is also on line 2.",
        "line 5: employee_number: E-1 is also on line 2.",
        "line 6: employee_number: E-900 belongs to another account.",
        "line 7: first_name: missing",
        "line 8: email: busy@example.com is in Brightcart April; move them from that cohort.",
        "line 9: email: coach@example.com does not hold the learner role.",
        "line 10: email: the account gone@example.com is deactivated.",
    ]:
        assert expected in text, expected
    assert 'name="token"' not in page.get_data(as_text=True)
    assert counts() == before
    assert held(held_files) == []
    assert list(outbox.glob("*.eml")) == []


def test_an_unknown_column_stops_the_import(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
) -> None:
    """A column the importer does not know is a problem of the file, listed with the rows'
    own problems; nothing is imported."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme)
    before = counts()
    data = csv_bytes(
        "email,first_name,last_name,Cell phone",
        "a@example.com,A,B,0821234567",
        "b@example,B,C,0821234568",
    )
    page = upload(client_for(app, trainer), cohort.id, data)
    assert page.status_code == 422
    text = words(page)
    assert "intake.csv: 2 problems. Nothing was imported." in text
    assert 'line 1: unknown column "Cell phone"' in text
    assert "line 3: email: not an email address" in text
    assert counts() == before and held(held_files) == []


def test_a_clean_file_is_previewed_then_imported_once(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
    outbox: Path,
) -> None:
    """A file saved with a BOM is previewed (counts, rows), held until confirmed, imported in
    one go with one "cohort.imported" event, then deleted: confirming again imports nothing."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme, days={"M1": 3, "M2": None})
    known = person(make_user, Role.LEARNER, email="known@example.com", full_name="Known One")
    data = csv_bytes(
        "E-mail,First Name,Last Name,Employee Number",
        "new@example.com,Naledi,Khoza,E-11",
        "known@example.com,Known,One,E-12",
        bom=True,
    )
    client = client_for(app, trainer)
    preview = upload(client, cohort.id, data)
    assert preview.status_code == 200
    text = words(preview)
    assert "1 new account" in text and "1 existing account enrolled" in text
    assert "new@example.com Naledi Khoza E-11 New" in text
    assert "known@example.com Known One E-12 Existing" in text
    assert "Import 2 learners" in text
    assert len(held(held_files)) == 2  # the file and its note
    assert counts()[1] == 0  # nothing is imported by the preview

    done = confirm(client, cohort.id, preview)
    assert done.status_code == 303
    assert done.location == f"/cohorts/{cohort.id}"
    assert held(held_files) == []
    db.session.expire_all()
    members = {m.user.email: m.user for m in services.members(cohort)}
    assert set(members) == {"new@example.com", "known@example.com"}
    assert members["new@example.com"].full_name == "Naledi Khoza"
    assert members["known@example.com"].employee_number == "E-12"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cohort.imported"))
    imported = event.one()
    assert (imported.actor_id, imported.object_id) == (trainer.id, str(cohort.id))
    assert imported.details == {
        "rows": 2,
        "new_accounts": 1,
        "existing_accounts": 1,
        "already_in_cohort": 0,
    }
    enrolled = select(func.count()).where(AuditEvent.action == "cohort.enrolled")
    assert db.session.scalar(enrolled) == 2
    note = db.session.scalars(select(Notification).where(Notification.user_id == known.id)).one()
    assert "Vela March" in note.subject

    again = confirm(client, cohort.id, preview)
    assert again.status_code == 422
    assert "That upload has expired or was already imported." in words(again)
    assert counts()[1] == 2


def test_a_preview_is_checked_again_when_confirmed(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
) -> None:
    """A learner enrolled elsewhere between the preview and the button stops the import."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Vela March", trainer, programme)
    other = make_cohort("Sizwe Life", trainer, programme)
    learner = person(make_user, Role.LEARNER, email="quick@example.com")
    data = csv_bytes(HEADER, "quick@example.com,Quick,One,", "slow@example.com,Slow,Two,")
    client = client_for(app, trainer)
    preview = upload(client, cohort.id, data)
    assert preview.status_code == 200
    services.enrol(other, learner, actor=trainer, now=utcnow())
    db.session.commit()
    before = counts()
    refused = confirm(client, cohort.id, preview)
    assert refused.status_code == 422
    assert "line 2: email: quick@example.com is in Sizwe Life" in words(refused)
    assert counts() == before
    assert held(held_files) == []


def test_a_held_upload_is_only_for_its_cohort_and_uploader_and_expires(
    app: Flask,
    app_context: None,
    make_user: UserFactory,
    programme: dict[str, int],
    held_files: Path,
) -> None:
    """Another trainer cannot confirm someone else's preview, a made-up token is refused, and
    a preview left for longer than HOLD_FOR is gone."""
    first, second = person(make_user, Role.TRAINER), person(make_user, Role.TRAINER)
    cohort = make_cohort("Shared", first, programme, trainers=(second,))
    preview = upload(client_for(app, first), cohort.id, csv_bytes(HEADER, "a@b.co,A,B,"))
    assert preview.status_code == 200
    stolen = confirm(client_for(app, second), cohort.id, preview)
    assert stolen.status_code == 422
    made_up = preview.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', made_up)
    assert token
    forged = made_up.replace(token.group(1), "x" * 32)
    assert confirm(client_for(app, first), cohort.id, _page(forged)).status_code == 422
    assert counts()[1] == 0
    now = utcnow()
    assert uploads.held(token.group(1), cohort_id=cohort.id, user_id=first.id, now=now)
    later = now + uploads.HOLD_FOR + timedelta(minutes=1)
    assert uploads.held(token.group(1), cohort_id=cohort.id, user_id=first.id, now=later) is None
    assert held(held_files) == []


def _page(text: str):  # type: ignore[no-untyped-def]
    class Page:
        def get_data(self, as_text: bool = True) -> str:
            return text

    return Page()


def test_ten_thousand_rows_are_imported_in_one_transaction(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """A full file of 10,000 learners (two with accounts already) is checked and imported by
    the service, with an account, a learner role, a membership and a welcome link each."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Big intake", trainer, programme)
    for email in ("p0@example.com", "p1@example.com"):
        person(make_user, Role.LEARNER, email=email)
    users_before = counts()[0]
    rows = [f"p{i}@example.com,First{i},Last {i},E{i:05d}" for i in range(10_000)]
    roster = read_roster(csv_bytes(HEADER, *rows))
    assert roster.problems == []
    plan = check_roster(cohort, roster)
    assert plan.problems == [] and (len(plan.new), len(plan.existing)) == (9_998, 2)
    enrolled = enrolment.import_plan(cohort, plan, actor=trainer, now=utcnow())
    db.session.commit()
    assert enrolled.count == 10_000 and len(enrolled.welcomes) == 9_998
    assert counts() == (users_before + 9_998, 10_000)
    assert services.member_counts([cohort.id]) == {cohort.id: 10_000}
    learners = select(func.count()).where(UserRole.role == Role.LEARNER.value)
    assert db.session.scalar(learners) == 10_000
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 9_998
    last = db.session.scalars(select(User).where(User.email == "p9999@example.com")).one()
    assert (last.full_name, last.employee_number) == ("First9999 Last 9999", "E09999")
    again = check_roster(cohort, read_roster(csv_bytes(HEADER, *rows)))
    assert (again.problems, len(again.already), again.enrolling) == ([], 10_000, 0)
