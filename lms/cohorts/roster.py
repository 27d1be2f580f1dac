"""A cohort's learners from a CSV file: reading it, and every problem that stops its import.

Nothing is imported from a file with a problem, so every problem is collected (not only the
first), each with its line, for the trainer to fix the file in one go. The accounts a file
names are looked up in chunks, a few queries per 500 rows, so an intake of 10,000 is checked
in seconds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.auth.services import normalise_email
from lms.cohorts.models import Cohort, Membership
from lms.extensions import db
from lms.forms import CONTROL_CHARACTERS

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
CHUNK = 500  # values per IN (...) list: well inside every database's limit

COLUMNS = ("email", "first_name", "last_name", "employee_number")
REQUIRED = ("email", "first_name", "last_name")
LIMITS = {"email": 254, "first_name": 60, "last_name": 60, "employee_number": 40}
# Header names as people write them, compared without case, spaces or punctuation.
ALIASES = {
    "email": "email",
    "emailaddress": "email",
    "firstname": "first_name",
    "givenname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "employeenumber": "employee_number",
    "employeeno": "employee_number",
    "staffnumber": "employee_number",
}
T = TypeVar("T")

SAVE_AS = 'Save it from your spreadsheet as "CSV UTF-8 (comma delimited)".'


@dataclass(frozen=True)
class Problem:
    """Why a file cannot be imported: on a line (and column), or of the file as a whole."""

    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.column + ': ' if self.column else ''}{self.message}"


@dataclass(frozen=True)
class Person:
    """One row of the file, cleaned: the email lower-cased, blanks stripped."""

    line: int
    email: str
    first_name: str
    last_name: str
    employee_number: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class Roster:
    people: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Account:
    """What an import needs to know of an existing account."""

    id: int
    email: str
    active: bool
    employee_number: str | None
    learner: bool = False
    cohort_id: int | None = None  # their current cohort
    cohort_name: str | None = None


@dataclass
class Plan:
    """A checked file: who gets a new account, who is enrolled, who is already in."""

    people: list[Person] = field(default_factory=list)
    new: list[Person] = field(default_factory=list)
    existing: list[tuple[Person, Account]] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def enrolling(self) -> int:
        return len(self.new) + len(self.existing)


# --- Reading the file --------------------------------------------------------------------------


def read_roster(data: bytes) -> Roster:
    """The people in a CSV file, or the problems that stop it being read."""
    text, problem = _text(data)
    if text is None:
        return Roster(problems=[problem] if problem else [])
    try:
        return _read(text)
    except csv.Error as error:
        return Roster(problems=[Problem(f"this is not a readable CSV file ({error}).")])


def _text(data: bytes) -> tuple[str | None, Problem | None]:
    if len(data) > MAX_BYTES:
        return None, Problem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if data.startswith(b"PK\x03\x04"):
        return None, Problem(f"this is a spreadsheet workbook, not a CSV file. {SAVE_AS}")
    if b"\x00" in data:
        return None, Problem(f"this is not a text file. {SAVE_AS}")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, Problem(f"the file is not UTF-8 text. {SAVE_AS}", line=line)


def _read(text: str) -> Roster:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = next(rows, None)
    if header is None:
        return Roster(problems=[Problem("the file is empty.")])
    columns, problems, readable = _columns(header)
    if not readable:
        return Roster(problems=problems)
    # An unknown column is reported, and the rows are still checked for their own problems.
    roster = Roster(problems=problems)
    for values in rows:
        if not any(value.strip() for value in values):
            continue  # a blank line, or a spreadsheet's empty row of commas
        if len(roster.people) + 1 > MAX_ROWS:
            return Roster(problems=[Problem(f"the file has more than {MAX_ROWS:,} learners.")])
        person, found = _person(rows.line_num, columns, values)
        roster.problems += found
        if person is not None:
            roster.people.append(person)
    if not roster.people and not roster.problems:
        roster.problems.append(Problem("the file has no learners, only a header."))
    roster.problems += _duplicates(roster.people)
    return roster


def _delimiter(text: str) -> str:
    # Spreadsheets where the decimal mark is a comma save "CSV" with semicolons.
    first = text.split("\n", 1)[0]
    return ";" if ";" in first and "," not in first else ","


def _columns(header: Sequence[str]) -> tuple[list[str | None], list[Problem], bool]:
    """Each header's column (None: unknown or blank), the header's problems, and whether the
    rows can be read at all (every required column present, none given twice)."""
    columns: list[str | None] = []
    problems = []
    readable = True
    for name in header:
        column = ALIASES.get(re.sub(r"[^a-z0-9]", "", name.casefold()))
        if column is None and name.strip():
            problems.append(
                Problem(
                    f'unknown column "{name.strip()[:40]}"; the columns are email, first_name, '
                    "last_name and (optional) employee_number.",
                    line=1,
                )
            )
        elif column is not None and column in columns:
            problems.append(Problem(f"{column} is given twice.", line=1))
            readable = False
        columns.append(column)
    for column in REQUIRED:
        if column not in columns:
            problems.append(Problem(f"there is no {column} column.", line=1))
            readable = False
    return columns, problems, readable


def _person(
    line: int, columns: list[str | None], values: list[str]
) -> tuple[Person | None, list[Problem]]:
    if len(values) > len(columns):
        found = f"{len(values)} values where the header has {len(columns)} columns"
        return None, [Problem(f"{found}; is there a stray comma?", line=line)]
    row = {column: value.strip() for column, value in zip(columns, values, strict=False) if column}
    problems = [
        Problem(problem, line=line, column=column)
        for column in COLUMNS
        if (problem := _value_problem(column, row.get(column, "")))
    ]
    if problems:
        return None, problems
    email = normalise_email(row["email"])
    number = row.get("employee_number") or None
    return Person(line, email, row["first_name"], row["last_name"], number), []


def _value_problem(column: str, value: str) -> str | None:
    if not value:
        return "missing" if column in REQUIRED else None
    if CONTROL_CHARACTERS.search(value):
        return "contains characters that are not allowed"
    if len(value) > LIMITS[column]:
        return f"longer than {LIMITS[column]} characters"
    if column == "email":
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            return "not an email address"
    return None


def _duplicates(people: Sequence[Person]) -> list[Problem]:
    problems = []
    first_email: dict[str, int] = {}
    first_number: dict[str, int] = {}
    for person in people:
        seen = first_email.setdefault(person.email, person.line)
        if seen != person.line:
            problems.append(_again(person, "email", person.email, seen))
        if person.employee_number:
            seen = first_number.setdefault(person.employee_number, person.line)
            if seen != person.line:
                problems.append(_again(person, "employee_number", person.employee_number, seen))
    return problems


def _again(person: Person, column: str, value: str, first: int) -> Problem:
    return Problem(f"{value} is also on line {first}.", line=person.line, column=column)


# --- Checking it against the accounts and cohorts ----------------------------------------------


def check_roster(cohort: Cohort, roster: Roster) -> Plan:
    """Sort the file's people into new and existing accounts, with every problem the
    database reveals: staff accounts, learners in another cohort, employee numbers in use."""
    plan = Plan(people=roster.people, problems=list(roster.problems))
    if roster.problems and not roster.people:
        return plan
    accounts = _accounts([person.email for person in roster.people])
    numbers = _numbers([p.employee_number for p in roster.people if p.employee_number])
    for person in roster.people:
        account = accounts.get(person.email)
        problem = _problem(cohort, person, account, numbers)
        if problem is not None:
            plan.problems.append(problem)
        elif account is None:
            plan.new.append(person)
        elif account.cohort_id == cohort.id:
            plan.already.append(person)
        else:
            plan.existing.append((person, account))
    plan.problems.sort(key=lambda problem: problem.line or 0)
    return plan


def _problem(
    cohort: Cohort, person: Person, account: Account | None, numbers: dict[str, str]
) -> Problem | None:
    def problem(column: str, message: str) -> Problem:
        return Problem(message, line=person.line, column=column)

    number = person.employee_number
    owner = numbers.get(number) if number else None
    if account is None:
        if owner is not None:
            return problem("employee_number", f"{number} belongs to another account.")
        return None
    if not account.active:
        return problem("email", f"the account {account.email} is deactivated.")
    if not account.learner:
        return problem("email", f"{account.email} does not hold the learner role.")
    if account.cohort_id is not None and account.cohort_id != cohort.id:
        return problem(
            "email", f"{account.email} is in {account.cohort_name}; move them from that cohort."
        )
    if number and account.employee_number and account.employee_number != number:
        return problem(
            "employee_number",
            f"the account {account.email} has employee number {account.employee_number}.",
        )
    if number and owner is not None and owner != account.email:
        return problem("employee_number", f"{number} belongs to another account.")
    return None


def chunks(values: Sequence[T]) -> Iterator[list[T]]:
    """`values` in lists of at most CHUNK, for IN (...) queries and batched inserts."""
    for start in range(0, len(values), CHUNK):
        yield list(values[start : start + CHUNK])


def _accounts(emails: Sequence[str]) -> dict[str, Account]:
    found: dict[str, Account] = {}
    for part in chunks(emails):
        query = select(User.id, User.email, User.active, User.employee_number).where(
            User.email.in_(part)
        )
        ids = {}
        for user_id, email, active, number in db.session.execute(query):
            ids[user_id] = (email, active, number)
        learners = set(
            db.session.scalars(
                select(UserRole.user_id).where(
                    UserRole.user_id.in_(ids), UserRole.role == Role.LEARNER.value
                )
            )
        )
        cohorts = {
            user_id: (cohort_id, name)
            for user_id, cohort_id, name in db.session.execute(
                select(Membership.user_id, Membership.cohort_id, Cohort.name)
                .join(Cohort, Cohort.id == Membership.cohort_id)
                .where(Membership.user_id.in_(ids), Membership.left_at.is_(None))
            )
        }
        for user_id, (email, active, number) in ids.items():
            cohort_id, name = cohorts.get(user_id, (None, None))
            found[email] = Account(
                user_id, email, active, number, user_id in learners, cohort_id, name
            )
    return found


def _numbers(numbers: Sequence[str]) -> dict[str, str]:
    """Employee numbers already on an account, with that account's email."""
    found: dict[str, str] = {}
    for part in chunks(numbers):
        query = select(User.employee_number, User.email).where(User.employee_number.in_(part))
        found.update({number: email for number, email in db.session.execute(query) if number})
    return found
