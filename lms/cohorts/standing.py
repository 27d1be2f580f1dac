"""Where learners stand in modules, for many learners at once: the matrix, dashboards,
records, exports and reminders all read it from here.

A learner's full record of one module (`lms.marking.record.module_record`) takes several
queries; a cohort of fifty across five modules would take over a thousand. `standings` reads
the same facts for a whole set of learners in five queries (the modules' outcomes, then four
per CHUNK learners, summed up by the database where it can) and applies the same rules: only
attempts and judgements since the learner's latest restart of the module count, a judgement
counts once it is final, and one waiting for moderation leaves the outcome undecided.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, case, func, or_, select

from lms.assessments.models import Attempt, AttemptState, Quiz, QuizRevision
from lms.assessments.services import KNOWLEDGE_CHECK, SUMMATIVE
from lms.certificates.models import Certificate
from lms.content.catalogue import ModuleEntry
from lms.content.models import Lesson, Outcome
from lms.extensions import db
from lms.learning.models import LessonProgress, ModuleRestart
from lms.marking.models import JudgementStatus, OutcomeJudgement, Verdict

# Learners per round of queries: keeps each IN list well inside every database's limits.
CHUNK = 500


class Stage(StrEnum):
    """A learner's stage in a module, in the order they reach them."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    KNOWLEDGE_CHECK_PASSED = "knowledge-check-passed"
    AWAITING_MARKING = "awaiting-marking"
    NOT_YET_COMPETENT = "not-yet-competent"
    COMPETENT = "competent"
    CERTIFIED = "certified"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self][0]

    @property
    def short(self) -> str:
        """A few characters for a matrix cell: the legend's key, so colour is never alone."""
        return STAGE_LABELS[self][1]

    @property
    def complete(self) -> bool:
        """Done for due-date purposes: every outcome Competent (certified or not)."""
        return self in (Stage.COMPETENT, Stage.CERTIFIED)


STAGE_LABELS = {
    Stage.NOT_STARTED: ("Not started", "NS"),
    Stage.IN_PROGRESS: ("In progress", "IP"),
    Stage.KNOWLEDGE_CHECK_PASSED: ("Knowledge check passed", "KC"),
    Stage.AWAITING_MARKING: ("Awaiting marking", "AM"),
    Stage.NOT_YET_COMPETENT: ("Not Yet Competent", "NYC"),
    Stage.COMPETENT: ("Competent", "C"),
    Stage.CERTIFIED: ("Certified", "Cert"),
}


@dataclass
class Standing:
    """One learner in one module."""

    learner_id: int
    module_id: int
    stage: Stage = Stage.NOT_STARTED
    lessons_done: int = 0
    lessons_total: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None  # when the last outcome became Competent
    best_check_percent: float | None = None  # the knowledge check's best score
    certificate_code: str | None = None
    certificate_expires_at: datetime | None = None

    @property
    def complete(self) -> bool:
        return self.stage.complete

    @property
    def lesson_percent(self) -> int:
        if not self.lessons_total:
            return 0
        return round(100 * self.lessons_done / self.lessons_total)


@dataclass
class _Facts:
    """What the queries found for one learner and module, since their latest restart of it."""

    lessons_done: int = 0
    started_at: datetime | None = None
    attempted: bool = False  # any quiz attempt
    best_check_percent: float | None = None
    check_passed: bool = False
    awaiting_marking: bool = False  # a summative attempt waiting for an assessor
    judgements: list[tuple[int, JudgementStatus, Verdict | None, datetime | None]] = field(
        default_factory=list
    )
    certificate: tuple[str, datetime | None] | None = None


Key = tuple[int, int]  # (learner id, module id)


def standings(
    learner_ids: Iterable[int], modules: Sequence[ModuleEntry], *, now: datetime
) -> dict[Key, Standing]:
    """Every listed learner's standing in every listed module."""
    ids = sorted(set(learner_ids))
    found: dict[Key, Standing] = {}
    if not modules:
        return found
    outcomes = _current_outcomes([module.id for module in modules])
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        facts = _facts(chunk, modules, now=now)
        for learner_id in chunk:
            for module in modules:
                key = (learner_id, module.id)
                found[key] = _standing(key, module, facts.get(key, _Facts()), outcomes, now)
    return found


def _current_outcomes(module_ids: list[int]) -> dict[int, list[int]]:
    query = select(Outcome.module_id, Outcome.id).where(
        Outcome.module_id.in_(module_ids), Outcome.retired_at.is_(None)
    )
    by_module: dict[int, list[int]] = defaultdict(list)
    for module_id, outcome_id in db.session.execute(query):
        by_module[module_id].append(outcome_id)
    return by_module


