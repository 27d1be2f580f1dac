"""Steps the marking tests share beyond marking_steps: a request around a test (services build
links when they tell someone), a moderator confirming a sample, users holding two roles, what
the audit trail and the learner's record say, and a snapshot of the database that shows a
refused action wrote nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from lms.assessments.models import Attempt
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import marking_queue, moderation
from lms.marking.marking_queue import QueueFilter
from lms.marking.models import (
    Appeal,
    JudgementStatus,
    Marking,
    ModerationPool,
    OutcomeJudgement,
    ReviewVerdict,
    Verdict,
)
from lms.marking.record import ModuleRecord, module_record
from lms.marking.services import MarkingError, MarkingInput, OutcomeInput
from lms.notifications import Notification
from tests.assessments.attempt_steps import pass_knowledge_check
from tests.conftest import UserFactory
from tests.marking.marking_steps import (
    NOW,
    NYC,
    C,
    finalise,
    judgements_input,
    judgements_of,
    module_a1,
    new_learner,
)
from tests.quiz_files import QuizWorld, finish_lessons

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
LO1, LO2 = "A1-LO1", "A1-LO2"
CONFIRMED, OVERTURNED = ReviewVerdict.CONFIRMED, ReviewVerdict.OVERTURNED
REASON = "The answer does not name the ACD."


@pytest.fixture(name="in_request")
def request_around_the_test(app: Flask, app_context: None) -> Iterator[None]:
    """A request around the test, sharing its session: released results carry url_for links."""
    with app.test_request_context():
        yield


@pytest.fixture(name="no_sampling")
def sampling_switched_off(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """No first judgements, no draw, NYC not moderated: every decision is released at once."""
    monkeypatch.setitem(app.config, "MODERATE_ALL_NOT_YET_COMPETENT", False)
    monkeypatch.setitem(app.config, "MODERATE_FIRST_JUDGEMENTS", 0)
    monkeypatch.setitem(app.config, "MODERATION_RATE_PERCENT", 0)


def user_with_roles(make_user: UserFactory, *roles: Role, full_name: str) -> User:
    """A committed user holding `roles`, loaded into the test's session."""
    user = db.session.get(User, make_user(*roles, full_name=full_name).id)
    assert user is not None
    return user


def assign_to_a1(user: User) -> User:
    """Add `user` to A1's assessors, keeping those already assigned; commit."""
    module = module_a1()
    current = marking_queue.assessors_by_module().get(module.id, [])
    marking_queue.set_module_assessors(module, [*current, user], actor=user)
    db.session.commit()
    return user


def learner_who_assesses(world: QuizWorld, make_user: UserFactory) -> User:
    """A learner ready for A1's summative who is also an assessor assigned to A1."""
    user = user_with_roles(make_user, Role.LEARNER, Role.ASSESSOR, full_name="Sipho Dlamini")
    finish_lessons(world.app, user, now=NOW - 2 * DAY)
    pass_knowledge_check(user)
    return assign_to_a1(user)


def learners(world: QuizWorld, make_user: UserFactory, count: int) -> list[User]:
    return [new_learner(world, make_user) for _ in range(count)]


def confirm_sample(moderator: User, attempt: Attempt, *, at: datetime = NOW + HOUR) -> None:
    """The moderator confirms every judgement of the attempt waiting in the sample; commit."""
    for judgement in judgements_of(attempt):
        if judgement.status is JudgementStatus.IN_SAMPLE:
            moderation.review(judgement, moderator, ReviewVerdict.CONFIRMED, "", now=at)
    db.session.commit()


def review(code: str, attempt: Attempt, moderator: User, verdict: ReviewVerdict) -> None:
    """The moderator checks the attempt's judgement of one outcome, an hour on; commit."""
    reason = REASON if verdict is OVERTURNED else ""
    moderation.review(judgement_on(attempt, code), moderator, verdict, reason, now=NOW + HOUR)
    db.session.commit()


def mark_final(
    assessor: User,
    moderator: User,
    attempt: Attempt,
    verdicts: Mapping[str, Verdict | None],
    *,
    at: datetime = NOW,
) -> Marking:
    """Finalise the verdicts and have the moderator confirm whatever was sampled, an hour on."""
    marking = finalise(assessor, attempt, verdicts, at=at)
    confirm_sample(moderator, attempt, at=at + HOUR)
    return marking


