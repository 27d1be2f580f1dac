"""Due-date reminders: the daily `lms reminders send` emails learners whose modules are due soon
or overdue, and gives each trainer a weekly summary of the cohorts they run.

Days are calendar days in the academy's time zone (`LMS_TIMEZONE`), as on the dashboards.

- Due soon: each module a learner has not completed is announced once, DUE_REMINDER_DAYS days
  before its due date (2 by default). A run that missed that day announces it on a later day,
  up to the due date itself.
- Overdue: each module past its due date and not complete is announced on the first run after
  the due date; while anything stays overdue the learner hears again a week after their last
  overdue email. A contact centre wants its new hires chased, not nagged daily.
- A learner gets at most one email a day, listing every module due soon and every overdue one.
- Trainers: one email per ISO week (the first run of the week: Monday with a daily cron)
  covering every running cohort they train: started, with learners, not all floor ready.
- Only current members of a cohort with an active account hear anything; withdrawn learners
  and deactivated accounts do not.

Each announcement is recorded once, under a unique key, before its email goes out
(`reminder_delivery`), so a second run the same day sends nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import exists, select

from lms.auth.models import User
from lms.cohorts.due_dates import DueStatus, local_day
from lms.cohorts.matrix import Cell, Matrix, Row, cohort_matrix
from lms.cohorts.models import Cohort, Membership
from lms.cohorts.reminder_delivery import (
    Message,
    already_sent,
    deliver,
    due_soon_key,
    overdue_key,
    overdue_told_key,
    trainer_week_key,
)
from lms.extensions import db
from lms.urls import external_url, path_for

OVERDUE_INTERVAL_DAYS = 7


# --- What is sent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleDue:
    """A module in a reminder: when it is due and where to study it."""

    code: str
    title: str
    due: date
    days_left: int  # negative once overdue
    url: str

    @property
    def when(self) -> str:
        """'overdue by 3 days', 'due today', 'due tomorrow', '2 days left'."""
        label = DueStatus(self.due, self.days_left).label
        return label[0].lower() + label[1:]

    @property
    def due_text(self) -> str:
        return long_date(self.due)


@dataclass
class ReminderReport:
    today: date
    days: int  # DUE_REMINDER_DAYS
    due_soon: list[str] = field(default_factory=list)  # learners told of modules due soon
    overdue: list[str] = field(default_factory=list)  # learners told of overdue modules
    trainers: list[str] = field(default_factory=list)  # trainers sent the weekly summary
    failed: list[str] = field(default_factory=list)  # addresses the mail server refused
    raced: int = 0  # messages another run sent a moment earlier

    @property
    def learners(self) -> int:
        return len(set(self.due_soon) | set(self.overdue))


def long_date(day: date) -> str:
    """'Friday 12 December 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def reminder_days() -> int:
    return int(current_app.config["DUE_REMINDER_DAYS"])


# --- The run -------------------------------------------------------------------------------------


def send_reminders(*, now: datetime) -> ReminderReport:
    """Send the learners' reminders and the trainers' weekly summaries due at `now`.

    Each message is its own unit of work: it is committed (with its keys) before it is sent,
    so this commits as it goes; the caller has nothing left to commit.
    """
    today, days = local_day(now), reminder_days()
    report = ReminderReport(today=today, days=days)
    matrices = [cohort_matrix(cohort, now=now) for cohort in _cohorts_with_learners()]
    inactive = _inactive_learners()
    learner_messages = _learner_messages(matrices, inactive, today, days)
    trainer_messages = _trainer_messages(matrices, today)
    for message in learner_messages:
        outcome = deliver(message, now)
        if outcome == "sent" and message.lists_due_soon:
            report.due_soon.append(message.to)
        if outcome == "sent" and message.lists_overdue:
            report.overdue.append(message.to)
        _count_problem(report, outcome, message)
    for message in trainer_messages:
        outcome = deliver(message, now)
        if outcome == "sent":
            report.trainers.append(message.to)
        _count_problem(report, outcome, message)
    return report


