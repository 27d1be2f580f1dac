"""Who marks what, and the queue of attempts waiting for them.

An assessor marks a module for everyone when an admin assigns them to it (`/admin/assessors`),
and marks a cohort's learners in the cohort's modules when a trainer names them on the cohort.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from lms import audit
from lms.assessments.models import Attempt, AttemptState, Quiz
from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts.models import CohortModule, CohortStaff, Membership, StaffRole
from lms.content.models import Module
from lms.extensions import db
from lms.marking.models import Marking, MarkingState, ModuleAssessor
from lms.marking.services import MarkingError

# --- Assignments ---------------------------------------------------------------------------


def assigned_module_ids(assessor: User) -> list[int]:
    """Modules the assessor marks for someone: for everyone, or in one of their cohorts."""
    by_module = select(ModuleAssessor.module_id).where(ModuleAssessor.user_id == assessor.id)
    by_cohort = (
        select(CohortModule.module_id)
        .join(CohortStaff, CohortStaff.cohort_id == CohortModule.cohort_id)
        .where(CohortStaff.user_id == assessor.id, CohortStaff.role == StaffRole.ASSESSOR)
    )
    return sorted(set(db.session.scalars(by_module)) | set(db.session.scalars(by_cohort)))


def marks_learner(assessor: User, learner_id: int, module_id: int | None = None) -> bool:
    """Whether the assessor marks this learner's work in `module_id` (or in any module): the
    module is theirs, or the learner is in a cohort they assess that takes it."""
    by_module = select(ModuleAssessor.module_id).where(ModuleAssessor.user_id == assessor.id)
    by_cohort = (
        select(CohortModule.module_id)
        .join(Membership, Membership.cohort_id == CohortModule.cohort_id)
        .join(CohortStaff, CohortStaff.cohort_id == CohortModule.cohort_id)
        .where(
            Membership.user_id == learner_id,
            Membership.left_at.is_(None),
            CohortStaff.user_id == assessor.id,
            CohortStaff.role == StaffRole.ASSESSOR,
        )
    )
    if module_id is not None:
        by_module = by_module.where(ModuleAssessor.module_id == module_id)
        by_cohort = by_cohort.where(CohortModule.module_id == module_id)
    return any(db.session.scalar(query.limit(1)) is not None for query in (by_module, by_cohort))


def marks_for(assessor: User) -> ColumnElement[bool]:
    """Whether an attempt (joined to its quiz) is one `assessor` marks: the module is theirs,
    or the learner is currently in a cohort they assess that takes the module."""
    in_their_cohort = (
        select(Membership.id)
        .join(CohortStaff, CohortStaff.cohort_id == Membership.cohort_id)
        .join(
            CohortModule,
            and_(
                CohortModule.cohort_id == Membership.cohort_id,
                CohortModule.module_id == Quiz.module_id,
            ),
        )
        .where(
            Membership.user_id == Attempt.user_id,
            Membership.left_at.is_(None),
            CohortStaff.user_id == assessor.id,
            CohortStaff.role == StaffRole.ASSESSOR,
        )
        .exists()
    )
    return or_(
        Quiz.module_id.in_(
            select(ModuleAssessor.module_id).where(ModuleAssessor.user_id == assessor.id)
        ),
        in_their_cohort,
    )


def assessors_by_module() -> dict[int, list[User]]:
    rows = db.session.scalars(select(ModuleAssessor).options(joinedload(ModuleAssessor.user)))
    assigned: dict[int, list[User]] = {}
    for row in rows:
        assigned.setdefault(row.module_id, []).append(row.user)
    return assigned


def set_module_assessors(module: Module, assessors: Iterable[User], *, actor: User) -> None:
    """Make `assessors` exactly the module's assessors (each must hold the assessor role)."""
    wanted = {user.id: user for user in assessors}
    for user in wanted.values():
        if not user.has_role(Role.ASSESSOR):
            raise MarkingError(f"{user.full_name} is not an assessor.", "assessors")
    current = {
        row.user_id
        for row in db.session.scalars(
            select(ModuleAssessor).where(ModuleAssessor.module_id == module.id)
        )
    }
    if current == set(wanted):
        return
    db.session.execute(
        delete(ModuleAssessor).where(
            ModuleAssessor.module_id == module.id, ModuleAssessor.user_id.not_in(wanted)
        )
    )
    for user_id in set(wanted) - current:
        db.session.add(ModuleAssessor(module_id=module.id, user_id=user_id))
    audit.record(
        "marking.assessors_assigned",
        actor=actor,
        target=module,
        details={"assessors": sorted(user.email for user in wanted.values())},
    )


# --- The queue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    module_id: int | None = None
    waiting_days: int | None = None  # at least this many days since submission


def queue_query(assessor: User, criteria: QueueFilter, *, now: datetime) -> Select[Attempt]:
    """Attempts waiting for an assessor in the modules `assessor` marks, oldest first.

    Leaves out the assessor's own attempts and those finalised and waiting for moderation;
    includes those a moderator sent back.
    """
    # NOT EXISTS rather than an outer join and OR: PostgreSQL can then read the attempts in
    # ix_attempts_state_submitted_at's order and stop at the end of the page. The learners and
    # modules are loaded for that page alone, not joined to every row an offset skips.
    finalised = exists().where(
        Marking.attempt_id == Attempt.id, Marking.state == MarkingState.FINALISED
    )
    query = (
        select(Attempt)
        .join(Attempt.quiz)
        .where(
            Attempt.state == AttemptState.AWAITING_MARKING,
            marks_for(assessor),
            Attempt.user_id != assessor.id,
            ~finalised,
        )
        .options(
            contains_eager(Attempt.quiz).selectinload(Quiz.module),
            selectinload(Attempt.user),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    if criteria.module_id is not None:
        query = query.where(Quiz.module_id == criteria.module_id)
    if criteria.waiting_days:
        query = query.where(Attempt.submitted_at <= now - timedelta(days=criteria.waiting_days))
    return query


def queue_count(assessor: User) -> int:
    query = queue_query(assessor, QueueFilter(), now=datetime.max).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def markings_of(attempt_ids: Sequence[int]) -> dict[int, Marking]:
    """The markings of the listed attempts (who holds each), by attempt id."""
    if not attempt_ids:
        return {}
    query = (
        select(Marking)
        .where(Marking.attempt_id.in_(attempt_ids))
        .options(joinedload(Marking.assessor))
    )
    return {marking.attempt_id: marking for marking in db.session.scalars(query)}


def markable_attempt(assessor: User, attempt_id: int) -> Attempt | None:
    """A submitted attempt in the assessor's modules that is not their own; None otherwise."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id == assessor.id or not attempt.finished:
        return None
    theirs = select(Attempt.id).join(Attempt.quiz).where(Attempt.id == attempt.id)
    if db.session.scalar(theirs.where(marks_for(assessor))) is None:
        return None
    has_marking = db.session.scalar(select(Marking.id).where(Marking.attempt_id == attempt.id))
    if attempt.state is not AttemptState.AWAITING_MARKING and has_marking is None:
        return None  # marked automatically: nothing for an assessor here
    return attempt
