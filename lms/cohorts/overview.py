"""What HR's dashboard shows: completion across the organisation, by cohort and by module,
learners overdue and floor ready, and certificates about to expire.

(The learner's dashboard reads lms.cohorts.plan; assessors' and moderators' queues by age,
lms.marking.ageing.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from lms.assessments.models import Attempt
from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.certificates.models import Certificate
from lms.cohorts import services as cohorts
from lms.cohorts.due_dates import deadline, local_day, zone
from lms.cohorts.models import Cohort, Membership
from lms.content.catalogue import ModuleEntry, current_catalogue
from lms.content.models import Outcome
from lms.extensions import db
from lms.learning.models import ModuleRestart
from lms.marking.models import JudgementStatus, OutcomeJudgement, Verdict

EXPIRY_WINDOWS = (30, 60, 90)


@dataclass
class Completion:
    """Completion of a group of learners (a cohort, the self-paced, or a module)."""

    learners: int = 0
    pairs: int = 0  # one per learner and module they study
    complete: int = 0
    overdue: int = 0  # learners past a due date with the module not complete
    floor_ready: int = 0  # learners with every module of their cohort complete

    @property
    def percent(self) -> int | None:
        return round(100 * self.complete / self.pairs) if self.pairs else None


@dataclass(frozen=True)
class CohortCompletion:
    cohort: Cohort
    figures: Completion


@dataclass(frozen=True)
class ModuleCompletion:
    module: ModuleEntry
    figures: Completion


@dataclass(frozen=True)
class ExpiryWindow:
    """Valid certificates expiring from now to the end of the local day `days` ahead."""

    days: int
    count: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Organisation:
    cohorts: list[CohortCompletion]
    self_paced: Completion  # learners never in a cohort: the whole programme, no due dates
    modules: list[ModuleCompletion]
    total: Completion
    expiring: list[ExpiryWindow]


def organisation(*, now: datetime) -> Organisation:
    """Completion by cohort and by module across every current learner, and certificates
    about to expire. Withdrawn learners study nothing and are left out."""
    modules = current_catalogue().modules
    members = db.session.execute(
        select(Membership.user_id, Membership.cohort_id).where(Membership.left_at.is_(None))
    ).all()
    self_paced = _self_paced_learners()
    found = completed(modules)
    every_cohort = db.session.scalars(
        select(Cohort).order_by(Cohort.start_date.desc(), Cohort.name)
    ).all()
    by_cohort = {cohort.id: Completion() for cohort in every_cohort}
    plans = {cohort.id: _plan(cohort, modules, now) for cohort in every_cohort}
    by_module = {module.id: Completion() for module in modules}
    total, alone = Completion(), Completion()
    for user_id, cohort_id in members:
        _count(user_id, plans[cohort_id], found, [by_cohort[cohort_id], total], by_module)
    whole_programme = [(module.id, False) for module in modules]
    for user_id in self_paced:
        _count(user_id, whole_programme, found, [alone, total], by_module)
    alone.floor_ready = 0  # floor readiness is a cohort's target, not a self-paced learner's
    return Organisation(
        [CohortCompletion(cohort, by_cohort[cohort.id]) for cohort in every_cohort],
        alone,
        [ModuleCompletion(module, by_module[module.id]) for module in modules],
        total,
        expiring_certificates(now=now),
    )


# A cohort's modules still in the programme, each with whether its due date has passed.
Plan = list[tuple[int, bool]]


def _plan(cohort: Cohort, modules: Sequence[ModuleEntry], now: datetime) -> Plan:
    due = cohorts.due_dates(cohort)
    return [
        (m.id, (day := due[m.id]) is not None and now >= deadline(day))
        for m in modules
        if m.id in due
    ]


def _count(
    user_id: int,
    plan: Plan,
    found: set[tuple[int, int]],
    groups: list[Completion],
    by_module: dict[int, Completion],
) -> None:
    """Add one learner's completion to their groups and to each of their modules."""
    done = overdue = 0
    for module_id, past_due in plan:
        complete = (user_id, module_id) in found
        late = past_due and not complete
        done, overdue = done + complete, overdue + late
        module = by_module[module_id]
        module.learners += 1
        module.pairs += 1
        module.complete += complete
        module.overdue += late
    for group in groups:
        group.learners += 1
        group.pairs += len(plan)
        group.complete += done
        group.overdue += bool(overdue)
        group.floor_ready += bool(plan) and done == len(plan)


