"""An attempt's life: start, save answers as the learner goes, submit (once), mark.

Every write to an attempt first takes the attempt's row lock (by bumping its `version`), so a
save racing a submit, or two submits from two tabs, queue up on PostgreSQL and SQLite alike;
whoever comes second sees the state the first one left and acts on that.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from lms import audit
from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.models import Attempt, AttemptClosed, AttemptState, Question, Response
from lms.assessments.question_types import (
    FormValues,
    InvalidAnswer,
    StoredAnswer,
    kind_of,
    matching_options,
)
from lms.assessments.services import QuizStatus
from lms.auth.models import User
from lms.extensions import db


class CannotStart(Exception):
    """No new attempt may begin; the message says why, for the learner."""


@dataclass(frozen=True)
class AnswerProblem:
    """A submitted value that is not an answer to the question (a forged or broken form)."""

    response_id: int
    message: str


class AnswersRejected(Exception):
    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def start_attempt(
    user: User, status: QuizStatus, *, now: datetime, seed: int | None = None
) -> Attempt:
    """Resume the attempt in progress, or begin a new one on the quiz's current revision.

    The questions drawn, their order and the order of each question's choices are fixed here
    and stored, so a reload or another device shows the same attempt.
    """
    if status.in_progress is not None:
        return status.in_progress
    if not status.can_start:
        raise CannotStart(_why_not(status))
    settings, revision = status.settings, status.revision
    rng = random.Random(seed)  # noqa: S311 (an order to show questions in, not a secret)
    questions = list(revision.questions)
    if settings.draw is not None:
        counted = [q for q in questions if q.qtype != "description"]
        drawn = {q.id for q in rng.sample(counted, settings.draw)}
        questions = [q for q in questions if q.id in drawn]
    if settings.shuffle_questions:
        rng.shuffle(questions)
    attempt = Attempt(
        user_id=user.id,
        quiz_id=status.quiz.id,
        revision_id=revision.id,
        number=_next_number(user, status.quiz.id),
        state=AttemptState.IN_PROGRESS,
        started_at=now,
        deadline=now + timedelta(minutes=settings.time_limit) if settings.time_limit else None,
    )
    db.session.add(attempt)
    db.session.flush()  # a second start racing this one fails here, on the unique index
    earlier = _earlier_answers(status) if status.resubmitting else {}
    for position, question in enumerate(questions, start=1):
        parsed = parsed_question(question)
        db.session.add(
            Response(
                attempt_id=attempt.id,
                question_id=question.id,
                position=position,
                choice_order=_choice_order(parsed, rng, settings.shuffle_answers),
                max_points=question.points,
                answer=earlier.get(_answer_key(question)),
            )
        )
    db.session.flush()
    return attempt


def _earlier_answers(status: QuizStatus) -> dict[tuple[str, int | str], StoredAnswer]:
    """A resubmission starts from the last attempt's answers, to edit rather than retype.

    Answers are matched by question name (or position when unnamed), so they carry over to a
    new revision of the quiz too; an answer to a changed question type is left out.
    """
    last = status.finished[-1]
    return {
        _answer_key(response.question): response.answer
        for response in last.responses
        if response.answer is not None
    }


def _answer_key(question: Question) -> tuple[str, int | str]:
    return (question.qtype, question.name or question.position)


def _why_not(status: QuizStatus) -> str:
    if status.blocked_by:
        return status.blocked_by
    if status.passed:
        return "You have passed this quiz."
    if status.awaiting_marking:
        return "Your last attempt is waiting for an assessor."
    return "You have used every attempt this quiz allows; your trainer can help."


def _next_number(user: User, quiz_id: int) -> int:
    query = select(func.max(Attempt.number)).where(
        Attempt.user_id == user.id, Attempt.quiz_id == quiz_id
    )
    return (db.session.scalar(query) or 0) + 1


def _choice_order(question: ParsedQuestion, rng: random.Random, shuffle: bool) -> list[int]:
    count = kind_of(question).choice_count(question)
    order = list(range(count))
    if question.type == "matching" and not shuffle:
        # Unshuffled, the answers would line up with their prompts: sort them instead.
        options = matching_options(question)
        return sorted(order, key=lambda index: options[index].casefold())
    if shuffle or question.type == "matching":
        rng.shuffle(order)
    if question.type == "matching" and order == sorted(order) and len(order) > 1:
        order = order[1:] + order[:1]  # shuffled back into the written order: move it on
    return order


def parsed_question(question: Question) -> ParsedQuestion:
    return ParsedQuestion.from_json(question.data, line=question.source_line)


def lock(attempt: Attempt) -> None:
    """Take the attempt's row lock and reload it: later writers wait, then see this one's."""
    db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id).values(version=Attempt.version + 1)
    )
    db.session.refresh(attempt)
    # Answers this request read before it waited are stale too: read them again.
    db.session.scalars(
        select(Response)
        .where(Response.attempt_id == attempt.id)
        .execution_options(populate_existing=True)
    ).all()


def read_answers(
    responses: Sequence[Response], values: FormValues
) -> tuple[dict[int, StoredAnswer], list[AnswerProblem]]:
    """The answers a form gives for `responses` (by response id), and what could not be read."""
    answers, problems = {}, []
    for response in responses:
        parsed = parsed_question(response.question)
        try:
            answers[response.id] = kind_of(parsed).read_answer(
                values, field_name(response), parsed, response.choice_order
            )
        except InvalidAnswer as error:
            problems.append(AnswerProblem(response.id, str(error)))
    return answers, problems


def save_answers(
    attempt: Attempt,
    responses: Sequence[Response],
    values: FormValues,
    *,
    now: datetime,
    grace: timedelta,
    page: int | None = None,
) -> int:
    """Store the answers given for `responses`; return how many changed.

    Raises AttemptClosed once the attempt was submitted (or its time ran out, in which case it
    is submitted now with what was saved before), and AnswersRejected for impossible values,
    saving nothing.
    """
    lock(attempt)
    if close_if_overdue(attempt, now=now, grace=grace):
        raise AttemptClosed(attempt.id, attempt.state)
    if attempt.state is not AttemptState.IN_PROGRESS:
        raise AttemptClosed(attempt.id, attempt.state)
    answers, problems = read_answers(responses, values)
    if problems:
        raise AnswersRejected(problems)
    changed = 0
    for response in responses:
        if response.answer != answers[response.id]:
            response.answer, response.saved_at = answers[response.id], now
            changed += 1
    attempt.last_saved_at = now
    if page is not None:
        attempt.page = page
    return changed


def field_name(response: Response) -> str:
    """The form field of a response on the learner's page: by position, never by question."""
    return f"q{response.position}"


