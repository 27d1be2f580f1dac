"""Cohorts: creating and changing them, who may see them, and learners joining, moving and
leaving. Enrolling people from a form or a CSV file builds on this (`enrolment.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from lms import audit
from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts.due_dates import due_on
from lms.cohorts.models import (
    Cohort,
    CohortModule,
    CohortStaff,
    LeavingReason,
    Membership,
    StaffRole,
)
from lms.content.models import Module
from lms.extensions import db

# Roles that see every cohort; trainers and assessors see the cohorts they are assigned to.
SEES_EVERY_COHORT = (Role.ADMIN, Role.HR)


class CohortError(ValueError):
    """A change that cannot be made; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ModulePlan:
    """A module the cohort takes and its due date: day N of the cohort, a date, or neither."""

    module_id: int
    due_day: int | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class CohortDetails:
    name: str
    start_date: date
    modules: tuple[ModulePlan, ...]
    client: str = ""
    trainer_ids: tuple[int, ...] = ()
    assessor_ids: tuple[int, ...] = ()


# --- Creating and changing -----------------------------------------------------------------


def create_cohort(details: CohortDetails, *, actor: User) -> Cohort:
    """A new cohort; a trainer who creates one runs it, whether or not they listed themselves."""
    if actor.has_role(Role.TRAINER) and actor.id not in details.trainer_ids:
        details = CohortDetails(
            **{**details.__dict__, "trainer_ids": (*details.trainer_ids, actor.id)}
        )
    cohort = Cohort(name="", start_date=details.start_date, created_by_id=actor.id)
    _apply(cohort, details)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.created", actor=actor, target=cohort, details=_summary(cohort))
    return cohort


def update_cohort(cohort: Cohort, details: CohortDetails, *, actor: User) -> None:
    _apply(cohort, details)
    db.session.flush()
    audit.record("cohort.updated", actor=actor, target=cohort, details=_summary(cohort))


def _apply(cohort: Cohort, details: CohortDetails) -> None:
    name = " ".join(details.name.split())
    if not name:
        raise CohortError("Give the cohort a name.", "name")
    clash = db.session.scalar(select(Cohort.id).where(Cohort.name == name, Cohort.id != cohort.id))
    if clash is not None:
        raise CohortError("Another cohort already has this name.", "name")
    if not details.modules:
        raise CohortError("Choose at least one module.", "modules")
    cohort.name, cohort.client = name, " ".join(details.client.split())
    cohort.start_date = details.start_date
    _set_modules(cohort, details.modules)
    cohort.staff = [
        *_staff(cohort, details.trainer_ids, StaffRole.TRAINER, Role.TRAINER, "trainers"),
        *_staff(cohort, details.assessor_ids, StaffRole.ASSESSOR, Role.ASSESSOR, "assessors"),
    ]


def _set_modules(cohort: Cohort, plans: Sequence[ModulePlan]) -> None:
    modules = {
        module.id: module
        for module in db.session.scalars(
            select(Module).where(Module.id.in_([plan.module_id for plan in plans]))
        )
    }
    existing = {link.module_id: link for link in cohort.modules}
    links = []
    for plan in plans:
        module = modules.get(plan.module_id)
        if module is None or module.retired_at is not None:
            raise CohortError("Choose modules from the programme.", "modules")
        if plan.due_day is not None and plan.due_on is not None:
            raise CohortError(f"{module.code}: give a day or a date, not both.", "modules")
        if plan.due_day is not None and not 1 <= plan.due_day <= 366:
            raise CohortError(f"{module.code}: the due day is between 1 and 366.", "modules")
        due = due_on(cohort.start_date, day=plan.due_day, on=plan.due_on)
        if due is not None and due < cohort.start_date:
            raise CohortError(f"{module.code}: due before the cohort starts.", "modules")
        link = existing.get(module.id) or CohortModule(module=module)
        link.due_day, link.due_on = plan.due_day, plan.due_on
        links.append(link)
    cohort.modules = links


def _staff(
    cohort: Cohort, user_ids: Sequence[int], as_: StaffRole, needs: Role, field: str
) -> list[CohortStaff]:
    people = list(db.session.scalars(select(User).where(User.id.in_(set(user_ids)))))
    for person in people:
        if not person.has_role(needs) or not person.active:
            raise CohortError(f"{person.full_name} is not an active {needs.value}.", field)
    if len(people) != len(set(user_ids)):
        raise CohortError(f"Choose {field} from the list.", field)
    kept = {(link.user_id, link.role): link for link in cohort.staff}
    return [kept.get((p.id, as_)) or CohortStaff(user=p, role=as_) for p in people]