def completed(modules: Sequence[ModuleEntry]) -> set[tuple[int, int]]:
    """Every (learner, module) complete: each current outcome's latest standing judgement, of
    an attempt since the learner's latest restart of the module, is a final Competent.

    This is `standing.standings`'s rule for `Standing.complete`, decided by the database:
    standings reads every lesson, attempt and judgement of every learner, seconds of work for
    an organisation of thousands, where HR needs only this. Tests hold the two to agreement.
    """
    restarts = (
        select(
            ModuleRestart.learner_id,
            ModuleRestart.module_id,
            func.max(ModuleRestart.restarted_at).label("at"),
        )
        .group_by(ModuleRestart.learner_id, ModuleRestart.module_id)
        .subquery()
    )
    judgement = OutcomeJudgement
    latest_first = func.row_number().over(
        partition_by=(judgement.learner_id, judgement.outcome_id), order_by=judgement.id.desc()
    )
    ranked = (
        select(
            judgement.learner_id,
            Outcome.module_id,
            judgement.status,
            judgement.verdict,
            latest_first.label("rank"),
        )
        .join(Outcome, Outcome.id == judgement.outcome_id)
        .join(Attempt, Attempt.id == judgement.attempt_id)
        .outerjoin(
            restarts,
            and_(
                restarts.c.learner_id == judgement.learner_id,
                restarts.c.module_id == Outcome.module_id,
            ),
        )
        .where(
            Outcome.module_id.in_([module.id for module in modules]),
            Outcome.retired_at.is_(None),
            judgement.status.in_((JudgementStatus.IN_SAMPLE, JudgementStatus.FINAL)),
            or_(restarts.c.at.is_(None), Attempt.started_at >= restarts.c.at),
        )
        .subquery()
    )
    competent = (
        select(ranked.c.learner_id, ranked.c.module_id, func.count())
        .where(
            ranked.c.rank == 1,
            ranked.c.status == JudgementStatus.FINAL,
            ranked.c.verdict == Verdict.COMPETENT,
        )
        .group_by(ranked.c.learner_id, ranked.c.module_id)
    )
    outcomes = {module.id: len(module.outcomes) for module in modules}
    return {
        (learner_id, module_id)
        for learner_id, module_id, count in db.session.execute(competent)
        if count == outcomes[module_id]
    }


def _self_paced_learners() -> list[int]:
    """Active learners who have never been in a cohort: they study the whole programme."""
    query = select(User.id).where(
        User.active.is_(True),
        exists().where(UserRole.user_id == User.id, UserRole.role == Role.LEARNER.value),
        ~exists().where(Membership.user_id == User.id),
    )
    return list(db.session.scalars(query))


def expiring_certificates(*, now: datetime) -> list[ExpiryWindow]:
    """How many valid certificates expire within 30, 60 and 90 days, counted as the register
    counts them when filtered from today to the last day of the window."""
    tz = zone()
    today = local_day(now, tz)
    ends = [deadline(today + timedelta(days=days), tz) for days in EXPIRY_WINDOWS]
    valid = and_(Certificate.revoked_at.is_(None), Certificate.expires_at > now)
    counts: list[ColumnElement[Any]] = [
        func.sum(case((Certificate.expires_at < end, 1), else_=0)) for end in ends
    ]
    query = select(*counts).where(valid, Certificate.expires_at < ends[-1])
    found = db.session.execute(query).one()
    return [
        ExpiryWindow(days, int(count or 0), today, today + timedelta(days=days))
        for days, count in zip(EXPIRY_WINDOWS, found, strict=True)
    ]