def _facts(
    learner_ids: list[int], modules: Sequence[ModuleEntry], *, now: datetime
) -> dict[Key, _Facts]:
    facts: dict[Key, _Facts] = defaultdict(_Facts)
    module_ids = [module.id for module in modules]
    lesson_module = {lesson.id: module.id for module in modules for lesson in module.lessons}

    # Attempts started before the learner's latest restart of a module no longer count, nor
    # do the judgements of such attempts: both queries leave them out.
    restarts = (
        select(
            ModuleRestart.learner_id,
            ModuleRestart.module_id,
            func.max(ModuleRestart.restarted_at).label("at"),
        )
        .where(ModuleRestart.learner_id.in_(learner_ids), ModuleRestart.module_id.in_(module_ids))
        .group_by(ModuleRestart.learner_id, ModuleRestart.module_id)
        .subquery("latest_restart")
    )

    # Counted by the database: a row per learner and module, not per lesson read.
    progress = (
        select(
            LessonProgress.user_id,
            Lesson.module_id,
            func.min(LessonProgress.started_at),
            func.count(LessonProgress.completed_at),
        )
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(
            LessonProgress.user_id.in_(learner_ids),
            LessonProgress.lesson_id.in_(list(lesson_module)),
        )
        .group_by(LessonProgress.user_id, Lesson.module_id)
    )
    for learner_id, module_id, started_at, lessons_done in db.session.execute(progress):
        entry = facts[learner_id, module_id]
        entry.started_at, entry.lessons_done = started_at, lessons_done

    # Summed up by the database: a row per learner and module, not per attempt.
    check, summative = QuizRevision.kind == KNOWLEDGE_CHECK, QuizRevision.kind == SUMMATIVE
    attempts = (
        select(
            Attempt.user_id,
            Quiz.module_id,
            func.max(case((check, Attempt.percent))),
            func.max(case((and_(check, Attempt.passed.is_(True)), 1), else_=0)),
            func.max(
                case((and_(summative, Attempt.state == AttemptState.AWAITING_MARKING), 1), else_=0)
            ),
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(QuizRevision, QuizRevision.id == Attempt.revision_id)
        .outerjoin(
            restarts,
            and_(restarts.c.learner_id == Attempt.user_id, restarts.c.module_id == Quiz.module_id),
        )
        .where(
            Attempt.user_id.in_(learner_ids),
            Quiz.module_id.in_(module_ids),
            or_(restarts.c.at.is_(None), Attempt.started_at >= restarts.c.at),
        )
        .group_by(Attempt.user_id, Quiz.module_id)
    )
    for learner_id, module_id, best, passed, waiting in db.session.execute(attempts):
        entry = facts[learner_id, module_id]
        entry.attempted, entry.best_check_percent = True, best
        entry.check_passed, entry.awaiting_marking = bool(passed), bool(waiting)

    judgements = (
        select(
            OutcomeJudgement.learner_id,
            Outcome.module_id,
            OutcomeJudgement.outcome_id,
            OutcomeJudgement.status,
            OutcomeJudgement.verdict,
            func.coalesce(OutcomeJudgement.released_at, OutcomeJudgement.finalised_at),
        )
        .join(Outcome, Outcome.id == OutcomeJudgement.outcome_id)
        .join(Attempt, Attempt.id == OutcomeJudgement.attempt_id)
        .outerjoin(
            restarts,
            and_(
                restarts.c.learner_id == OutcomeJudgement.learner_id,
                restarts.c.module_id == Outcome.module_id,
            ),
        )
        .where(
            OutcomeJudgement.learner_id.in_(learner_ids),
            Outcome.module_id.in_(module_ids),
            OutcomeJudgement.status.in_((JudgementStatus.IN_SAMPLE, JudgementStatus.FINAL)),
            or_(restarts.c.at.is_(None), Attempt.started_at >= restarts.c.at),
        )
        .order_by(OutcomeJudgement.id)
    )
    for learner_id, module_id, *judgement in db.session.execute(judgements):
        facts[learner_id, module_id].judgements.append(tuple(judgement))  # type: ignore[arg-type]

    certificates = (
        select(
            Certificate.learner_id,
            Certificate.module_id,
            Certificate.code,
            Certificate.expires_at,
        )
        .where(
            Certificate.learner_id.in_(learner_ids),
            Certificate.module_id.in_(module_ids),
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.issued_at)
    )
    for learner_id, subject_id, code, expires_at in db.session.execute(certificates):
        if subject_id is not None and (expires_at is None or expires_at > now):
            facts[learner_id, subject_id].certificate = (code, expires_at)
    return facts


def _standing(
    key: Key, module: ModuleEntry, facts: _Facts, outcomes: dict[int, list[int]], now: datetime
) -> Standing:
    standing = Standing(
        *key,
        lessons_done=facts.lessons_done,
        lessons_total=len(module.lessons),
        started_at=facts.started_at,
        best_check_percent=facts.best_check_percent,
    )
    if facts.certificate is not None:
        standing.certificate_code, standing.certificate_expires_at = facts.certificate
    standing.stage = _stage(facts, outcomes.get(module.id, []), standing)
    return standing


def _stage(facts: _Facts, outcome_ids: list[int], standing: Standing) -> Stage:
    latest: dict[int, tuple[JudgementStatus, Verdict | None, datetime | None]] = {}
    for outcome_id, status, verdict, decided_at in facts.judgements:
        latest[outcome_id] = (status, verdict, decided_at)
    decided = [latest.get(outcome_id) for outcome_id in outcome_ids]
    competent = [
        d for d in decided if d and d[0] is JudgementStatus.FINAL and d[1] is Verdict.COMPETENT
    ]
    if outcome_ids and len(competent) == len(outcome_ids):
        standing.completed_at = max((d[2] for d in competent if d[2]), default=None)
        return Stage.CERTIFIED if standing.certificate_code else Stage.COMPETENT
    if facts.awaiting_marking or any(d and d[0] is JudgementStatus.IN_SAMPLE for d in decided):
        return Stage.AWAITING_MARKING
    if any(d and d[1] is Verdict.NOT_YET_COMPETENT for d in decided):
        return Stage.NOT_YET_COMPETENT
    if facts.check_passed:
        return Stage.KNOWLEDGE_CHECK_PASSED
    if facts.started_at is not None or facts.attempted:
        return Stage.IN_PROGRESS
    return Stage.NOT_STARTED
