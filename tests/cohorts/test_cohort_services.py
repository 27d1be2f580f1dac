"""Cohort services: creating and changing cohorts (every refusal changes nothing), who sees and
runs them, and learners joining, moving and leaving with their records kept."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from lms.audit import AuditEvent
from lms.auth.models import PasswordResetToken, User
from lms.auth.passwords import NO_PASSWORD_YET
from lms.auth.roles import Role
from lms.cohorts import enrolment, services
from lms.cohorts.models import Cohort, LeavingReason, Membership
from lms.cohorts.roster import Person
from lms.cohorts.services import CohortDetails, CohortError, ModulePlan
from lms.content.models import Lesson, LessonRevision
from lms.extensions import db
from lms.learning.models import LessonProgress
from tests.cohorts.enrolment_steps import START, make_cohort, person, programme
from tests.conftest import UserFactory

__all__ = ["programme"]

NOW = datetime(2027, 1, 29, 8, 0, tzinfo=UTC)


def details(ids: dict[str, int], /, **changes: object) -> CohortDetails:
    """M1 due on day 3 and M2 with no due date, changed as given."""
    values: dict[str, object] = {
        "name": "Vela Mobile, February intake",
        "start_date": START,
        "modules": (ModulePlan(ids["M1"], due_day=3), ModulePlan(ids["M2"])),
    }
    return CohortDetails(**{**values, **changes})  # type: ignore[arg-type]


def cohort_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Cohort)) or 0


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_trainer_who_creates_a_cohort_runs_it(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """The cohort keeps its modules, due dates and staff; its creator is one of its trainers,
    and the creation is audited."""
    trainer = person(make_user, Role.TRAINER, full_name="Thandi Nkosi")
    assessor = person(make_user, Role.ASSESSOR, full_name="Sipho Dlamini")
    cohort = services.create_cohort(
        details(programme, client=" Vela  Mobile ", assessor_ids=(assessor.id,)), actor=trainer
    )
    db.session.commit()
    assert cohort.client == "Vela Mobile"
    assert cohort.trainers == [trainer]
    assert cohort.assessors == [assessor]
    assert services.due_dates(cohort) == {programme["M1"]: date(2027, 2, 1), programme["M2"]: None}
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "cohort.created")
    ).one()
    assert event.actor_id == trainer.id
    assert event.details["modules"] == {"M1": 3, "M2": None}


REFUSALS = {
    "blank name": ("name", "Give the cohort a name."),
    "name taken": ("name", "Another cohort already has this name."),
    "no modules": ("modules", "Choose at least one module."),
    "day 0": ("modules", "M1: the due day is between 1 and 366."),
    "day 367": ("modules", "M1: the due day is between 1 and 366."),
    "due before start": ("modules", "M1: due before the cohort starts."),
    "day and date": ("modules", "M1: give a day or a date, not both."),
    "assessor as trainer": ("trainers", "is not an active trainer"),
    "inactive assessor": ("assessors", "is not an active assessor"),
    "unknown assessor": ("assessors", "Choose assessors from the list."),
}


def _refused_change(case: str, make_user: UserFactory, m1: int) -> dict[str, object]:
    def only(plan: ModulePlan) -> dict[str, object]:
        return {"modules": (plan,)}

    changes = {
        "blank name": lambda: {"name": "   "},
        "name taken": lambda: {"name": "Taken"},
        "no modules": lambda: {"modules": ()},
        "day 0": lambda: only(ModulePlan(m1, due_day=0)),
        "day 367": lambda: only(ModulePlan(m1, due_day=367)),
        "due before start": lambda: only(ModulePlan(m1, due_on=date(2027, 1, 29))),
        "day and date": lambda: only(ModulePlan(m1, due_day=2, due_on=date(2027, 2, 5))),
        "assessor as trainer": lambda: {"trainer_ids": (person(make_user, Role.ASSESSOR).id,)},
        "inactive assessor": lambda: {
            "assessor_ids": (person(make_user, Role.ASSESSOR, active=False).id,)
        },
        "unknown assessor": lambda: {"assessor_ids": (999_999,)},
    }
    return changes[case]()


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_cohort_saves_nothing(
    app_context: None, make_user: UserFactory, programme: dict[str, int], case: str
) -> None:
    """Each bad value is refused with the field it concerns, and no cohort is added."""
    admin = person(make_user, Role.ADMIN)
    make_cohort("Taken", admin, programme)
    change = _refused_change(case, make_user, programme["M1"])
    field, message = REFUSALS[case]
    before = cohort_count()
    with pytest.raises(CohortError, match=message) as refused:
        services.create_cohort(details(programme, **change), actor=admin)
    db.session.rollback()
    assert refused.value.field == field
    assert cohort_count() == before


def test_updating_a_cohort_changes_its_plan_and_is_audited(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """New due dates and modules replace the old; a refused update leaves it as it was."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("Harbour & Hale", trainer, programme, days={"M1": 3})
    plan = (ModulePlan(programme["M1"], due_on=date(2027, 2, 12)), ModulePlan(programme["M3"]))
    services.update_cohort(cohort, details(programme, modules=plan), actor=trainer)
    db.session.commit()
    assert services.due_dates(cohort) == {programme["M1"]: date(2027, 2, 12), programme["M3"]: None}
    assert "cohort.updated" in actions()
    with pytest.raises(CohortError):
        services.update_cohort(cohort, details(programme, modules=()), actor=trainer)
    db.session.rollback()
    assert set(services.due_dates(db.session.get(Cohort, cohort.id))) == {  # type: ignore[arg-type]
        programme["M1"],
        programme["M3"],
    }


