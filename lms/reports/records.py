"""Completion records: one row per learner and module they are, or were, meant to take.

A learner in a cohort (or, once they have left every cohort, the last one they were in) has a
record for each of that cohort's modules; a learner who was never in a cohort studies at their
own pace and has one for every module of the programme. The rows are paired in SQL, where the
cohort, module and learner filters apply, and streamed in learner order. Where each learner
stands is read for `CHUNK` learners at a time (`lms.cohorts.standing`, four queries a chunk),
and the stage, overdue and date filters apply to each chunk as it passes: a page, an export
of a hundred thousand rows and the command line all read the records the same way, without
holding them all in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Row,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    null,
    or_,
    select,
    true,
    union_all,
)

from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.cohorts.due_dates import due_on, local_day
from lms.cohorts.models import Cohort, CohortModule, Membership
from lms.cohorts.standing import CHUNK, Stage, Standing, standings
from lms.content.catalogue import ModuleEntry, current_catalogue
from lms.content.models import Module
from lms.extensions import db
from lms.pagination import Page

OVERDUE = "overdue"  # the status filter's extra value, beside the stages
SELF_PACED = "Self-paced"  # the cohort shown for a learner never in a cohort
ENROLLED, WITHDRAWN = "Enrolled", "Withdrawn"

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class RecordFilter:
    """What the records are narrowed to. Dates are local calendar days, both ends included."""

    cohort_id: int | None = None
    self_paced: bool = False  # only learners never in a cohort
    module_code: str | None = None
    status: str | None = None  # a Stage value, or OVERDUE
    completed_from: date | None = None
    completed_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    search: str | None = None  # part of a name, an email or an employee number
    learner_id: int | None = None  # one learner's records (their transcript)

    @property
    def decided_per_row(self) -> bool:
        """Whether a filter needs each record's standing or due date, not only SQL."""
        bounds = (self.completed_from, self.completed_to, self.due_from, self.due_to)
        return self.status is not None or any(bound is not None for bound in bounds)

    def described(self) -> dict[str, str]:
        """The criteria that are set, as text, for the audit trail."""
        values = {name: value for name, value in asdict(self).items() if value not in (None, False)}
        return {name: str(value) for name, value in values.items()}


@dataclass(frozen=True)
class RecordScope:
    """Whose records a person may read: every learner's, or those placed in some cohorts."""

    cohort_ids: Select[Any] | None = None  # None: every cohort and the self-paced learners

    @property
    def everyone(self) -> bool:
        return self.cohort_ids is None


def scope_for(user: User) -> RecordScope:
    """HR and admins read every record; a trainer those of learners in their cohorts."""
    if user.has_role(*cohorts.SEES_EVERY_COHORT):
        return RecordScope()
    visible = cohorts.visible_cohorts(user).with_only_columns(Cohort.id).order_by(None)
    return RecordScope(cohort_ids=visible)


class RecordRow(NamedTuple):
    """One completion record, as the page lists it and the exports write it (a named tuple:
    a hundred thousand of them are made per large export)."""

    learner_id: int
    name: str
    email: str
    employee_number: str
    cohort: str
    client: str
    membership: str  # ENROLLED or WITHDRAWN
    module_code: str
    module_title: str
    stage: Stage
    lessons_done: int
    lessons_total: int
    best_check_percent: float | None
    due: date | None
    completed: date | None
    overdue: bool
    certificate_code: str | None
    certificate_expires: date | None


# --- Pairing learners with modules, in SQL ----------------------------------------------------


def pairs_query(criteria: RecordFilter, scope: RecordScope) -> Select[Any]:
    """Every (learner, module) record the filters and scope allow, in learner order."""
    parts = []
    if not criteria.self_paced:
        parts.append(_cohort_pairs(criteria, scope))
    if criteria.cohort_id is None and scope.everyone:
        parts.append(_self_paced_pairs(criteria))
    if not parts:  # self-paced learners asked for by someone who may not see them
        parts.append(_cohort_pairs(criteria, scope).where(false()))
    pairs = union_all(*parts).subquery("pairs")
    return select(pairs).order_by(
        func.lower(pairs.c.full_name), pairs.c.user_id, pairs.c.position, pairs.c.code
    )