def queued(
    assessor: User, criteria: QueueFilter | None = None, *, now: datetime = NOW + 3 * DAY
) -> list[int]:
    """The ids of the attempts in the assessor's queue, in its order."""
    query = marking_queue.queue_query(assessor, criteria or QueueFilter(), now=now)
    return [attempt.id for attempt in db.session.scalars(query)]


def judgement_on(attempt: Attempt, code: str) -> OutcomeJudgement:
    """The attempt's latest judgement of the outcome with this code."""
    return [j for j in judgements_of(attempt) if j.outcome.code == code][-1]


def record_of(learner: User, *, as_learner: bool = True, now: datetime = NOW) -> ModuleRecord:
    db.session.expire_all()
    return module_record(learner, module_a1(), as_learner=as_learner, now=now)


def statuses(record: ModuleRecord) -> dict[str, str]:
    """Each outcome's status in the record, by outcome code."""
    return {o.outcome.code: o.status.value for o in record.outcomes}


def audit_trail(target: Attempt | OutcomeJudgement | Appeal) -> list[tuple[str, int | None]]:
    """The (action, actor id) of every audit event about `target`, oldest first."""
    query = (
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(
            AuditEvent.object_type == target.__tablename__,
            AuditEvent.object_id == str(target.id),
        )
        .order_by(AuditEvent.id)
    )
    return [(action, actor) for action, actor in db.session.execute(query)]


def notes_for(user: User) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    return list(db.session.scalars(query))


def emails_in(outbox: Path) -> list[str]:
    """The messages written to the outbox, oldest first, as text."""
    return [path.read_text() for path in sorted(outbox.glob("*.eml"))]


def database_state() -> dict[str, Any]:
    """Every table's row count, the columns marking changes, and the mail sent, read afresh."""
    db.session.expire_all()
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    columns = {
        "markings": (Marking.id, Marking.assessor_id, Marking.state, Marking.version),
        "judgements": (
            OutcomeJudgement.id,
            OutcomeJudgement.status,
            OutcomeJudgement.verdict,
            OutcomeJudgement.comment,
            OutcomeJudgement.sequence,
            OutcomeJudgement.released_at,
        ),
        "attempts": (Attempt.id, Attempt.state, Attempt.passed),
        "pools": (ModerationPool.id, ModerationPool.judged),
        "appeals": (Appeal.id, Appeal.status, Appeal.decision_reason),
    }
    rows = {
        name: sorted(tuple(row) for row in db.session.execute(select(*cols)))
        for name, cols in columns.items()
    }
    emails = len(list(Path(current_app.config["MAIL_OUTBOX"]).glob("*.eml")))
    return {"counts": counts, "rows": rows, "emails": emails}


def refused(step: Callable[[], object], error: type[MarkingError] = MarkingError) -> MarkingError:
    """Take a step that must be refused with `error`, roll back as the request would, and show
    the database is as it was before; return the refusal."""
    before = database_state()
    with pytest.raises(error) as refusal:
        step()
    db.session.rollback()
    assert database_state() == before
    return refusal.value


# Bad marking forms, each with the form field its refusal names (None: a forged form).
def scored(
    marking: Marking, attempt: Attempt, score: float, response_id: int | None = None
) -> MarkingInput:
    """Both outcomes Competent, with a score for the first answer (or the given response id)."""
    given = judgements_input(marking, {LO1: C, LO2: C})
    return replace(given, scores={response_id or attempt.responses[0].id: score})


FINALISE_REFUSALS: dict[str, tuple[Callable[[Marking, Attempt], MarkingInput], str | None]] = {
    "outcome-missing": (lambda m, a: judgements_input(m, {LO1: C}), "verdict-A1-LO2"),
    "outcome-unjudged": (lambda m, a: judgements_input(m, {LO1: C, LO2: None}), "verdict-A1-LO2"),
    "nyc-without-comment": (
        lambda m, a: MarkingInput(
            m.version, outcomes={LO1: OutcomeInput(C), LO2: OutcomeInput(NYC, " ")}
        ),
        "comment-A1-LO2",
    ),
    "unknown-outcome": (lambda m, a: judgements_input(m, {LO1: C, LO2: C, "A1-LO9": C}), None),
    "score-above-the-points": (lambda m, a: scored(m, a, 1.5), "score-1"),
    "score-below-zero": (lambda m, a: scored(m, a, -0.5), "score-1"),
    "answer-of-another-attempt": (lambda m, a: scored(m, a, 1, response_id=10**6), None),
}
