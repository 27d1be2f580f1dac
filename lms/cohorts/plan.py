"""A learner's plan, as their dashboard shows it: each module they study with its progress,
stage, due date in their cohort and days left, the next thing to do (with the page to do it
on), and the decisions they were most recently given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, select

from lms.assessments.models import Quiz, QuizRevision
from lms.assessments.services import KNOWLEDGE_CHECK, SUMMATIVE
from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.cohorts.due_dates import DueStatus, due_status
from lms.cohorts.models import Membership
from lms.cohorts.standing import Stage, Standing, standings
from lms.content.catalogue import ModuleEntry
from lms.content.models import Outcome
from lms.extensions import db
from lms.learning.services import ModuleProgress
from lms.marking.models import JudgementStatus, OutcomeJudgement, Verdict


@dataclass(frozen=True)
class NextStep:
    """What the learner should do next in a module, and the page to do it on (if any)."""

    text: str
    endpoint: str | None = None
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanEntry:
    """One module on the learner's dashboard."""

    progress: ModuleProgress
    standing: Standing
    due: DueStatus | None
    next_step: NextStep
    finished: bool  # nothing left to do: Competent, or all of a module with no assessment

    @property
    def module(self) -> ModuleEntry:
        return self.progress.module

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due.overdue and not self.finished


@dataclass(frozen=True)
class Decision:
    outcome_code: str
    verdict: Verdict
    comment: str


@dataclass(frozen=True)
class Feedback:
    """The decisions the learner was most recently given: those released from one attempt."""

    module_title: str
    module_slug: str
    released_at: datetime
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class LearnerPlan:
    entries: list[PlanEntry]
    cohort: cohorts.CohortPlace | None  # the learner's current cohort
    left: Membership | None  # the cohort a learner no longer in any cohort last left
    feedback: Feedback | None

    @property
    def self_paced(self) -> bool:
        return self.cohort is None and self.left is None


def learner_plan(user: User, modules: Sequence[ModuleProgress], *, now: datetime) -> LearnerPlan:
    """The learner's modules with due dates and next steps, their cohort and latest feedback."""
    cohort = cohorts.cohort_place(user.id)
    due_dates = cohort.due if cohort is not None else {}
    entries = [progress.module for progress in modules]
    found = standings([user.id], entries, now=now)
    quizzes = _quiz_slugs([module.id for module in entries])
    plan = [
        _entry(progress, found[user.id, progress.module.id], due_dates, quizzes, now)
        for progress in modules
    ]
    left = _last_left(user.id) if cohort is None else None
    feedback = latest_feedback(user, {module.id: module for module in entries})
    return LearnerPlan(plan, cohort, left, feedback)


def _entry(
    progress: ModuleProgress,
    standing: Standing,
    due_dates: dict[int, date | None],
    quizzes: dict[int, dict[str, str]],
    now: datetime,
) -> PlanEntry:
    module = progress.module
    kinds = quizzes.get(module.id, {})
    # A module with no summative assessment is never judged: its lessons (and its knowledge
    # check, if it has one) are all there is to do.
    checked = KNOWLEDGE_CHECK not in kinds or standing.stage is Stage.KNOWLEDGE_CHECK_PASSED
    finished = standing.complete or (SUMMATIVE not in kinds and progress.complete and checked)
    due = due_dates.get(module.id)
    return PlanEntry(
        progress,
        standing,
        due_status(due, now) if due is not None else None,
        _next_step(progress, standing, kinds, finished),
        finished,
    )


def _next_step(
    progress: ModuleProgress, standing: Standing, kinds: dict[str, str], finished: bool
) -> NextStep:
    slug = progress.module.slug
    stage = standing.stage
    if finished:
        return NextStep("Done")
    if stage is Stage.AWAITING_MARKING:
        return NextStep("Waiting for marking")
    if stage is Stage.NOT_YET_COMPETENT:
        return NextStep(
            "Read the feedback and resubmit",
            "learner_record.module_record_page",
            {"module_slug": slug},
        )
    lesson = progress.next_lesson
    if lesson is not None:
        return NextStep(
            f"Read lesson {lesson.number}: {lesson.title}",
            "learning.lesson",
            {"slug": slug, "lesson_slug": lesson.lesson.slug},
        )
    if stage is not Stage.KNOWLEDGE_CHECK_PASSED and KNOWLEDGE_CHECK in kinds:
        return _quiz_step("Take the knowledge check", slug, kinds[KNOWLEDGE_CHECK])
    if SUMMATIVE in kinds:
        return _quiz_step("Submit the assessment", slug, kinds[SUMMATIVE])
    return NextStep("Nothing to do yet: the module has no lessons")


def _quiz_step(text: str, module_slug: str, quiz_slug: str) -> NextStep:
    return NextStep(text, "assessments.quiz", {"module_slug": module_slug, "quiz_slug": quiz_slug})


def _quiz_slugs(module_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each module's quizzes in use, as {kind: slug} (the first of a kind by slug)."""
    query = (
        select(Quiz.module_id, QuizRevision.kind, Quiz.slug)
        .join(QuizRevision, QuizRevision.quiz_id == Quiz.id)
        .where(Quiz.module_id.in_(module_ids), Quiz.retired_at.is_(None), QuizRevision.is_current)
        .order_by(Quiz.slug.desc())
    )
    slugs: dict[int, dict[str, str]] = {}
    for module_id, kind, slug in db.session.execute(query):
        slugs.setdefault(module_id, {})[kind] = slug
    return slugs


def _last_left(user_id: int) -> Membership | None:
    query = (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.left_at.is_not(None))
        .order_by(Membership.left_at.desc(), Membership.id.desc())
    )
    return db.session.scalars(query.limit(1)).first()


def latest_feedback(learner: User, modules: dict[int, ModuleEntry]) -> Feedback | None:
    """The final decisions most recently released to the learner in these modules: those of
    one attempt. A decision waiting for moderation, or overturned, never shows here."""
    if not modules:
        return None
    released = and_(
        OutcomeJudgement.learner_id == learner.id,
        OutcomeJudgement.status == JudgementStatus.FINAL,
        OutcomeJudgement.released_at.is_not(None),
    )
    latest = (
        select(OutcomeJudgement.attempt_id, Outcome.module_id)
        .join(Outcome, Outcome.id == OutcomeJudgement.outcome_id)
        .where(released, Outcome.module_id.in_(list(modules)))
        .order_by(OutcomeJudgement.released_at.desc(), OutcomeJudgement.id.desc())
        .limit(1)
    )
    found = db.session.execute(latest).first()
    if found is None:
        return None
    attempt_id, module_id = found
    rows = db.session.execute(
        select(
            Outcome.code,
            OutcomeJudgement.verdict,
            OutcomeJudgement.comment,
            OutcomeJudgement.released_at,
        )
        .join(Outcome, Outcome.id == OutcomeJudgement.outcome_id)
        .where(released, OutcomeJudgement.attempt_id == attempt_id)
        .order_by(Outcome.position, Outcome.code)
    ).all()
    module = modules[module_id]
    return Feedback(
        module.title,
        module.slug,
        max(row.released_at for row in rows),
        tuple(Decision(code, v, comment) for code, v, comment, _ in rows if v is not None),
    )
