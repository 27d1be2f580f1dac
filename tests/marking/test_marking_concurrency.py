"""Assessors racing on markings, as in tests/assessments/test_attempt_concurrency.py: each
contender in its own thread with its own request, session and connection, released together by
a barrier, committing as its request would. On PostgreSQL only: there the markings' unique
attempt, the form version and the pool's row lock are what keep the contenders apart (SQLite
lets one writer at a time into the whole file)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms.assessments.models import Attempt
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import moderation, services
from lms.marking.models import (
    JudgementStatus,
    Marking,
    MarkingState,
    ModerationPool,
    ModerationReview,
    OutcomeJudgement,
    ReviewVerdict,
    Verdict,
)
from lms.marking.services import MarkingError, MarkingHeld, StaleMarking
from tests.conftest import UserFactory
from tests.marking.marking_steps import (
    NOW,
    NYC,
    C,
    finalise,
    judgements_input,
    judgements_of,
    submit_summative,
)
from tests.marking.steps_marking import LO1, LO2, assign_to_a1, learners, user_with_roles
from tests.quiz_files import QuizWorld
from tests.race import Contender, Result, race

pytestmark = pytest.mark.skipif(
    not os.environ.get("LMS_TEST_DATABASE_URL"), reason="needs PostgreSQL: LMS_TEST_DATABASE_URL"
)


def loaded(model: type, row_id: int) -> object:
    """A row by id in this thread's session, as a request loads it."""
    row = db.session.get(model, row_id)
    assert row is not None
    return row


def opener(assessor_id: int, attempt_id: int) -> Contender:
    """The marking page's "Mark": load the assessor and the attempt, then open the marking."""

    def prepare() -> Callable[[], object]:
        assessor, attempt = loaded(User, assessor_id), loaded(Attempt, attempt_id)
        return lambda: services.open_marking(assessor, attempt, now=NOW).assessor_id  # type: ignore[arg-type]

    return prepare


def finaliser(marking_id: int, verdicts: dict[str, Verdict], *, at: datetime = NOW) -> Contender:
    """ "Finalise" from a form built when the marking page was loaded, carrying its version."""

    def prepare() -> Callable[[], object]:
        marking: Marking = loaded(Marking, marking_id)  # type: ignore[assignment]
        assessor, given = marking.assessor, judgements_input(marking, verdicts)
        return lambda: services.finalise(marking, assessor, given, now=at)

    return prepare


def saver(marking_id: int, verdicts: dict[str, Verdict]) -> Contender:
    """ "Save draft" from a form built when the marking page was loaded, carrying its version."""

    def prepare() -> Callable[[], object]:
        marking: Marking = loaded(Marking, marking_id)  # type: ignore[assignment]
        assessor, given = marking.assessor, judgements_input(marking, verdicts)
        return lambda: services.save_draft(marking, assessor, given, now=NOW)

    return prepare


def errors(results: list[Result]) -> list[type[Exception]]:
    """The kinds of refusal the contenders met."""
    return [type(r.error) for r in results if r.error is not None]


def second_assessor(make_user: UserFactory) -> User:
    """Another assessor assigned to A1."""
    return assign_to_a1(user_with_roles(make_user, Role.ASSESSOR, full_name="Lerato Khumalo"))


def opened(assessor: User, attempt: Attempt) -> Marking:
    """The assessor takes the attempt's marking; commit."""
    marking = services.open_marking(assessor, attempt, now=NOW)
    db.session.commit()
    return marking


def pool_sequences(assessor: User) -> list[tuple[int, int | None]]:
    """(attempt id, place) of every judgement in the assessor's pool, in pool order."""
    db.session.expire_all()
    query = (
        select(OutcomeJudgement.attempt_id, OutcomeJudgement.sequence)
        .join(ModerationPool, ModerationPool.id == OutcomeJudgement.pool_id)
        .where(ModerationPool.assessor_id == assessor.id)
        .order_by(OutcomeJudgement.sequence)
    )
    return [(attempt_id, sequence) for attempt_id, sequence in db.session.execute(query)]


@pytest.mark.parametrize("round_", range(3))
def test_two_assessors_opening_one_attempt_at_once_one_holds_it(
    app: Flask, learner: User, assessor: User, make_user: UserFactory, round_: int
) -> None:
    """One marking row, held by one of them; the other is told who holds it."""
    other = second_assessor(make_user)
    attempt = submit_summative(learner)

    results = race(app, opener(assessor.id, attempt.id), opener(other.id, attempt.id))

    assert errors(results) == [MarkingHeld]
    holder = next(r.value for r in results if r.error is None)
    loser = next(r.error for r in results if r.error is not None)
    name = {assessor.id: assessor.full_name, other.id: other.full_name}[holder]  # type: ignore[index]
    assert str(loser).startswith(f"{name} is marking this attempt")
    rows = db.session.scalars(select(Marking).where(Marking.attempt_id == attempt.id)).all()
    assert [(m.assessor_id, m.state, m.version) for m in rows] == [(holder, MarkingState.DRAFT, 1)]


