"""A cohort's progress in figures: the matrix of learners against modules, who is overdue, who
is floor ready, and the share complete on each day since the start.

Everything is worked out from one call to `standings` for the whole cohort (five queries) plus
one query for the learners, so the matrix of a cohort of fifty is as quick as that of five. The
trainer's dashboard summarises all of a trainer's cohorts from one `standings` call.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil

from sqlalchemy import func, select

from lms.auth.models import User
from lms.cohorts import services
from lms.cohorts.due_dates import local_day
from lms.cohorts.models import Cohort, CohortStaff, Membership, StaffRole
from lms.cohorts.standing import Stage, Standing, standings
from lms.content.catalogue import ModuleEntry, current_catalogue
from lms.extensions import db

# The chart of completion over time shows at most this many days; a longer cohort is sampled.
MAX_CHART_DAYS = 120


@dataclass(frozen=True)
class Learner:
    id: int
    full_name: str
    email: str


@dataclass(frozen=True)
class Column:
    """A module the cohort takes, with its due date in this cohort."""

    module: ModuleEntry
    due: date | None


@dataclass(frozen=True)
class Cell:
    column: Column
    standing: Standing
    days_overdue: int  # 0 unless past due and not complete

    @property
    def stage(self) -> Stage:
        return self.standing.stage

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class Row:
    learner: Learner
    cells: tuple[Cell, ...]

    @property
    def complete_count(self) -> int:
        return sum(cell.standing.complete for cell in self.cells)

    @property
    def ready(self) -> bool:
        """Floor ready: every module of the cohort complete."""
        return bool(self.cells) and self.complete_count == len(self.cells)

    @property
    def ready_on(self) -> date | None:
        """The local day the last module was completed, for a floor-ready learner."""
        if not self.ready:
            return None
        days = [_completion_day(cell) for cell in self.cells]
        return max((day for day in days if day is not None), default=None)

    @property
    def overdue_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.overdue]


@dataclass(frozen=True)
class OverdueLearner:
    learner: Learner
    modules: tuple[tuple[Column, int], ...]  # (module, days overdue), most overdue first

    @property
    def worst(self) -> int:
        return self.modules[0][1]


@dataclass(frozen=True)
class ReadyLearner:
    learner: Learner
    ready_on: date | None


@dataclass(frozen=True)
class DayShare:
    """How many learner-module pairs were complete by the end of a local day."""

    day: date
    complete: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.complete / self.total if self.total else 0.0


@dataclass
class Matrix:
    """A cohort's learners (rows) against its modules (columns), on a given local day."""

    cohort: Cohort
    columns: list[Column]
    rows: list[Row]
    today: date

    @property
    def pairs(self) -> int:
        return len(self.rows) * len(self.columns)

    @property
    def complete(self) -> int:
        return sum(row.complete_count for row in self.rows)

    @property
    def percent_complete(self) -> int:
        return round(100 * self.complete / self.pairs) if self.pairs else 0

    def overdue(self) -> list[OverdueLearner]:
        """Learners with modules past due and not complete, the most overdue first."""
        found = []
        for row in self.rows:
            late = sorted(
                ((cell.column, cell.days_overdue) for cell in row.overdue_cells),
                key=lambda pair: -pair[1],
            )
            if late:
                found.append(OverdueLearner(row.learner, tuple(late)))
        return sorted(found, key=lambda entry: (-entry.worst, -len(entry.modules)))

    def floor_ready(self) -> list[ReadyLearner]:
        """Learners with every module complete, the first to be ready first."""
        ready = [ReadyLearner(row.learner, row.ready_on) for row in self.rows if row.ready]
        return sorted(ready, key=lambda entry: entry.ready_on or self.today)

    def stage_counts(self) -> list[tuple[Column, Counter[Stage]]]:
        """How many learners stand at each stage, per module."""
        return [
            (column, Counter(row.cells[index].stage for row in self.rows))
            for index, column in enumerate(self.columns)
        ]

    def completion_series(self) -> list[DayShare]:
        """The share of learner-module pairs complete at the end of each day from the start
        to today; a cohort older than MAX_CHART_DAYS is sampled evenly, today always last.

        It is drawn from where learners stand now: a module restarted for recertification no
        longer counts on the days it was complete before.
        """
        start, end = self.cohort.start_date, self.today
        if end < start or not self.pairs:
            return []
        completed = Counter(
            _completion_day(cell) or end
            for row in self.rows
            for cell in row.cells
            if cell.stage.complete
        )
        days = _chart_days(start, end)
        running, shares, counted = 0, [], sorted(completed.items())
        position = 0
        for day in days:
            while position < len(counted) and counted[position][0] <= day:
                running += counted[position][1]
                position += 1
            shares.append(DayShare(day, running, self.pairs))
        return shares


