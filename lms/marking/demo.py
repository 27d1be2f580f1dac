"""Marking demo data: four learners at the stages of marking, so every role has work to see.

Each learner really takes M1 through the services a browser would call: lessons, the knowledge
check (with its keyed answers), the summative essays, then Priya Naidoo's marking, Johan van
Wyk's moderation and, for one, an appeal. Times are set in the recent past so waiting days look
real. Loading is idempotent: once the demo learners have attempts, nothing is added again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select

from lms.assessments.attempts import (
    attempt_grace,
    save_answers,
    start_attempt,
    submit_attempt,
)
from lms.assessments.models import Attempt
from lms.assessments.services import (
    KNOWLEDGE_CHECK,
    SUMMATIVE,
    QuizStatus,
    quizzes_of_module,
    statuses_for,
)
from lms.auth import services as accounts
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.demo import DEMO_ACCOUNTS
from lms.extensions import db
from lms.learning import services as learning
from lms.marking import appeals, marking_queue, moderation, services
from lms.marking.demo_answers import (
    AYANDA,
    KABELO,
    LINDIWE,
    ZANELE,
    DemoEssays,
    essay_form,
    right_answer_form,
)
from lms.marking.models import JudgementStatus, OutcomeJudgement, ReviewVerdict, Verdict
from lms.marking.services import MarkingInput, OutcomeInput

MODULE_CODE = "M1"
# The demo learners share Thandi's password, so one line of the quick start signs in as any.
PASSWORD = next(a.password for a in DEMO_ACCOUNTS if a.roles == (Role.LEARNER,))
ASSESSOR, MODERATOR, ADMIN = "assessor@example.com", "moderator@example.com", "admin@example.com"
C, NYC = Verdict.COMPETENT, Verdict.NOT_YET_COMPETENT


@dataclass(frozen=True)
class DemoLearner:
    email: str
    full_name: str
    essays: DemoEssays
    stage: str  # where the learner is left, in words


MARKING_DEMO_LEARNERS = (
    DemoLearner("kabelo@example.com", "Kabelo Molefe", KABELO, "awaiting marking"),
    DemoLearner("lindiwe@example.com", "Lindiwe Nkosi", LINDIWE, "resubmitted after an NYC"),
    DemoLearner("ayanda@example.com", "Ayanda Dube", AYANDA, "in the moderator's sample"),
    DemoLearner("zanele@example.com", "Zanele Mthembu", ZANELE, "appealing a final NYC"),
)
KABELO_, LINDIWE_, AYANDA_, ZANELE_ = MARKING_DEMO_LEARNERS

LINDIWE_NYC = (
    "Your answer on the product change relies on the knowledge base alone. Say how Ilanga "
    "prepares its people (briefing, coaching), its process (the rules arriving in time, an "
    "owner for the article) and its technology, name at least four roles and what each does, "
    "and give two career paths."
)
ZANELE_NYC = (
    "Your first answer names aims and two objectives with figures, but does not say what "
    "meeting them means for the customer (fast, correct, courteous) or for Ilanga as the "
    "employer (the contract, cost, reputation). Add both, linking each objective to them."
)
CONFIRMED_NYC = "Agreed: the answers leave out what the guide asks for, and the comment says what."
ZANELE_APPEAL = (
    "My second answer says that customers have to call back and that the repeat calls cost "
    "Ilanga money and put the Vela Mobile contract at risk, so I did cover the customer and the "
    "employer for this outcome. Please read both answers together."
)


def load_marking_demo(*, now: datetime) -> None:
    """Add the marking demo's learners and their work; the caller commits.

    Needs the demo accounts and the shipped programme loaded; does nothing if M1 is missing
    or the demo learners already have attempts.
    """
    module = db.session.scalar(select(Module).where(Module.code == MODULE_CODE))
    if module is None or not _is_shipped_m1(module) or _already_loaded():
        return
    assessor, moderator = demo_account(ASSESSOR), demo_account(MODERATOR)
    with request_context():
        _assign_everywhere(assessor, actor=demo_account(ADMIN))
        story = DemoStory(module, assessor, moderator, now)
        # Oldest story first: Priya's judgements are numbered in the order they are finalised,
        # and her first ones are all sampled, which is what leaves Ayanda's in the sample.
        story.appealed(ZANELE_)
        story.resubmitted(LINDIWE_)
        story.in_sample(AYANDA_)
        story.awaiting_marking(KABELO_)


def _is_shipped_m1(module: Module) -> bool:
    """Whether M1 has the knowledge check and the essays the demo learners write to."""
    quizzes = {revision.kind: revision for _, revision in quizzes_of_module(module.id)}
    summative = quizzes.get(SUMMATIVE)
    if KNOWLEDGE_CHECK not in quizzes or summative is None:
        return False
    names = {question.name for question in summative.questions}
    return all(set(learner.essays.first) <= names for learner in MARKING_DEMO_LEARNERS)


def _already_loaded() -> bool:
    emails = [learner.email for learner in MARKING_DEMO_LEARNERS]
    query = select(Attempt.id).join(Attempt.user).where(User.email.in_(emails)).limit(1)
    return db.session.scalar(query) is not None


def demo_account(email: str) -> User:
    user = accounts.find_user_by_email(email)
    if user is None:
        raise LookupError(f"the demo account {email} is missing: load the demo accounts first")
    return user


@contextmanager
def request_context() -> Iterator[None]:
    """Notifications link to pages with url_for, which needs a request (the CLI has none)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context():
        yield