def submit_attempt(attempt: Attempt, *, now: datetime, automatic: bool = False) -> bool:
    """Submit and grade the attempt; True if this call submitted it.

    Idempotent: a second submit (double click, second tab, retry) finds it already submitted
    and changes nothing.
    """
    lock(attempt)
    if attempt.state is not AttemptState.IN_PROGRESS:
        return False
    attempt.submit(now, automatic=automatic)
    _grade(attempt, now)
    audit.record(
        "attempt.submitted",
        actor=None if automatic else attempt.user,
        target=attempt,
        details={
            "quiz": attempt.quiz_id,
            "number": attempt.number,
            "automatic": automatic,
            "percent": attempt.percent,
            "state": attempt.state.value,
        },
    )
    return True


def _grade(attempt: Attempt, now: datetime) -> None:
    score = max_score = 0.0
    needs_marking = False
    for response in attempt.responses:
        parsed = parsed_question(response.question)
        kind = kind_of(parsed)
        grade = kind.grade(parsed, response.answer, response.max_points)
        response.points, response.outcome = grade.points, grade.outcome.value
        response.feedback = list(grade.feedback)
        if kind.auto_marked:
            score, max_score = score + grade.points, max_score + grade.max_points
        elif kind.counts:
            needs_marking = True
    attempt.score, attempt.max_score = round(score, 7), max_score
    if needs_marking:
        attempt.await_marking()
        return
    attempt.percent = round(100 * score / max_score, 2) if max_score else 100.0
    pass_mark = attempt.revision.settings["pass_mark"]
    attempt.passed = attempt.percent >= pass_mark
    attempt.mark(now)


def close_if_overdue(attempt: Attempt, *, now: datetime, grace: timedelta) -> bool:
    """Submit an attempt whose time (plus grace) ran out, with what was saved; True if it did."""
    if not attempt.overdue(now, grace):
        return False
    return submit_attempt(attempt, now=now, automatic=True)


def attempt_grace() -> timedelta:
    """How long after its deadline an attempt still accepts a save or a submission."""
    return timedelta(seconds=int(current_app.config["ATTEMPT_GRACE_SECONDS"]))


def close_overdue_in(statuses: Sequence[QuizStatus], *, now: datetime) -> bool:
    """Submit the attempts in progress among `statuses` whose time ran out; True if any was,
    so a page listing them shows where the learner really stands."""
    in_progress = [status.in_progress for status in statuses if status.in_progress is not None]
    grace = attempt_grace()
    closed = [close_if_overdue(attempt, now=now, grace=grace) for attempt in in_progress]
    return any(closed)


def close_overdue_attempts(*, now: datetime, grace: timedelta) -> int:
    """Submit every attempt whose time ran out (for a periodic job); return how many."""
    query = select(Attempt).where(
        Attempt.state == AttemptState.IN_PROGRESS,
        Attempt.deadline.is_not(None),
        Attempt.deadline < now - grace,
    )
    return sum(
        close_if_overdue(attempt, now=now, grace=grace)
        for attempt in db.session.scalars(query).all()
    )
