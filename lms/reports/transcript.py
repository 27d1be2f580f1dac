"""One learner's transcript: who they are, the cohorts they were in, and for each module their
stage, the lessons they read (which revision, when), the statements they acknowledged, their
quiz attempts and scores, the final outcome decisions and their certificates.

The page and the PDF are rendered from the same plain dict (`transcript_document`), so the PDF
renderer never sees a model object (STYLE.md §8). Only final decisions appear: a judgement
waiting for moderation or overturned by a moderator is not on anyone's transcript, exactly as
the learner's own record shows it. Times are aware UTC datetimes; due and completion dates are
local calendar days.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from lms.assessments.models import Attempt, AttemptState, Quiz, QuizRevision
from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates.models import Certificate
from lms.cohorts.due_dates import local_day
from lms.cohorts.models import LeavingReason, Membership
from lms.cohorts.standing import Standing, standings
from lms.content.catalogue import LessonEntry, ModuleEntry, current_catalogue
from lms.content.models import LessonRevision, Outcome
from lms.extensions import db
from lms.learning.models import LessonAcknowledgement, LessonProgress
from lms.marking.models import JudgementStatus, OutcomeJudgement
from lms.reports.records import RecordFilter, RecordRow, RecordScope, iter_records

LEAVING_LABELS = {
    LeavingReason.MOVED: "Moved to another cohort",
    LeavingReason.WITHDRAWN: "Withdrawn",
}
ATTEMPT_LABELS = {
    AttemptState.SUBMITTED: "Submitted",
    AttemptState.AWAITING_MARKING: "Awaiting marking",
    AttemptState.MARKED: "Marked",
}


def has_records(user: User) -> bool:
    """A learner now, or someone who was in a cohort (their records stay on file)."""
    if user.has_role(Role.LEARNER):
        return True
    query = select(Membership.id).where(Membership.user_id == user.id).limit(1)
    return db.session.scalar(query) is not None


def transcript_document(learner: User, *, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """The learner's transcript as plain values (see the module's docstring)."""
    records = {
        row.module_code: row
        for row in iter_records(
            RecordFilter(learner_id=learner.id), RecordScope(), now=now, zone=zone
        )
    }
    activity = _activity(learner)
    shown = [
        module
        for module in current_catalogue().modules
        if module.code in records or module.id in activity.module_ids
    ]
    found = standings([learner.id], shown, now=now)
    modules = [
        _module(module, records.get(module.code), found[learner.id, module.id], activity, now, zone)
        for module in shown
    ]
    shown_ids = {module.id for module in shown}
    return {
        "generated_at": now,
        "learner": {
            "name": learner.full_name,
            "email": learner.email,
            "employee_number": learner.employee_number or "",
            "active": learner.active,
            "since": learner.created_at,
        },
        "placement": _placement(records),
        "memberships": _memberships(learner),
        "modules": modules,
        "other_certificates": [
            _certificate(c, now) for c in activity.certificates if c.module_id not in shown_ids
        ],
    }


class _Activity:
    """Everything the learner did, read in one query per kind and grouped by module."""

    def __init__(self) -> None:
        self.module_ids: set[int] = set()
        self.progress: dict[int, tuple[LessonProgress, int | None, int | None]] = {}
        self.acknowledgements: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.attempts: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.judgements: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.certificates: list[Certificate] = []


def _activity(learner: User) -> _Activity:
    activity = _Activity()
    lesson_module = {
        lesson.id: module.id for module in current_catalogue().modules for lesson in module.lessons
    }
    _read_lessons(learner, activity, lesson_module)
    _read_attempts(learner, activity)
    _read_judgements(learner, activity)
    query = select(Certificate).where(Certificate.learner_id == learner.id)
    activity.certificates = list(db.session.scalars(query.order_by(Certificate.issued_at)))
    activity.module_ids |= {c.module_id for c in activity.certificates if c.module_id}
    return activity


def _read_lessons(learner: User, activity: _Activity, lesson_module: dict[int, int]) -> None:
    completed, viewed = aliased(LessonRevision), aliased(LessonRevision)
    progress = (
        select(LessonProgress, completed.number, viewed.number)
        .outerjoin(completed, completed.id == LessonProgress.completed_revision_id)
        .join(viewed, viewed.id == LessonProgress.last_viewed_revision_id)
        .where(LessonProgress.user_id == learner.id)
    )
    for row, completed_number, viewed_number in db.session.execute(progress):
        activity.progress[row.lesson_id] = (row, completed_number, viewed_number)
        if row.lesson_id in lesson_module:
            activity.module_ids.add(lesson_module[row.lesson_id])
    acknowledged = (
        select(LessonAcknowledgement, LessonRevision.lesson_id, LessonRevision.number)
        .join(LessonRevision, LessonRevision.id == LessonAcknowledgement.revision_id)
        .where(LessonAcknowledgement.user_id == learner.id)
        .order_by(LessonAcknowledgement.acknowledged_at)
    )
    for ack, lesson_id, number in db.session.execute(acknowledged):
        activity.acknowledgements[lesson_id].append(
            {"statement": ack.statement, "at": ack.acknowledged_at, "revision": number}
        )


def _read_attempts(learner: User, activity: _Activity) -> None:
    query = (
        select(Attempt, QuizRevision.title, Quiz.module_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(QuizRevision, QuizRevision.id == Attempt.revision_id)
        .where(Attempt.user_id == learner.id, Attempt.state != AttemptState.IN_PROGRESS)
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    for attempt, title, module_id in db.session.execute(query):
        activity.module_ids.add(module_id)
        activity.attempts[module_id].append(
            {
                "quiz": title,
                "number": attempt.number,
                "submitted_at": attempt.submitted_at,
                "percent": attempt.percent,
                "result": _result(attempt),
            }
        )


def _result(attempt: Attempt) -> str:
    if attempt.passed is True:
        return "Passed"
    if attempt.passed is False:
        return "Not passed"
    return ATTEMPT_LABELS.get(attempt.state, attempt.state.value)


def _read_judgements(learner: User, activity: _Activity) -> None:
    query = (
        select(OutcomeJudgement)
        .join(Outcome, Outcome.id == OutcomeJudgement.outcome_id)
        .where(
            OutcomeJudgement.learner_id == learner.id,
            OutcomeJudgement.status.in_((JudgementStatus.FINAL, JudgementStatus.SUPERSEDED)),
        )
        .options(joinedload(OutcomeJudgement.assessor))
        .order_by(Outcome.position, OutcomeJudgement.id)
    )
    for judgement in db.session.scalars(query):
        module_id = judgement.outcome.module_id
        activity.module_ids.add(module_id)
        activity.judgements[module_id].append(
            {
                "outcome": judgement.outcome.code,
                "verdict": judgement.verdict.label if judgement.verdict else "",
                "assessor": judgement.assessor.full_name,
                "at": judgement.released_at or judgement.finalised_at or judgement.created_at,
                "note": "Replaced after an appeal"
                if judgement.status is JudgementStatus.SUPERSEDED
                else "",
            }
        )


def _module(
    module: ModuleEntry,
    record: RecordRow | None,
    standing: Standing,
    activity: _Activity,
    now: datetime,
    zone: ZoneInfo,
) -> dict[str, Any]:
    completed = local_day(standing.completed_at, zone) if standing.completed_at else None
    return {
        "code": module.code,
        "title": module.title,
        "stage": standing.stage.label,
        "stage_key": standing.stage.value,
        "expected": record is not None,
        "due": record.due if record else None,
        "overdue": record.overdue if record else False,
        "completed": completed,
        "lessons_done": standing.lessons_done,
        "lessons_total": standing.lessons_total,
        "best_check_percent": standing.best_check_percent,
        "lessons": [_lesson(lesson, activity) for lesson in module.lessons],
        "attempts": activity.attempts.get(module.id, []),
        "judgements": activity.judgements.get(module.id, []),
        "certificates": [
            _certificate(c, now) for c in activity.certificates if c.module_id == module.id
        ],
    }


def _lesson(lesson: LessonEntry, activity: _Activity) -> dict[str, Any]:
    found = activity.progress.get(lesson.id)
    progress, completed_number, viewed_number = found or (None, None, None)
    return {
        "title": lesson.revision.title,
        "current_revision": lesson.revision.number,
        "revision_read": completed_number or viewed_number,
        "started_at": progress.started_at if progress else None,
        "completed_at": progress.completed_at if progress else None,
        "acknowledgements": activity.acknowledgements.get(lesson.id, []),
    }


def _certificate(certificate: Certificate, now: datetime) -> dict[str, Any]:
    return {
        "code": certificate.code,
        "subject": certificate.subject_title,
        "status": certificate.status(now).label,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
    }


def _placement(records: dict[str, RecordRow]) -> dict[str, str]:
    row = next(iter(records.values()), None)
    if row is None:
        return {"cohort": "", "membership": ""}
    return {"cohort": row.cohort, "membership": row.membership}


def _memberships(learner: User) -> list[dict[str, Any]]:
    query = (
        select(Membership)
        .where(Membership.user_id == learner.id)
        .options(joinedload(Membership.cohort))
        .order_by(Membership.enrolled_at, Membership.id)
    )
    return [
        {
            "cohort": membership.cohort.name,
            "client": membership.cohort.client,
            "enrolled_at": membership.enrolled_at,
            "left_at": membership.left_at,
            "reason": LEAVING_LABELS.get(membership.leaving_reason, "")
            if membership.leaving_reason
            else "",
            "note": membership.leaving_note,
        }
        for membership in db.session.scalars(query)
    ]


def transcript_filename(learner: User, now: datetime, zone: ZoneInfo) -> str:
    """`transcript-thandi-mokoena-2026-12-01.pdf`: ASCII only, dated in the local zone."""
    folded = unicodedata.normalize("NFKD", learner.full_name)
    plain = folded.encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "learner"
    return f"transcript-{name}-{now.astimezone(zone):%Y-%m-%d}.pdf"