def _assign_everywhere(assessor: User, *, actor: User) -> None:
    """Add the assessor to every module's assessors, keeping those already assigned."""
    assigned = marking_queue.assessors_by_module()
    modules = db.session.scalars(select(Module).where(Module.retired_at.is_(None)))
    for module in modules:
        current = assigned.get(module.id, [])
        if assessor not in current:
            marking_queue.set_module_assessors(module, [*current, assessor], actor=actor)


class DemoStory:
    """One learner's way through M1 and its marking, in time before `now`."""

    def __init__(self, module: Module, assessor: User, moderator: User, now: datetime) -> None:
        self.module, self.assessor, self.moderator, self.now = module, assessor, moderator, now

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    # --- The four stages ---

    def awaiting_marking(self, spec: DemoLearner) -> None:
        learner = self.ready(spec, self.ago(4))
        self.submit(learner, spec.essays.first, self.ago(2))

    def in_sample(self, spec: DemoLearner) -> None:
        learner = self.ready(spec, self.ago(8))
        attempt = self.submit(learner, spec.essays.first, self.ago(6))
        self.judge(attempt, {"M1-LO1": (C, ""), "M1-LO2": (C, "")}, self.ago(4))

    def resubmitted(self, spec: DemoLearner) -> None:
        learner = self.ready(spec, self.ago(12))
        attempt = self.submit(learner, spec.essays.first, self.ago(10))
        self.judge(attempt, {"M1-LO1": (C, ""), "M1-LO2": (NYC, LINDIWE_NYC)}, self.ago(8))
        self.confirm(attempt, self.ago(7))
        self.submit(learner, spec.essays.revised, self.ago(5))

    def appealed(self, spec: DemoLearner) -> None:
        learner = self.ready(spec, self.ago(14))
        attempt = self.submit(learner, spec.essays.first, self.ago(12))
        self.judge(attempt, {"M1-LO1": (NYC, ZANELE_NYC), "M1-LO2": (C, "")}, self.ago(9))
        self.confirm(attempt, self.ago(6))
        [nyc] = [j for j in self.judgements(attempt, JudgementStatus.FINAL) if j.verdict is NYC]
        appeals.lodge(nyc, learner, ZANELE_APPEAL, now=self.ago(3))

    # --- Steps ---

    def ready(self, spec: DemoLearner, at: datetime) -> User:
        """The learner, created if need be, with M1's lessons done and its check passed."""
        learner = accounts.find_user_by_email(spec.email) or accounts.create_user(
            email=spec.email,
            full_name=spec.full_name,
            password=PASSWORD,
            roles=(Role.LEARNER,),
            actor=None,
        )
        self.finish_lessons(learner, at - timedelta(hours=3))
        self.pass_knowledge_check(learner, at)
        return learner

    def finish_lessons(self, learner: User, at: datetime) -> None:
        """Complete M1's lessons in order, a quarter of an hour apart, as the lesson page does."""
        entry = learning.find_enrolled_module(learner, self.module.slug)
        assert entry is not None, "the catalogue holds every module that is not retired"
        for step in range(len(entry.lessons)):
            status = learning.progress_in(learner, [entry])[0].next_lesson
            if status is None:
                return
            moment = at + timedelta(minutes=15 * step)
            revision = status.revision.id
            learning.complete_lesson(
                learner, status, revision_id=revision, acknowledged=True, now=moment
            )

    def pass_knowledge_check(self, learner: User, at: datetime) -> None:
        attempt = start_attempt(learner, self.status(learner, KNOWLEDGE_CHECK), now=at, seed=1)
        form = right_answer_form(attempt.responses)
        save_answers(
            attempt, attempt.responses, form, now=at + timedelta(minutes=12), grace=attempt_grace()
        )
        submit_attempt(attempt, now=at + timedelta(minutes=13))
        if not attempt.passed:
            raise RuntimeError(f"the keyed answers scored {attempt.percent} % on {MODULE_CODE}")

    def submit(self, learner: User, essays: Mapping[str, str], at: datetime) -> Attempt:
        """Write (or, resubmitting, edit) the summative's essays; submitted at `at`."""
        status = self.status(learner, SUMMATIVE)
        attempt = start_attempt(learner, status, now=at - timedelta(minutes=55), seed=1)
        changed = [r for r in attempt.responses if r.question.name in essays]
        save_answers(
            attempt,
            changed,
            essay_form(changed, essays),
            now=at - timedelta(minutes=2),
            grace=attempt_grace(),
        )
        submit_attempt(attempt, now=at)
        return attempt

    def status(self, learner: User, kind: str) -> QuizStatus:
        entry = learning.find_enrolled_module(learner, self.module.slug)
        assert entry is not None
        lessons_done = learning.progress_in(learner, [entry])[0].complete
        statuses = statuses_for(
            learner, quizzes_of_module(self.module.id), lessons_done=lessons_done
        )
        return next(s for s in statuses if s.revision.kind == kind)

    def judge(
        self, attempt: Attempt, verdicts: Mapping[str, tuple[Verdict, str]], at: datetime
    ) -> None:
        marking = services.open_marking(self.assessor, attempt, now=at - timedelta(minutes=25))
        outcomes = {code: OutcomeInput(v, comment) for code, (v, comment) in verdicts.items()}
        given = MarkingInput(version=marking.version, outcomes=outcomes)
        services.finalise(marking, self.assessor, given, now=at)

    def confirm(self, attempt: Attempt, at: datetime) -> None:
        """The moderator confirms every sampled judgement, which releases the decision."""
        for judgement in self.judgements(attempt, JudgementStatus.IN_SAMPLE):
            reason = CONFIRMED_NYC if judgement.verdict is NYC else ""
            moderation.review(judgement, self.moderator, ReviewVerdict.CONFIRMED, reason, now=at)

    def judgements(self, attempt: Attempt, status: JudgementStatus) -> list[OutcomeJudgement]:
        query = (
            select(OutcomeJudgement)
            .where(OutcomeJudgement.attempt_id == attempt.id, OutcomeJudgement.status == status)
            .order_by(OutcomeJudgement.id)
        )
        return list(db.session.scalars(query))
