"""Cohort demo data: two intake waves whose learners stand at every stage, so the trainer's
matrix, the dashboards, the records and the reminders all show something real.

"Vela Mobile — customer care wave 3" started fifteen days before the demo is loaded and takes
the whole programme, due on days 6, 11, 18, 22 and 25 of the cohort: M1 and M2 are past due,
M3 is due in two days (so `lms reminders send` has something to say) and M4 and M5 later.
Sipho Ndlovu runs it and Priya Naidoo assesses it. Its learners are the demo learner Thandi
Mokoena (M1 certified), the marking demo's four (awaiting marking, Not Yet Competent), Sibusiso
Zulu (M1 Competent, his certificate revoked) and five new hires: Nomvula Sithole, floor ready
with every module certified; Karabo Dlamini, part-way through M1's lessons; Refilwe Mahlangu,
M1's knowledge check passed; Lwazi Ngcobo, not started; and Themba Nxumalo, withdrawn.

"Harbour & Hale Energy — offshore wave 1" started a week ago with M1, M3 and M4 for the UK
account; Anele Mthethwa, a second trainer, runs it. Naledi Khoza (her M4 certificate expired)
joins two new hires.

Everything is reached through the services a browser would call: lessons, knowledge checks,
essays, Priya's judgements and Johan van Wyk's moderation, so the stages and certificates come
from the real rules. Loading is idempotent: once the Vela Mobile cohort exists, nothing is
added again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from lms.assessments.services import SUMMATIVE, quizzes_of_module
from lms.auth import services as accounts
from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates.demo_answers import NALEDI
from lms.cohorts import services
from lms.cohorts.demo_answers import NOMVULA_M1, NOMVULA_M2, NOMVULA_M3, NOMVULA_M5
from lms.cohorts.due_dates import local_day, zone
from lms.cohorts.models import Cohort
from lms.content.models import Module
from lms.demo import DEMO_ACCOUNTS
from lms.extensions import db
from lms.learning import services as learning
from lms.marking.demo import (
    ASSESSOR,
    MARKING_DEMO_LEARNERS,
    MODERATOR,
    PASSWORD,
    DemoLearner,
    DemoStory,
    demo_account,
    request_context,
)
from lms.marking.demo_answers import DemoEssays
from lms.marking.models import Verdict

TRAINER = "trainer@example.com"
SECOND_TRAINER = DemoLearner("anele@example.com", "Anele Mthethwa", DemoEssays({}), "trainer")
TRAINER_PASSWORD = next(a.password for a in DEMO_ACCOUNTS if a.roles == (Role.TRAINER,))
VELA = "Vela Mobile — customer care wave 3"
HARBOUR = "Harbour & Hale Energy — offshore wave 1"
NO_ESSAYS = DemoEssays({})
WITHDRAWAL_NOTE = (
    "Accepted a post with another employer in his first week and asked to leave the programme."
)


@dataclass(frozen=True)
class CohortPlan:
    name: str
    client: str
    trainer: str  # email
    started_days_ago: int
    due_days: dict[str, int]  # module code: day of the cohort (day 1 is the start date)
    members: tuple[str, ...]  # existing demo learners who join it
    # Every module of the programme, those not in `due_days` with no due date: a programme
    # with more modules than the shipped five (the HTTP benchmark's adds one) stays open to
    # the cohort's learners.
    whole_programme: bool = False


@dataclass(frozen=True)
class NewHire:
    learner: DemoLearner
    cohort: str
    path: str  # the story below that takes them to their stage


COHORT_PLANS = (
    CohortPlan(
        VELA,
        "Vela Mobile",
        TRAINER,
        started_days_ago=15,
        due_days={"M1": 6, "M2": 11, "M3": 18, "M4": 22, "M5": 25},
        members=(
            "learner@example.com",
            *(learner.email for learner in MARKING_DEMO_LEARNERS),
            "sibusiso@example.com",
        ),
        whole_programme=True,
    ),
    CohortPlan(
        HARBOUR,
        "Harbour & Hale Energy",
        SECOND_TRAINER.email,
        started_days_ago=7,
        due_days={"M1": 4, "M3": 8, "M4": 10},
        members=("naledi@example.com",),
    ),
)

COHORT_DEMO_LEARNERS = (
    NewHire(
        DemoLearner("nomvula@example.com", "Nomvula Sithole", NOMVULA_M1, "floor ready"),
        VELA,
        "floor-ready",
    ),
    NewHire(
        DemoLearner("karabo@example.com", "Karabo Dlamini", NO_ESSAYS, "reading M1"),
        VELA,
        "reading",
    ),
    NewHire(
        DemoLearner("refilwe@example.com", "Refilwe Mahlangu", NO_ESSAYS, "M1 check passed"),
        VELA,
        "checked",
    ),
    NewHire(
        DemoLearner("lwazi@example.com", "Lwazi Ngcobo", NO_ESSAYS, "not started"),
        VELA,
        "idle",
    ),
    NewHire(
        DemoLearner("themba@example.com", "Themba Nxumalo", NO_ESSAYS, "withdrawn"),
        VELA,
        "withdrawn",
    ),
    NewHire(
        DemoLearner("ruan@example.com", "Ruan Botha", NO_ESSAYS, "reading M1"),
        HARBOUR,
        "reading",
    ),
    NewHire(
        DemoLearner("aisha@example.com", "Aisha Moosa", NO_ESSAYS, "M1 check passed"),
        HARBOUR,
        "checked",
    ),
)

# The accounts this demo adds: its new hires and the second trainer.
COHORT_DEMO_ACCOUNTS = (SECOND_TRAINER.email, *(h.learner.email for h in COHORT_DEMO_LEARNERS))

# Nomvula's way to floor readiness: each module's lessons and knowledge check on a day of the
# cohort, her essays the next day, Priya's judgements the day after, moderation the day after.
FLOOR_READY_ESSAYS = (
    ("M1", NOMVULA_M1, 2),
    ("M2", NOMVULA_M2, 5),
    ("M3", NOMVULA_M3, 8),
    ("M4", NALEDI, 10),
    ("M5", NOMVULA_M5, 12),
)


def load_cohort_demo(*, now: datetime) -> None:
    """Add the demo cohorts, their new hires and their work; the caller commits.

    Needs the demo accounts, the shipped programme and the marking and certificate demos
    loaded; does nothing if the programme is not the shipped one or the cohorts exist.
    """
    if _already_loaded() or not _is_shipped_programme():
        return
    with request_context():
        trainers = {TRAINER: demo_account(TRAINER), SECOND_TRAINER.email: _second_trainer()}
        assessor = demo_account(ASSESSOR)
        cohorts = {plan.name: _create(plan, trainers, assessor, now) for plan in COHORT_PLANS}
        for plan in COHORT_PLANS:
            for email in plan.members:
                learner = accounts.find_user_by_email(email)
                if learner is not None:
                    _enrol(cohorts[plan.name], learner, trainers[plan.trainer])
        for hire in COHORT_DEMO_LEARNERS:
            cohort = cohorts[hire.cohort]
            plan = next(p for p in COHORT_PLANS if p.name == hire.cohort)
            learner = _new_hire(hire.learner)
            _enrol(cohort, learner, trainers[plan.trainer])
            CohortStory(cohort, now).follow(hire, learner, trainers[plan.trainer])


def cohort_demo_line() -> str:
    """What `lms demo` prints about the cohorts, one line."""
    parts = []
    for plan in COHORT_PLANS:
        hires = [h for h in COHORT_DEMO_LEARNERS if h.cohort == plan.name]
        current = len(plan.members) + sum(h.path != "withdrawn" for h in hires)
        trainer = plan.trainer
        if trainer == SECOND_TRAINER.email:
            trainer = f"{trainer} {TRAINER_PASSWORD}"
        people = ", ".join(f"{h.learner.email} {h.learner.stage}" for h in hires)
        parts.append(
            f"{plan.name} (trainer {trainer}; started {plan.started_days_ago} days ago; "
            f"{current} learners; new: {people})"
        )
    return " · ".join(parts)


def _already_loaded() -> bool:
    return db.session.scalar(select(Cohort.id).where(Cohort.name == VELA)) is not None


def _is_shipped_programme() -> bool:
    """Whether every module the cohorts take exists, with the essays the learners write to."""
    for code, essays, _day in FLOOR_READY_ESSAYS:
        module = _module(code)
        if module is None:
            return False
        quizzes = {revision.kind: revision for _, revision in quizzes_of_module(module.id)}
        summative = quizzes.get(SUMMATIVE)
        names = {q.name for q in summative.questions} if summative is not None else set()
        if not set(essays.first) <= names:
            return False
    emails = [ASSESSOR, MODERATOR, TRAINER]
    return all(accounts.find_user_by_email(email) is not None for email in emails)


def _module(code: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.code == code))


def _second_trainer() -> User:
    return accounts.find_user_by_email(SECOND_TRAINER.email) or accounts.create_user(
        email=SECOND_TRAINER.email,
        full_name=SECOND_TRAINER.full_name,
        password=TRAINER_PASSWORD,
        roles=(Role.TRAINER,),
        actor=None,
    )


def _new_hire(spec: DemoLearner) -> User:
    return accounts.find_user_by_email(spec.email) or accounts.create_user(
        email=spec.email,
        full_name=spec.full_name,
        password=PASSWORD,
        roles=(Role.LEARNER,),
        actor=None,
    )


def _start(plan: CohortPlan, now: datetime) -> date:
    return local_day(now) - timedelta(days=plan.started_days_ago)


def _create(plan: CohortPlan, trainers: dict[str, User], assessor: User, now: datetime) -> Cohort:
    """The cohort as its trainer creates it, with the assessor who marks its learners."""
    modules = db.session.scalars(
        select(Module).where(Module.retired_at.is_(None)).order_by(Module.position)
    )
    taken = [m for m in modules if plan.whole_programme or m.code in plan.due_days]
    details = services.CohortDetails(
        name=plan.name,
        client=plan.client,
        start_date=_start(plan, now),
        modules=tuple(services.ModulePlan(m.id, due_day=plan.due_days.get(m.code)) for m in taken),
        trainer_ids=(trainers[plan.trainer].id,),
        assessor_ids=(assessor.id,),
    )
    return services.create_cohort(details, actor=trainers[plan.trainer])


def _enrol(cohort: Cohort, learner: User, trainer: User) -> None:
    """Enrol on the morning of the first day; someone already in a cohort stays where they are."""
    try:
        services.enrol(cohort, learner, actor=trainer, now=cohort_moment(cohort, 1, 8))
    except services.CohortError:
        return


def cohort_moment(cohort: Cohort, day: int, hour: int) -> datetime:
    """`hour` o'clock, local time, on day `day` of the cohort, in UTC."""
    local = datetime.combine(cohort.start_date + timedelta(days=day - 1), time(hour))
    return local.replace(tzinfo=zone()).astimezone(UTC)