def _summary(cohort: Cohort) -> dict[str, object]:
    return {
        "name": cohort.name,
        "client": cohort.client,
        "start_date": cohort.start_date.isoformat(),
        "modules": {
            link.module.code: link.due_on.isoformat() if link.due_on else link.due_day
            for link in cohort.modules
        },
        "trainers": sorted(user.email for user in cohort.trainers),
        "assessors": sorted(user.email for user in cohort.assessors),
    }


# --- Who sees what ---------------------------------------------------------------------------


def visible_cohorts(user: User) -> Select[Cohort]:
    """The cohorts `user` may look at, newest start first: every one for HR and admins, those
    they are assigned to for trainers and assessors."""
    query = select(Cohort).order_by(Cohort.start_date.desc(), Cohort.name)
    if user.has_role(*SEES_EVERY_COHORT):
        return query
    return query.where(Cohort.staff.any(CohortStaff.user_id == user.id))


def can_view(user: User, cohort: Cohort) -> bool:
    return user.has_role(*SEES_EVERY_COHORT) or any(
        link.user_id == user.id for link in cohort.staff
    )


def can_run(user: User, cohort: Cohort) -> bool:
    """Change the cohort and its learners: admins, and the cohort's own trainers."""
    return user.has_role(Role.ADMIN) or any(
        link.user_id == user.id and link.role is StaffRole.TRAINER for link in cohort.staff
    )


def runnable_cohorts(user: User) -> Select[Cohort]:
    """The cohorts `user` may change (and move learners into): every one for admins, the
    cohorts they train otherwise."""
    query = select(Cohort).order_by(Cohort.start_date.desc(), Cohort.name)
    if user.has_role(Role.ADMIN):
        return query
    return query.where(
        Cohort.staff.any((CohortStaff.user_id == user.id) & (CohortStaff.role == StaffRole.TRAINER))
    )


def reaches_learner(staff: User, learner_id: int) -> bool:
    """Whether a member of staff may look at a learner's records: HR and admins always;
    others when the learner is or was in one of their cohorts, or was never in a cohort."""
    if staff.has_role(*SEES_EVERY_COHORT):
        return True
    cohorts = select(Membership.cohort_id).where(Membership.user_id == learner_id)
    if db.session.scalar(cohorts.limit(1)) is None:
        return True
    theirs = select(CohortStaff.cohort_id).where(
        CohortStaff.user_id == staff.id, CohortStaff.cohort_id.in_(cohorts)
    )
    return db.session.scalar(theirs.limit(1)) is not None


def find_cohort(cohort_id: int) -> Cohort | None:
    return db.session.get(Cohort, cohort_id)


def names_by_id(keys: Sequence[str]) -> dict[str, str]:
    """Cohort names by id written as text (moderation pools key their cohort that way)."""
    ids = [int(key) for key in keys if key.isdigit()]
    rows = db.session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(ids)))
    return {str(cohort_id): name for cohort_id, name in rows}


def due_dates(cohort: Cohort) -> dict[int, date | None]:
    """Each module's due date in this cohort, by module id."""
    return {
        link.module_id: due_on(cohort.start_date, day=link.due_day, on=link.due_on)
        for link in cohort.modules
    }


# --- Memberships -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortPlace:
    """The learner's current cohort as their own pages show it: its facts and due dates,
    read as plain columns (a learner page needs neither its staff nor its modules' rows)."""

    id: int
    name: str
    client: str
    start_date: date
    due: dict[int, date | None]  # by module id


def cohort_place(user_id: int) -> CohortPlace | None:
    facts = db.session.execute(
        select(Cohort.id, Cohort.name, Cohort.client, Cohort.start_date)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.user_id == user_id, Membership.left_at.is_(None))
    ).first()
    if facts is None:
        return None
    links = db.session.execute(
        select(CohortModule.module_id, CohortModule.due_day, CohortModule.due_on).where(
            CohortModule.cohort_id == facts.id
        )
    )
    due = {module_id: due_on(facts.start_date, day=day, on=on) for module_id, day, on in links}
    return CohortPlace(*facts, due=due)


def current_membership(user_id: int) -> Membership | None:
    query = (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.left_at.is_(None))
        .options(joinedload(Membership.cohort))
    )
    return db.session.scalars(query).first()