@pytest.mark.parametrize("round_", range(3))
def test_two_finalisations_of_one_form_version_finalise_once(
    app: Flask, learner: User, assessor: User, round_: int
) -> None:
    """Two tabs send the same version with different verdicts: one set is stored, whole."""
    attempt = submit_summative(learner)
    marking = opened(assessor, attempt)
    tabs = [{LO1: C, LO2: NYC}, {LO1: C, LO2: C}]

    results = race(app, *(finaliser(marking.id, verdicts) for verdicts in tabs))

    assert errors(results) == [StaleMarking]
    winner = tabs[next(i for i, r in enumerate(results) if r.error is None)]
    judged = judgements_of(attempt)
    assert {j.outcome.code: j.verdict for j in judged} == winner
    assert len(judged) == 2
    assert pool_sequences(assessor) == [(attempt.id, 1), (attempt.id, 2)]
    assert (marking.state, marking.version) == (MarkingState.FINALISED, 2)
    finalised = select(func.count()).where(AuditEvent.action == "marking.finalised")
    assert db.session.scalar(finalised) == 1


@pytest.mark.parametrize("round_", range(3))
def test_two_draft_saves_of_one_form_version_save_once(
    app: Flask, learner: User, assessor: User, round_: int
) -> None:
    """The version, not only the state, keeps two tabs' drafts from overwriting each other."""
    attempt = submit_summative(learner)
    marking = opened(assessor, attempt)
    tabs = [{LO1: C, LO2: NYC}, {LO1: NYC, LO2: C}]

    results = race(app, *(saver(marking.id, verdicts) for verdicts in tabs))

    assert errors(results) == [StaleMarking]
    winner = tabs[next(i for i, r in enumerate(results) if r.error is None)]
    assert {j.outcome.code: j.verdict for j in judgements_of(attempt)} == winner
    assert (marking.state, marking.version) == (MarkingState.DRAFT, 2)


@pytest.mark.parametrize("pool_exists", [False, True], ids=["new-pool", "existing-pool"])
def test_one_assessors_finalisations_at_once_are_numbered_one_after_another(
    app: Flask, world: QuizWorld, make_user: UserFactory, assessor: User, pool_exists: bool
) -> None:
    """Two of the assessor's markings finalised together: one pool, places without gaps or
    repeats, each marking's judgements next to each other."""
    if pool_exists:
        finalise(assessor, submit_summative(learners(world, make_user, 1)[0]), {LO1: C, LO2: C})
    start = 3 if pool_exists else 1
    attempts = [submit_summative(person) for person in learners(world, make_user, 2)]
    markings = [opened(assessor, attempt) for attempt in attempts]

    late = NOW + timedelta(minutes=5)
    results = race(app, *(finaliser(m.id, {LO1: C, LO2: NYC}, at=late) for m in markings))

    assert errors(results) == []
    places = pool_sequences(assessor)[start - 1 :]
    assert [sequence for _, sequence in places] == list(range(start, start + 4))
    by_attempt = [attempt_id for attempt_id, _ in places]
    assert sorted(by_attempt) == sorted(a.id for a in attempts for _ in range(2))
    assert by_attempt[0] == by_attempt[1] and by_attempt[2] == by_attempt[3]
    pools = db.session.scalars(select(ModerationPool)).all()
    assert [(p.assessor_id, p.judged) for p in pools] == [(assessor.id, start + 3)]


def reviewer(moderator_id: int, judgement_id: int, verdict: ReviewVerdict) -> Contender:
    """A moderator's "Confirm" or "Overturn" on a judgement page loaded before the other's."""

    def prepare() -> Callable[[], object]:
        moderator = loaded(User, moderator_id)
        judgement = loaded(OutcomeJudgement, judgement_id)
        return lambda: moderation.review(
            judgement,  # type: ignore[arg-type]
            moderator,  # type: ignore[arg-type]
            verdict,
            "Checked against the guide.",
            now=NOW,
        )

    return prepare


@pytest.mark.parametrize("round_", range(3))
def test_two_moderators_checking_one_judgement_at_once_record_one_review(
    app: Flask, learner: User, assessor: User, make_user: UserFactory, round_: int
) -> None:
    """One confirms while the other overturns: one review stands, the other is refused."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: C})
    judgement = judgements_of(attempt)[0]
    first, second = (
        user_with_roles(make_user, Role.MODERATOR, full_name=name) for name in ("Ann", "Ben")
    )
    verdicts = [ReviewVerdict.CONFIRMED, ReviewVerdict.OVERTURNED]

    results = race(
        app,
        *(reviewer(m.id, judgement.id, v) for m, v in zip((first, second), verdicts, strict=True)),
    )

    assert errors(results) == [MarkingError]
    db.session.expire_all()
    reviews = db.session.scalars(select(ModerationReview)).all()
    assert len(reviews) == 1
    winner = reviews[0].verdict
    expected = (
        JudgementStatus.FINAL if winner is ReviewVerdict.CONFIRMED else JudgementStatus.OVERTURNED
    )
    assert db.session.get(OutcomeJudgement, judgement.id).status is expected  # type: ignore[union-attr]