def _count_problem(report: ReminderReport, outcome: str, message: Message) -> None:
    if outcome == "failed":
        report.failed.append(message.to)
    elif outcome == "raced":
        report.raced += 1


def _cohorts_with_learners() -> list[Cohort]:
    current = exists().where(Membership.cohort_id == Cohort.id, Membership.left_at.is_(None))
    return list(db.session.scalars(select(Cohort).where(current).order_by(Cohort.id)))


def _inactive_learners() -> set[int]:
    """Current members whose account is deactivated: they are not emailed."""
    query = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.left_at.is_(None), User.active.is_(False))
    )
    return set(db.session.scalars(query))


# --- Learners ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pending:
    """A learner's modules due soon and overdue today, with the keys that would be settled."""

    matrix: Matrix
    row: Row
    soon: list[Cell]
    overdue: list[Cell]

    def keys(self, today: date) -> list[str]:
        uid = self.row.learner.id
        keys = [due_soon_key(uid, c.column.module.id, _due(c)) for c in self.soon]
        keys += [overdue_key(uid, c.column.module.id, _due(c)) for c in self.overdue]
        if self.overdue:
            keys += [
                overdue_told_key(uid, today - timedelta(days=back))
                for back in range(OVERDUE_INTERVAL_DAYS)
            ]
        return keys


def _due(cell: Cell) -> date:
    assert cell.column.due is not None
    return cell.column.due


def _learner_messages(
    matrices: Sequence[Matrix], inactive: set[int], today: date, days: int
) -> list[Message]:
    pending = []
    for matrix in matrices:
        for row in matrix.rows:
            if row.learner.id in inactive:
                continue
            soon, overdue = _due_cells(row, today, days)
            if soon or overdue:
                pending.append(_Pending(matrix, row, soon, overdue))
    sent = already_sent(key for p in pending for key in p.keys(today))
    messages = []
    for entry in pending:
        built = _learner_message(entry, today, sent)
        if built is not None:
            messages.append(built)
    return messages


def _due_cells(row: Row, today: date, days: int) -> tuple[list[Cell], list[Cell]]:
    """The learner's incomplete modules due within `days` days, and those past due."""
    soon, overdue = [], []
    for cell in row.cells:
        if cell.standing.complete or cell.column.due is None:
            continue
        left = (cell.column.due - today).days
        if left < 0:
            overdue.append(cell)
        elif left <= days:
            soon.append(cell)
    overdue.sort(key=_due)
    soon.sort(key=_due)
    return soon, overdue


def _learner_message(entry: _Pending, today: date, sent: set[str]) -> Message | None:
    """The learner's email today, if something is new: a module now due soon or overdue, or a
    week since they last heard about overdue modules."""
    uid = entry.row.learner.id
    new_soon = [c for c in entry.soon if due_soon_key(uid, c.column.module.id, _due(c)) not in sent]
    new_overdue = [
        c for c in entry.overdue if overdue_key(uid, c.column.module.id, _due(c)) not in sent
    ]
    told_lately = any(
        overdue_told_key(uid, today - timedelta(days=back)) in sent
        for back in range(OVERDUE_INTERVAL_DAYS)
    )
    weekly = bool(entry.overdue) and not told_lately
    if not (new_soon or new_overdue or weekly):
        return None
    keys = [due_soon_key(uid, c.column.module.id, _due(c)) for c in new_soon]
    keys += [overdue_key(uid, c.column.module.id, _due(c)) for c in new_overdue]
    if entry.overdue:
        keys.append(overdue_told_key(uid, today))
    soon = [_module_due(c, today) for c in entry.soon]
    overdue = [_module_due(c, today) for c in entry.overdue]
    learner, cohort = entry.row.learner, entry.matrix.cohort
    text = render_template(
        "email/due_reminder.txt",
        learner=learner,
        cohort=cohort,
        trainers=[t.full_name for t in cohort.trainers if t.active],
        soon=soon,
        overdue=overdue,
        dashboard_url=external_url("dashboards.home"),
    )
    first = (overdue or soon)[0]
    note = " ".join(f"{m.code} {m.title}: {m.when}." for m in [*overdue, *soon])
    slug = (entry.overdue or entry.soon)[0].column.module.slug
    return Message(
        user_id=uid,
        to=learner.email,
        subject=_learner_subject(soon, overdue, first),
        text=text,
        note=note,
        link=path_for("learning.module", slug=slug),
        keys=tuple(keys),
        lists_due_soon=bool(soon),
        lists_overdue=bool(overdue),
    )


