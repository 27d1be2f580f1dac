"""What each learner of the cohorts benchmark did, as rows: lessons read, knowledge-check and
summative attempts, judgements and certificates.

A learner takes the five modules one after another. Module N's window opens when module N-1's
closes and closes on its due day, stretched by the learner's pace: lessons in its first 60 %,
the knowledge check (failed once in three, then retaken) by 80 %, the summative at its end.
Assessors mark a summative within four days; an outcome judged Not Yet Competent is
resubmitted a few days later (three attempts at most). Most learners who reach Competent get
the module's certificate the same day. How far into each window the learner has got, by now or
by when they stalled, decides which of these rows exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from lms.assessments.models import AttemptState
from lms.certificates.codes import ALPHABET
from lms.certificates.storage import expiry
from lms.marking.models import Verdict

DUE_DAYS = (3, 6, 10, 14, 20)  # the five modules' due days, in order
KNOWLEDGE_CHECK_QUESTIONS = 16.0


@dataclass(frozen=True)
class Course:
    """One shipped module as the rows need it."""

    module_id: int
    code: str
    title: str
    lessons: tuple[tuple[int, int, str], ...]  # lesson id, current revision id, content hash
    outcomes: tuple[int, ...]
    check: tuple[int, int]  # the knowledge check's quiz id and current revision id
    summative: tuple[int, int]
    valid_months: int | None


# --- What each learner did -------------------------------------------------------------------


@dataclass
class Rows:
    """One round's rows, table by table. A marked attempt's judgements wait for its id."""

    memberships: list[dict[str, Any]] = field(default_factory=list)
    progress: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    # (the attempt's place in `attempts`, its assessor, [(outcome id, verdict)], decided at)
    judged: list[tuple[int, int, list[tuple[int, Verdict]], datetime]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Learner:
    id: int
    name: str
    began: datetime  # their cohort's first morning
    factor: float  # days they take per due day: under 1 is ahead of the plan
    until: datetime  # their last moment of work: now, or when they stalled
    now: datetime  # the data's present: nothing is marked or issued after it


def pace(rng: random.Random, user_id: int, name: str, began: datetime, now: datetime) -> Learner:
    """Most keep to the plan, some fall behind, a few stop part-way."""
    roll, until = rng.random(), now
    if roll < 0.05:
        factor = rng.uniform(0.8, 1.2)
        until = min(now, began + timedelta(days=rng.uniform(1, 18)))
    elif roll < 0.20:
        factor = rng.uniform(1.1, 2.0)
    else:
        factor = rng.uniform(0.55, 1.0)
    return Learner(user_id, name, began, factor, until, now)


def plan_learner(
    rows: Rows, rng: random.Random, learner: Learner, courses: list[Course], assessors: list[int]
) -> None:
    """The modules one after another, each closing near its due day at the learner's pace."""
    opens_day = 0
    for course, due_day in zip(courses, DUE_DAYS, strict=True):
        opens = learner.began + timedelta(days=opens_day * learner.factor)
        closes = learner.began + timedelta(days=due_day * learner.factor)
        opens_day = due_day
        if learner.until > opens:
            reached = (learner.until - opens) / (closes - opens)
            plan_module(rows, rng, learner, course, (opens, closes - opens), reached, assessors)


def plan_module(
    rows: Rows,
    rng: random.Random,
    learner: Learner,
    course: Course,
    window: tuple[datetime, timedelta],
    reached: float,
    assessors: list[int],
) -> None:
    """Lessons in the first 60 % of the window, the knowledge check by 80 %, the summative at
    its end; `reached` is how far into the window the learner got (1 or more: all of it)."""
    opens, span = window

    def at(share: float) -> datetime:
        return opens + span * share

    lessons = course.lessons
    read = len(lessons) if reached >= 0.6 else int(len(lessons) * reached / 0.6)
    for k, (lesson_id, revision_id, content_hash) in enumerate(lessons[: read + 1]):
        done = at(0.6 * (k + 0.8) / len(lessons)) if k < read else None
        rows.progress.append(
            _progress(
                learner.id, lesson_id, revision_id, content_hash, at(0.6 * k / len(lessons)), done
            )
        )
    failed_first = rng.random() < 0.3
    for number, share in enumerate((0.65, 0.75) if failed_first else (0.65,), start=1):
        if reached >= share:
            passed = not (failed_first and number == 1)
            percent = rng.uniform(75, 100) if passed else rng.uniform(31, 72)
            rows.attempts.append(_check(learner.id, course, number, at(share), percent))
    if reached >= 1:
        _summatives(rows, rng, learner, course, at(1), assessors)