def _placement() -> Any:
    """Each learner's membership to report: the current one, or else the latest."""
    current = func.max(case((Membership.left_at.is_(None), Membership.id)))
    return (
        select(
            Membership.user_id,
            func.coalesce(current, func.max(Membership.id)).label("membership_id"),
        )
        .group_by(Membership.user_id)
        .subquery("placement")
    )


def _learner_columns() -> list[Any]:
    return [User.id.label("user_id"), User.full_name, User.email, User.employee_number]


def _module_columns() -> list[Any]:
    return [Module.id.label("module_id"), Module.code, Module.title, Module.position]


def _cohort_pairs(criteria: RecordFilter, scope: RecordScope) -> Select[Any]:
    placement = _placement()
    query = (
        select(
            *_learner_columns(),
            Cohort.id.label("cohort_id"),
            Cohort.name.label("cohort_name"),
            Cohort.client,
            Cohort.start_date,
            Membership.left_at.is_(None).label("is_current"),
            CohortModule.due_day,
            CohortModule.due_on,
            *_module_columns(),
        )
        .select_from(placement)
        .join(Membership, Membership.id == placement.c.membership_id)
        .join(User, User.id == Membership.user_id)
        .join(Cohort, Cohort.id == Membership.cohort_id)
        .join(CohortModule, CohortModule.cohort_id == Cohort.id)
        .join(Module, Module.id == CohortModule.module_id)
        .where(Module.retired_at.is_(None), *_common(criteria))
    )
    if criteria.cohort_id is not None:
        query = query.where(Cohort.id == criteria.cohort_id)
    if scope.cohort_ids is not None:
        query = query.where(Cohort.id.in_(scope.cohort_ids))
    return query


def _self_paced_pairs(criteria: RecordFilter) -> Select[Any]:
    never_in_a_cohort = ~select(Membership.id).where(Membership.user_id == User.id).exists()
    return (
        select(
            *_learner_columns(),
            cast(null(), Integer).label("cohort_id"),
            cast(null(), String).label("cohort_name"),
            cast(null(), String).label("client"),
            cast(null(), Date).label("start_date"),
            true().label("is_current"),
            cast(null(), Integer).label("due_day"),
            cast(null(), Date).label("due_on"),
            *_module_columns(),
        )
        .select_from(User)
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.LEARNER.value))
        .join(Module, true())
        .where(Module.retired_at.is_(None), never_in_a_cohort, *_common(criteria))
    )


def _common(criteria: RecordFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.learner_id is not None:
        conditions.append(User.id == criteria.learner_id)
    if criteria.module_code:
        conditions.append(Module.code == criteria.module_code)
    if criteria.search:
        term = criteria.search.strip().lower()
        conditions.append(
            or_(
                func.lower(User.full_name).contains(term, autoescape=True),
                func.lower(User.email).contains(term, autoescape=True),
                func.lower(User.employee_number).contains(term, autoescape=True),
            )
        )
    return conditions


def count_pairs(criteria: RecordFilter, scope: RecordScope) -> int:
    """How many records the SQL filters allow (before stage and date filters)."""
    query = pairs_query(criteria, scope).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(query)) or 0


# --- Standings, a chunk of learners at a time -------------------------------------------------


def iter_records(
    criteria: RecordFilter,
    scope: RecordScope,
    *,
    now: datetime,
    zone: ZoneInfo,
    on_progress: ProgressCallback | None = None,
) -> Iterator[RecordRow]:
    """Every matching record in learner order, fetched and judged as it is consumed.

    `on_progress` hears how many (learner, module) pairs each chunk covered, matching or not.
    """
    query = pairs_query(criteria, scope).execution_options(yield_per=1000)
    for chunk in _by_learners(db.session.execute(query)):
        for row in _rows(chunk, now=now, zone=zone):
            if matches(row, criteria):
                yield row
        if on_progress is not None:
            on_progress(len(chunk))


def _by_learners(pairs: Iterable[Row[Any]]) -> Iterator[list[Row[Any]]]:
    """The pairs in runs covering at most CHUNK learners, never splitting a learner."""
    chunk: list[Row[Any]] = []
    learners = 0
    last: int | None = None
    for pair in pairs:
        if pair.user_id != last:
            if learners == CHUNK:
                yield chunk
                chunk, learners = [], 0
            learners, last = learners + 1, pair.user_id
        chunk.append(pair)
    if chunk:
        yield chunk