def _module_due(cell: Cell, today: date) -> ModuleDue:
    module, due = cell.column.module, _due(cell)
    return ModuleDue(
        code=module.code,
        title=module.title,
        due=due,
        days_left=(due - today).days,
        url=external_url("learning.module", slug=module.slug),
    )


def _learner_subject(soon: list[ModuleDue], overdue: list[ModuleDue], first: ModuleDue) -> str:
    if overdue:
        head = (
            f"Overdue: {first.code} {first.title}"
            if len(overdue) == 1
            else f"{len(overdue)} modules overdue"
        )
        return head + (f", and {len(soon)} due soon" if soon else "")
    if len(soon) == 1:
        return f"{first.code} {first.title} is {_due_phrase(first)}"
    return f"{len(soon)} modules due soon, the first {_due_phrase(first)}"


def _due_phrase(module: ModuleDue) -> str:
    if module.days_left == 0:
        return "due today"
    if module.days_left == 1:
        return "due tomorrow"
    return f"due in {module.days_left} days"


# --- Trainers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortWeek:
    """One cohort in a trainer's weekly summary."""

    matrix: Matrix
    progress_url: str

    @property
    def cohort(self) -> Cohort:
        return self.matrix.cohort

    @property
    def ready(self) -> int:
        return len(self.matrix.floor_ready())


def _running(matrix: Matrix, today: date) -> bool:
    """Started, with learners, and not every learner floor ready yet."""
    rows = matrix.rows
    return matrix.cohort.start_date <= today and bool(rows) and not all(r.ready for r in rows)


def _trainer_messages(matrices: Sequence[Matrix], today: date) -> list[Message]:
    by_trainer: dict[int, list[Matrix]] = defaultdict(list)
    trainers: dict[int, User] = {}
    for matrix in matrices:
        if not _running(matrix, today):
            continue
        for trainer in matrix.cohort.trainers:
            if trainer.active:
                trainers[trainer.id] = trainer
                by_trainer[trainer.id].append(matrix)
    keys = {tid: trainer_week_key(tid, today) for tid in by_trainer}
    sent = already_sent(keys.values())
    return [
        _trainer_message(trainers[tid], by_trainer[tid], keys[tid], today)
        for tid in sorted(by_trainer)
        if keys[tid] not in sent
    ]


def _trainer_message(trainer: User, matrices: list[Matrix], key: str, today: date) -> Message:
    weeks = [
        CohortWeek(m, external_url("cohort_progress.progress", cohort_id=m.cohort.id))
        for m in sorted(matrices, key=lambda m: m.cohort.name.casefold())
    ]
    monday = today - timedelta(days=today.weekday())
    text = render_template(
        "email/trainer_week.txt",
        trainer=trainer,
        weeks=weeks,
        monday=long_date(monday),
        days=reminder_days(),
    )
    subject = (
        f"Weekly summary: {weeks[0].cohort.name}"
        if len(weeks) == 1
        else f"Weekly summary: {len(weeks)} cohorts"
    )
    note = " ".join(
        f"{w.cohort.name}: {len(w.matrix.rows)} learners, {w.matrix.percent_complete} % "
        f"complete, {len(w.matrix.overdue())} overdue, {w.ready} floor ready."
        for w in weeks
    )
    return Message(
        user_id=trainer.id,
        to=trainer.email,
        subject=subject,
        text=text,
        note=note,
        link=path_for("cohort_progress.progress", cohort_id=weeks[0].cohort.id),
        keys=(key,),
    )