def cohort_trainers(learner_id: int) -> list[User]:
    """The active trainers of the learner's current cohort (none outside a cohort)."""
    query = (
        select(User)
        .join(CohortStaff, CohortStaff.user_id == User.id)
        .join(Membership, Membership.cohort_id == CohortStaff.cohort_id)
        .where(
            Membership.user_id == learner_id,
            Membership.left_at.is_(None),
            CohortStaff.role == StaffRole.TRAINER,
            User.active.is_(True),
        )
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def members(cohort: Cohort) -> list[Membership]:
    """The cohort's current learners, by name."""
    return list(db.session.scalars(members_query(cohort)))


def members_query(cohort: Cohort) -> Select[Membership]:
    """The cohort's current learners, by name, as a query (to page through a large intake)."""
    return (
        select(Membership)
        .join(Membership.user)
        .where(Membership.cohort_id == cohort.id, Membership.left_at.is_(None))
        .options(joinedload(Membership.user))
        .order_by(func.lower(User.full_name), User.id)
    )


def leavers(cohort: Cohort) -> list[Membership]:
    """Memberships of the cohort that ended (moved or withdrawn), the latest first."""
    query = (
        select(Membership)
        .where(Membership.cohort_id == cohort.id, Membership.left_at.is_not(None))
        .options(joinedload(Membership.user))
        .order_by(Membership.left_at.desc(), Membership.id.desc())
    )
    return list(db.session.scalars(query))


def find_membership(cohort: Cohort, membership_id: int) -> Membership | None:
    """A membership of this cohort (current or ended), or None."""
    membership = db.session.get(Membership, membership_id)
    return membership if membership is not None and membership.cohort_id == cohort.id else None


def member_counts(cohort_ids: Sequence[int]) -> dict[int, int]:
    query = (
        select(Membership.cohort_id, func.count())
        .where(Membership.cohort_id.in_(cohort_ids), Membership.left_at.is_(None))
        .group_by(Membership.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in db.session.execute(query)}


def enrol(cohort: Cohort, learner: User, *, actor: User, now: datetime) -> Membership:
    """Put a learner in the cohort. Someone already in another cohort is moved, not enrolled."""
    if not learner.has_role(Role.LEARNER):
        raise CohortError(f"{learner.email} does not hold the learner role.", "email")
    current = current_membership(learner.id)
    if current is not None:
        if current.cohort_id == cohort.id:
            raise CohortError(f"{learner.email} is already in this cohort.", "email")
        raise CohortError(
            f"{learner.email} is in {current.cohort.name}; move them from that cohort.", "email"
        )
    membership = Membership(cohort=cohort, user=learner, enrolled_at=now, enrolled_by_id=actor.id)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "cohort.enrolled",
        actor=actor,
        target=cohort,
        details={"learner": learner.email, "membership": membership.id},
    )
    return membership


def move(
    membership: Membership, to: Cohort, *, actor: User, now: datetime, note: str = ""
) -> Membership:
    """Close the membership and open one in `to`; the learner's records go with them."""
    if not membership.current:
        raise CohortError("This learner has already left the cohort.")
    if to.id == membership.cohort_id:
        raise CohortError("Choose a different cohort.", "cohort")
    _leave(membership, LeavingReason.MOVED, actor=actor, now=now, note=note)
    db.session.flush()  # the unique index allows one current membership per learner
    moved = Membership(cohort=to, user=membership.user, enrolled_at=now, enrolled_by_id=actor.id)
    db.session.add(moved)
    db.session.flush()
    audit.record(
        "cohort.moved",
        actor=actor,
        target=to,
        details={"learner": membership.user.email, "from": membership.cohort.name, "note": note},
    )
    return moved


def withdraw(membership: Membership, *, actor: User, now: datetime, note: str) -> None:
    """Take the learner out of the cohort; everything they did stays on record."""
    if not membership.current:
        raise CohortError("This learner has already left the cohort.")
    if not note.strip():
        raise CohortError("Say why the learner is withdrawn.", "note")
    _leave(membership, LeavingReason.WITHDRAWN, actor=actor, now=now, note=note)
    audit.record(
        "cohort.withdrawn",
        actor=actor,
        target=membership.cohort,
        details={"learner": membership.user.email, "note": note},
    )


def _leave(
    membership: Membership, reason: LeavingReason, *, actor: User, now: datetime, note: str
) -> None:
    membership.left_at, membership.left_by_id = now, actor.id
    membership.leaving_reason, membership.leaving_note = reason, note.strip()