@dataclass(frozen=True)
class CohortSummary:
    """One cohort on the trainer's dashboard."""

    cohort: Cohort
    learners: int
    percent_complete: int
    overdue: int  # learners with at least one module overdue
    floor_ready: int
    started: bool


def columns_of(cohort: Cohort) -> list[Column]:
    """The cohort's published modules in programme order, with their due dates."""
    due = services.due_dates(cohort)
    return [Column(m, due[m.id]) for m in current_catalogue().modules if m.id in due]


def cohort_matrix(cohort: Cohort, *, now: datetime) -> Matrix:
    """The cohort's progress matrix as it stands at `now`."""
    learners = _current_learners([cohort.id])[cohort.id]
    columns = columns_of(cohort)
    found = standings([learner.id for learner in learners], [c.module for c in columns], now=now)
    return _matrix(cohort, columns, learners, found, today=local_day(now))


def trained_by(trainer: User) -> list[Cohort]:
    """The cohorts `trainer` runs as one of its trainers, newest start first."""
    runs = Cohort.staff.any(
        (CohortStaff.user_id == trainer.id) & (CohortStaff.role == StaffRole.TRAINER)
    )
    return list(db.session.scalars(services.visible_cohorts(trainer).where(runs)))


def summaries(cohorts: Sequence[Cohort], *, now: datetime) -> list[CohortSummary]:
    """Each cohort's headline figures, from one `standings` call for all of them."""
    learners = _current_learners([cohort.id for cohort in cohorts])
    columns = {cohort.id: columns_of(cohort) for cohort in cohorts}
    modules = {c.module.id: c.module for cols in columns.values() for c in cols}
    ids = [learner.id for group in learners.values() for learner in group]
    found = standings(ids, list(modules.values()), now=now)
    today = local_day(now)
    result = []
    for cohort in cohorts:
        matrix = _matrix(cohort, columns[cohort.id], learners[cohort.id], found, today=today)
        result.append(
            CohortSummary(
                cohort,
                learners=len(matrix.rows),
                percent_complete=matrix.percent_complete,
                overdue=len(matrix.overdue()),
                floor_ready=len(matrix.floor_ready()),
                started=cohort.start_date <= today,
            )
        )
    return result


def _matrix(
    cohort: Cohort,
    columns: list[Column],
    learners: Iterable[Learner],
    found: dict[tuple[int, int], Standing],
    *,
    today: date,
) -> Matrix:
    rows = [
        Row(learner, tuple(_cell(c, found[learner.id, c.module.id], today) for c in columns))
        for learner in learners
    ]
    return Matrix(cohort, columns, rows, today)


def _cell(column: Column, standing: Standing, today: date) -> Cell:
    late = 0 if standing.complete or column.due is None else (today - column.due).days
    return Cell(column, standing, max(late, 0))


def _completion_day(cell: Cell) -> date | None:
    at = cell.standing.completed_at
    return local_day(at) if at is not None else None


def _chart_days(start: date, end: date) -> list[date]:
    span = (end - start).days + 1
    step = ceil(span / MAX_CHART_DAYS)
    days = [start + timedelta(days=offset) for offset in range(0, span, step)]
    if days[-1] != end:
        days.append(end)
    return days


def _current_learners(cohort_ids: list[int]) -> dict[int, list[Learner]]:
    """Each cohort's current learners by name, in one query."""
    query = (
        select(Membership.cohort_id, User.id, User.full_name, User.email)
        .join(User, User.id == Membership.user_id)
        .where(Membership.cohort_id.in_(cohort_ids), Membership.left_at.is_(None))
        .order_by(func.lower(User.full_name), User.id)
    )
    grouped: dict[int, list[Learner]] = defaultdict(list)
    for cohort_id, user_id, full_name, email in db.session.execute(query):
        grouped[cohort_id].append(Learner(user_id, full_name, email))
    return grouped