def _rows(chunk: Sequence[Row[Any]], *, now: datetime, zone: ZoneInfo) -> Iterator[RecordRow]:
    catalogue = {module.id: module for module in current_catalogue().modules}
    modules: list[ModuleEntry] = []
    for module_id in dict.fromkeys(pair.module_id for pair in chunk):
        if module_id in catalogue:  # a module retired since the pairs were read is left out
            modules.append(catalogue[module_id])
    found = standings({pair.user_id for pair in chunk}, modules, now=now)
    today = local_day(now, zone)  # a module due before today is overdue (see due_status)
    for pair in chunk:
        standing = found.get((pair.user_id, pair.module_id))
        if standing is not None:
            yield _record(pair, standing, today=today, zone=zone)


def _record(pair: Row[Any], standing: Standing, *, today: date, zone: ZoneInfo) -> RecordRow:
    in_cohort = pair.cohort_id is not None
    due = due_on(pair.start_date, day=pair.due_day, on=pair.due_on) if in_cohort else None
    # Only a learner still in the cohort can be late: a withdrawn one is no longer expected.
    overdue = bool(pair.is_current) and due is not None and due < today and not standing.complete
    completed, expires = standing.completed_at, standing.certificate_expires_at
    return RecordRow(
        learner_id=pair.user_id,
        name=pair.full_name,
        email=pair.email,
        employee_number=pair.employee_number or "",
        cohort=pair.cohort_name if in_cohort else SELF_PACED,
        client=pair.client or "",
        membership=ENROLLED if pair.is_current else WITHDRAWN,
        module_code=pair.code,
        module_title=pair.title,
        stage=standing.stage,
        lessons_done=standing.lessons_done,
        lessons_total=standing.lessons_total,
        best_check_percent=standing.best_check_percent,
        due=due,
        completed=local_day(completed, zone) if completed else None,
        overdue=overdue,
        certificate_code=standing.certificate_code,
        certificate_expires=local_day(expires, zone) if expires else None,
    )


def matches(row: RecordRow, criteria: RecordFilter) -> bool:
    """Whether a record passes the stage, overdue and date filters."""
    if criteria.status == OVERDUE:
        if not row.overdue:
            return False
    elif criteria.status is not None and row.stage.value != criteria.status:
        return False
    return _within(row.completed, criteria.completed_from, criteria.completed_to) and _within(
        row.due, criteria.due_from, criteria.due_to
    )


def _within(day: date | None, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


# --- A page of records ------------------------------------------------------------------------


def records_page(
    criteria: RecordFilter,
    scope: RecordScope,
    *,
    number: int,
    size: int,
    now: datetime,
    zone: ZoneInfo,
) -> Page[RecordRow]:
    """One page of records with the total; past the end, the last page.

    Without a stage or date filter the page is cut in SQL and only its learners' standings
    are read. With one, every record is judged (a chunk at a time) to count the matches,
    keeping only the rows of the page asked for.
    """
    if not criteria.decided_per_row:
        total = count_pairs(criteria, scope)
        number = min(number, max(1, -(-total // size)))
        query = pairs_query(criteria, scope).limit(size).offset((number - 1) * size)
        items = list(_rows(db.session.execute(query).all(), now=now, zone=zone))
        return Page(items=items, number=number, size=size, total=total)
    wanted: list[RecordRow] = []
    block: list[RecordRow] = []
    total = 0
    for row in iter_records(criteria, scope, now=now, zone=zone):
        if total % size == 0:
            block = []
        block.append(row)
        if total // size == number - 1:
            wanted.append(row)
        total += 1
    if not wanted and total:  # asked past the end: the last page, which is the last block
        wanted, number = block, -(-total // size)
    return Page(items=wanted, number=number, size=size, total=total)


# --- Choices for the filters ------------------------------------------------------------------


def cohort_choices(user: User) -> list[tuple[int, str]]:
    """The cohorts the person may filter by (id, name), newest start first."""
    return [
        (cohort.id, cohort.name) for cohort in db.session.scalars(cohorts.visible_cohorts(user))
    ]


def module_choices() -> list[tuple[str, str]]:
    """Each module of the programme (code, "code title"), in programme order."""
    return [(m.code, f"{m.code} {m.title}") for m in current_catalogue().modules]