class CohortStory:
    """A new hire's first days in the cohort, in time before `now`."""

    def __init__(self, cohort: Cohort, now: datetime) -> None:
        self.cohort, self.now = cohort, now
        self.assessor, self.moderator = demo_account(ASSESSOR), demo_account(MODERATOR)

    def at(self, day: int, hour: int) -> datetime:
        return cohort_moment(self.cohort, day, hour)

    def story(self, code: str) -> DemoStory:
        module = _module(code)
        assert module is not None, "checked by _is_shipped_programme"
        return DemoStory(module, self.assessor, self.moderator, self.now)

    def follow(self, hire: NewHire, learner: User, trainer: User) -> None:
        if hire.path == "floor-ready":
            self.floor_ready(hire.learner)
        elif hire.path == "reading":
            self.read(learner, "M1", lessons=3, at=self.at(2, 9))
        elif hire.path == "checked":
            self.story("M1").ready(hire.learner, self.at(3, 11))
        elif hire.path == "withdrawn":
            self.read(learner, "M1", lessons=2, at=self.at(2, 10))
            self.withdraw(learner, trainer, self.at(5, 15))

    def floor_ready(self, spec: DemoLearner) -> None:
        """Every module: lessons and check, essays, judged Competent, confirmed: certified."""
        for code, essays, day in FLOOR_READY_ESSAYS:
            story = self.story(code)
            learner = story.ready(spec, self.at(day, 10))
            attempt = story.submit(learner, essays.first, self.at(day + 1, 11))
            outcomes = story.module.current_outcomes
            story.judge(
                attempt, {o.code: (Verdict.COMPETENT, "") for o in outcomes}, self.at(day + 2, 9)
            )
            story.confirm(attempt, self.at(day + 3, 9))

    def read(self, learner: User, code: str, *, lessons: int, at: datetime) -> None:
        """Complete the first few lessons of a module, a quarter of an hour apart."""
        module = _module(code)
        assert module is not None
        entry = learning.find_enrolled_module(learner, module.slug)
        assert entry is not None, "the cohort takes the module"
        for step in range(lessons):
            status = learning.progress_in(learner, [entry])[0].next_lesson
            if status is None:
                return
            learning.complete_lesson(
                learner,
                status,
                revision_id=status.revision.id,
                acknowledged=True,
                now=at + timedelta(minutes=15 * step),
            )

    def withdraw(self, learner: User, trainer: User, at: datetime) -> None:
        membership = services.current_membership(learner.id)
        if membership is not None:
            services.withdraw(membership, actor=trainer, now=at, note=WITHDRAWAL_NOTE)