def _summatives(
    rows: Rows,
    rng: random.Random,
    learner: Learner,
    course: Course,
    submitted: datetime,
    assessors: list[int],
) -> None:
    """Submitted, marked a few days later, resubmitted while an outcome is Not Yet Competent
    (three attempts at most); then, most often, the module's certificate."""
    to_judge = list(course.outcomes)
    for number in (1, 2, 3):
        decided = submitted + timedelta(days=rng.uniform(0.3, 4))
        marked = decided <= learner.now
        if marked:
            nyc = 0.12 if number == 1 else 0.25 if number == 2 else 0
            verdicts = [
                (o, Verdict.NOT_YET_COMPETENT if rng.random() < nyc else Verdict.COMPETENT)
                for o in to_judge
            ]
            rows.judged.append((len(rows.attempts), rng.choice(assessors), verdicts, decided))
            to_judge = [o for o, v in verdicts if v is Verdict.NOT_YET_COMPETENT]
        rows.attempts.append(
            _summative(
                learner.id,
                course,
                number,
                submitted,
                decided if marked else None,
                passed=None if not marked else not to_judge,
            )
        )
        if not marked:
            return
        if not to_judge:
            if rng.random() < 0.85:
                issued = min(decided + timedelta(hours=rng.uniform(1, 24)), learner.now)
                rows.certificates.append(_certificate(learner, course, issued))
            return
        submitted = decided + timedelta(days=rng.uniform(1, 5))
        if submitted > learner.until:
            return


# --- The rows ----------------------------------------------------------------------------------


def _progress(
    user_id: int,
    lesson_id: int,
    revision_id: int,
    content_hash: str,
    started: datetime,
    done: datetime | None,
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "lesson_id": lesson_id,
        "started_at": started,
        "started_revision_id": revision_id,
        "last_viewed_at": done or started,
        "last_viewed_revision_id": revision_id,
        "completed_at": done,
        "completed_revision_id": revision_id if done else None,
        "completed_content_hash": content_hash if done else None,
        "confirmed_at": done,
    }


def _attempt(user_id: int, quiz: tuple[int, int], number: int, at: datetime) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "quiz_id": quiz[0],
        "revision_id": quiz[1],
        "number": number,
        "started_at": at - timedelta(minutes=25),
        "deadline": None,
        "last_saved_at": at,
        "submitted_at": at,
        "auto_submitted": False,
        "page": 1,
        "version": 3,
    }


def _check(user_id: int, course: Course, number: int, at: datetime, percent: float) -> Any:
    questions = KNOWLEDGE_CHECK_QUESTIONS
    return {
        **_attempt(user_id, course.check, number, at),
        "state": AttemptState.MARKED,
        "marked_at": at,
        "score": round(questions * percent / 100),
        "max_score": questions,
        "percent": round(100 * round(questions * percent / 100) / questions, 2),
        "passed": percent >= 75,
    }


def _summative(
    user_id: int,
    course: Course,
    number: int,
    at: datetime,
    marked: datetime | None,
    *,
    passed: bool | None,
) -> dict[str, Any]:
    return {
        **_attempt(user_id, course.summative, number, at),
        "state": AttemptState.MARKED if marked else AttemptState.AWAITING_MARKING,
        "marked_at": marked,
        "score": 0.0,
        "max_score": 0.0,
        "percent": None,
        "passed": passed,
    }


def _certificate(learner: Learner, course: Course, issued: datetime) -> dict[str, Any]:
    months = course.valid_months
    return {
        "code": "",  # numbered when the round is written
        "learner_id": learner.id,
        "module_id": course.module_id,
        "subject_key": course.code,
        "cycle": 1,
        "learner_name": learner.name,
        "subject_title": course.title,
        "achievements": [{"code": course.code, "title": course.title, "outcomes": []}],
        "assessor_names": "Priya Naidoo",
        "issued_at": issued,
        "expires_at": expiry(issued, months),
        "revoked_at": None,
        "pdf_name": "not-rendered.pdf",  # the benchmark never opens a certificate's file
        "pdf_sha256": "0" * 64,
        "pdf_size": 0,
        "badge_salt": "0" * 32,
    }


def certificate_code(number: int) -> str:
    """A well-formed code of its own for each number: CHRT-xxxx-xxxx."""
    symbols = ""
    for _ in range(8):
        number, digit = divmod(number, len(ALPHABET))
        symbols = ALPHABET[digit] + symbols
    return f"CHRT-{symbols[:4]}-{symbols[4:]}"