def test_trainers_see_and_run_only_their_cohorts(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """HR and admins see every cohort; a trainer sees and runs their own; an assessor named on
    a cohort sees it but does not run it."""
    admin, hr = person(make_user, Role.ADMIN), person(make_user, Role.HR)
    ours, theirs = person(make_user, Role.TRAINER), person(make_user, Role.TRAINER)
    assessor = person(make_user, Role.ASSESSOR)
    mine = make_cohort("Ours", ours, programme, assessors=(assessor,))
    other = make_cohort("Theirs", theirs, programme)

    def names(user: User) -> set[str]:
        return {cohort.name for cohort in db.session.scalars(services.visible_cohorts(user))}

    assert names(admin) == names(hr) == {"Ours", "Theirs"}
    assert names(ours) == {"Ours"}
    assert names(assessor) == {"Ours"}
    assert services.can_view(hr, other) and not services.can_run(hr, other)
    assert services.can_run(ours, mine) and not services.can_run(ours, other)
    assert not services.can_view(ours, other)
    assert services.can_view(assessor, mine) and not services.can_run(assessor, mine)
    assert services.can_run(admin, other)
    runnable = {c.name for c in db.session.scalars(services.runnable_cohorts(ours))}
    assert runnable == {"Ours"}
    assert {c.name for c in db.session.scalars(services.runnable_cohorts(admin))} == {
        "Ours",
        "Theirs",
    }


def test_a_learner_is_in_one_cohort_at_a_time(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Enrolling someone already in a cohort names that cohort; staff accounts are refused."""
    admin = person(make_user, Role.ADMIN)
    first, second = make_cohort("First", admin, programme), make_cohort("Second", admin, programme)
    learner = person(make_user, Role.LEARNER, email="ayanda@example.com")
    services.enrol(first, learner, actor=admin, now=NOW)
    db.session.commit()
    with pytest.raises(CohortError, match=re.escape("ayanda@example.com is in First; move them")):
        services.enrol(second, learner, actor=admin, now=NOW)
    with pytest.raises(CohortError, match="already in this cohort"):
        services.enrol(first, learner, actor=admin, now=NOW)
    with pytest.raises(CohortError, match="does not hold the learner role"):
        services.enrol(second, person(make_user, Role.TRAINER), actor=admin, now=NOW)
    db.session.rollback()
    assert [m.user_id for m in services.members(first)] == [learner.id]
    assert services.members(second) == []


def _progress_row(learner: User) -> None:
    lesson, revision = db.session.execute(
        select(Lesson.id, LessonRevision.id).join(LessonRevision.lesson).limit(1)
    ).one()
    db.session.add(
        LessonProgress(
            user_id=learner.id,
            lesson_id=lesson,
            started_revision_id=revision,
            last_viewed_revision_id=revision,
            completed_at=NOW,
            completed_revision_id=revision,
        )
    )
    db.session.commit()


def test_moving_keeps_the_learner_records_and_the_old_membership(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """The old membership is closed as moved with its note; the learner's progress stays."""
    admin = person(make_user, Role.ADMIN)
    first, second = make_cohort("First", admin, programme), make_cohort("Second", admin, programme)
    learner = person(make_user, Role.LEARNER)
    membership = services.enrol(first, learner, actor=admin, now=NOW)
    db.session.commit()
    _progress_row(learner)
    later = datetime(2027, 2, 3, 9, 0, tzinfo=UTC)
    moved = services.move(membership, second, actor=admin, now=later, note="Night shift")
    db.session.commit()
    assert (membership.left_at, membership.leaving_reason) == (later, LeavingReason.MOVED)
    assert membership.leaving_note == "Night shift"
    assert moved.current and moved.cohort_id == second.id
    assert services.leavers(first) == [membership]
    assert services.current_membership(learner.id) == moved
    assert db.session.scalar(select(func.count()).where(LessonProgress.user_id == learner.id)) == 1
    assert db.session.scalar(select(func.count()).where(Membership.user_id == learner.id)) == 2
    with pytest.raises(CohortError, match="already left"):
        services.move(membership, second, actor=admin, now=later)


def test_withdrawing_needs_a_reason_and_keeps_the_records(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """Without a reason nothing changes; with one the membership closes and progress stays."""
    admin = person(make_user, Role.ADMIN)
    cohort = make_cohort("First", admin, programme)
    learner = person(make_user, Role.LEARNER)
    membership = services.enrol(cohort, learner, actor=admin, now=NOW)
    db.session.commit()
    _progress_row(learner)
    with pytest.raises(CohortError, match="Say why") as refused:
        services.withdraw(membership, actor=admin, now=NOW, note="  ")
    assert refused.value.field == "note"
    db.session.rollback()
    assert membership.current
    services.withdraw(membership, actor=admin, now=NOW, note="Resigned")
    db.session.commit()
    assert membership.leaving_reason is LeavingReason.WITHDRAWN
    assert services.members(cohort) == [] and services.leavers(cohort) == [membership]
    assert db.session.scalar(select(func.count()).where(LessonProgress.user_id == learner.id)) == 1
    assert "cohort.withdrawn" in actions()


def test_enrolling_an_unknown_email_creates_a_learner_account(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """The account has the learner role, no password yet and a welcome link; it is enrolled."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("First", trainer, programme)
    new = Person(0, "lindiwe@example.com", "Lindiwe", "Zulu", "E-1001")
    enrolled = enrolment.enrol_person(cohort, new, actor=trainer, now=NOW)
    db.session.commit()
    user = db.session.scalars(select(User).where(User.email == "lindiwe@example.com")).one()
    assert (user.full_name, user.employee_number) == ("Lindiwe Zulu", "E-1001")
    assert user.roles == {Role.LEARNER} and user.password_hash == NO_PASSWORD_YET
    assert [welcome.email for welcome in enrolled.welcomes] == [user.email]
    assert enrolled.existing_ids == []
    assert db.session.scalar(select(func.count()).where(PasswordResetToken.user_id == user.id))
    assert services.current_membership(user.id).cohort_id == cohort.id  # type: ignore[union-attr]
    assert {"user.invited", "cohort.enrolled", "password_reset.requested"} <= set(actions())


def test_enrolling_a_known_account_uses_it(
    app_context: None, make_user: UserFactory, programme: dict[str, int]
) -> None:
    """A known learner is enrolled without a new account and gains the employee number given;
    staff accounts, deactivated accounts and numbers of other people are refused."""
    trainer = person(make_user, Role.TRAINER)
    cohort = make_cohort("First", trainer, programme)
    learner = person(make_user, Role.LEARNER, email="known@example.com")
    person(make_user, Role.LEARNER, email="other@example.com")
    other = db.session.scalars(select(User).where(User.email == "other@example.com")).one()
    other.employee_number = "E-7"
    db.session.commit()

    def enrol(email: str, number: str | None = None) -> enrolment.Enrolled:
        return enrolment.enrol_person(
            cohort, Person(0, email, "Any", "Name", number), actor=trainer, now=NOW
        )

    refusals = [
        ("known@example.com", "E-7", "employee_number", "E-7 belongs to another account."),
        (person(make_user, Role.ASSESSOR).email, None, "email", "does not hold the learner"),
        (person(make_user, Role.LEARNER, active=False).email, None, "email", "deactivated"),
    ]
    users = db.session.scalar(select(func.count()).select_from(User))
    for email, number, field, message in refusals:
        with pytest.raises(CohortError, match=message) as refused:
            enrol(email, number)
        assert refused.value.field == field
        db.session.rollback()
    assert services.members(cohort) == []
    enrolled = enrol("KNOWN@example.com", "E-8")
    db.session.commit()
    assert enrolled.existing_ids == [learner.id] and enrolled.welcomes == []
    assert db.session.get(User, learner.id).employee_number == "E-8"  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert [m.user_id for m in services.members(cohort)] == [learner.id]
