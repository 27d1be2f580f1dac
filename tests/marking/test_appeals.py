"""Appeals against a final Not Yet Competent, with time passed in: lodged by the learner within
APPEAL_DAYS of the release, once, with a reason; decided once by a moderator who did not make
the judgement; upheld (a new Competent) or dismissed; every step audited and on the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

import pytest
from flask import Flask
from sqlalchemy import select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import appeals, judging
from lms.marking.models import Appeal, AppealStatus, JudgementStatus, OutcomeJudgement
from tests.conftest import UserFactory
from tests.marking.marking_steps import NOW, NYC, C, finalise, new_learner, submit_summative
from tests.marking.steps_marking import (
    DAY,
    HOUR,
    LO1,
    LO2,
    assign_to_a1,
    audit_trail,
    confirm_sample,
    judgement_on,
    mark_final,
    notes_for,
    queued,
    record_of,
    refused,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    statuses,
    user_with_roles,
)
from tests.quiz_files import QuizWorld

RELEASED = NOW + HOUR  # when mark_final's moderator confirms, releasing the decision
WHY = "My answer names the ACD in its second sentence."
DECIDED = "The answer does name the ACD and says what it does."
SECOND = timedelta(seconds=1)


@pytest.fixture(name="nyc")
def final_not_yet_competent(
    learner: User, assessor: User, moderator: User, in_request: None
) -> OutcomeJudgement:
    """The learner's LO2 judged Not Yet Competent (LO1 Competent), confirmed and released."""
    attempt = submit_summative(learner)
    mark_final(assessor, moderator, attempt, {LO1: C, LO2: NYC})
    judgement = judgement_on(attempt, LO2)
    assert (judgement.status, judgement.released_at) == (JudgementStatus.FINAL, RELEASED)
    return judgement


def lodge(nyc: OutcomeJudgement, learner: User, *, at: datetime = RELEASED + DAY) -> Appeal:
    """The learner appeals with WHY (a day after the release unless `at`); commit."""
    appeal = appeals.lodge(nyc, learner, WHY, now=at)
    db.session.commit()
    return appeal


def decide(appeal: Appeal, moderator: User, *, upheld: bool) -> OutcomeJudgement | None:
    """The moderator decides the appeal with DECIDED, on day three; commit."""
    replacement = appeals.decide(
        appeal, moderator, upheld=upheld, reason=DECIDED, now=NOW + 3 * DAY
    )
    db.session.commit()
    return replacement


def lodging(
    nyc: OutcomeJudgement, who: User, *, at: datetime = RELEASED + DAY, reason: str = WHY
) -> Callable[[], Appeal]:
    """The appeal as a step for `refused`."""
    return lambda: appeals.lodge(nyc, who, reason, now=at)


# The window -----------------------------------------------------------------------------------


def test_an_appeal_is_allowed_on_the_last_day_of_the_window(
    learner: User, nyc: OutcomeJudgement
) -> None:
    """Ten days after the release, to the second, the appeal is still in time."""
    assert record_of(learner, now=RELEASED).outcomes[1].appeal_until == RELEASED + 10 * DAY
    appeal = lodge(nyc, learner, at=RELEASED + 10 * DAY)
    assert (appeal.status, appeal.lodged_at, appeal.reason) == (
        AppealStatus.OPEN,
        RELEASED + 10 * DAY,
        WHY,
    )
    assert statuses(record_of(learner))[LO2] == "under-appeal"


def test_an_appeal_after_the_window_is_refused(learner: User, nyc: OutcomeJudgement) -> None:
    """A second late is too late; the record no longer offers it."""
    late = RELEASED + 10 * DAY + SECOND
    refusal = refused(lodging(nyc, learner, at=late))
    assert str(refusal) == "Appeals close 10 days after the decision."
    assert record_of(learner, now=late).outcomes[1].appeal_until is None


def test_the_window_is_the_appeal_days_setting(
    app: Flask, learner: User, nyc: OutcomeJudgement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """APPEAL_DAYS 3: the last second of day three is in time, the next is not."""
    monkeypatch.setitem(app.config, "APPEAL_DAYS", 3)
    refused(lodging(nyc, learner, at=RELEASED + 3 * DAY + SECOND))
    assert lodge(nyc, learner, at=RELEASED + 3 * DAY).status is AppealStatus.OPEN


# Who may appeal what --------------------------------------------------------------------------


def test_only_a_final_not_yet_competent_can_be_appealed(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Not an NYC still in the sample, nor a Competent."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    sampled = judgement_on(attempt, LO2)
    refusal = refused(lodging(sampled, learner, at=NOW + HOUR))
    assert str(refusal) == "Only a final Not Yet Competent can be appealed."
    confirm_sample(moderator, attempt)
    refused(lodging(judgement_on(attempt, LO1), learner))


def test_only_the_learner_assessed_can_appeal(
    world: QuizWorld, make_user: UserFactory, nyc: OutcomeJudgement
) -> None:
    """Another learner cannot appeal someone else's judgement."""
    refusal = refused(lodging(nyc, new_learner(world, make_user)))
    assert str(refusal) == "Only the learner assessed can appeal."


def test_a_judgement_is_appealed_once(learner: User, nyc: OutcomeJudgement) -> None:
    """A second appeal on the same judgement is refused while the first stands."""
    lodge(nyc, learner)
    refusal = refused(lodging(nyc, learner, at=RELEASED + 2 * DAY))
    assert str(refusal) == "This judgement has already been appealed."


@pytest.mark.parametrize("reason", ["", "  \n ", "x" * 4001], ids=["empty", "blank", "4001"])
def test_an_appeal_needs_a_reason_of_at_most_4000_characters(
    learner: User, nyc: OutcomeJudgement, reason: str
) -> None:
    """No reason, only spaces, or one character too many: refused at the reason field."""
    assert refused(lodging(nyc, learner, reason=reason)).field == "reason"


def test_a_reason_of_4000_characters_is_accepted(learner: User, nyc: OutcomeJudgement) -> None:
    """The limit itself is allowed (lodged at the moment of release, the window's start)."""
    appeals.lodge(nyc, learner, "x" * 4000, now=RELEASED)
    db.session.commit()
    assert appeals.appeal_of(nyc) is not None


def test_an_appeal_never_reaches_the_original_assessor(
    learner: User, moderator: User, make_user: UserFactory, in_request: None
) -> None:
    """One user both assessor and moderator: their own judgement's appeal goes to another."""
    both = user_with_roles(make_user, Role.ASSESSOR, Role.MODERATOR, full_name="Ayesha Khan")
    attempt = submit_summative(learner)
    mark_final(assign_to_a1(both), moderator, attempt, {LO1: C, LO2: NYC})
    appeal = lodge(judgement_on(attempt, LO2), learner)

    assert list(db.session.scalars(appeals.open_appeals_query(both))) == []
    assert (appeals.open_appeal_count(both), appeals.appeal_for_moderator(both, appeal.id)) == (
        0,
        None,
    )
    assert [a.id for a in db.session.scalars(appeals.open_appeals_query(moderator))] == [appeal.id]
    assert appeals.appeal_for_moderator(moderator, appeal.id) is appeal
    refused(lambda: appeals.decide(appeal, both, upheld=True, reason=DECIDED, now=NOW))


# Deciding -------------------------------------------------------------------------------------


def test_an_upheld_appeal_makes_the_outcome_competent(
    learner: User, moderator: User, nyc: OutcomeJudgement
) -> None:
    """The NYC is superseded by a new final Competent from the appeal; the attempt passes."""
    replacement = decide(lodge(nyc, learner), moderator, upheld=True)
    db.session.expire_all()
    assert nyc.status is JudgementStatus.SUPERSEDED
    assert replacement is not None
    assert (replacement.status, replacement.verdict, replacement.from_appeal) == (
        JudgementStatus.FINAL,
        C,
        True,
    )
    assert (replacement.assessor_id, replacement.comment) == (moderator.id, DECIDED)
    assert (replacement.attempt_id, replacement.released_at) == (nyc.attempt_id, NOW + 3 * DAY)
    assert nyc.attempt.passed is True
    record = record_of(learner)
    assert statuses(record) == {LO1: "competent", LO2: "competent"}
    assert record.outcomes[1].decision is replacement and record.all_competent
    assert notes_for(learner)[-1].subject == "A1-LO2: your appeal was upheld"


def test_a_dismissed_appeal_leaves_the_not_yet_competent(
    learner: User, moderator: User, nyc: OutcomeJudgement
) -> None:
    """Dismissed with a reason: the NYC stands, the attempt is still not passed, no new row."""
    appeal = lodge(nyc, learner)
    assert decide(appeal, moderator, upheld=False) is None
    db.session.expire_all()
    assert (appeal.status, appeal.moderator_id, appeal.decision_reason) == (
        AppealStatus.DISMISSED,
        moderator.id,
        DECIDED,
    )
    assert (nyc.status, nyc.verdict, nyc.attempt.passed) == (JudgementStatus.FINAL, NYC, False)
    record = record_of(learner)
    assert statuses(record)[LO2] == "not-yet-competent"
    assert record.outcomes[1].appeal_until is None
    assert (
        db.session.scalars(select(OutcomeJudgement).where(OutcomeJudgement.from_appeal)).all() == []
    )


def test_an_appeal_is_decided_once_and_with_a_reason(
    learner: User, moderator: User, nyc: OutcomeJudgement
) -> None:
    """A decision without a reason is refused; after a decision, either second one is."""
    appeal = lodge(nyc, learner)
    refusal = refused(lambda: appeals.decide(appeal, moderator, upheld=True, reason=" ", now=NOW))
    assert refusal.field == "reason"
    decide(appeal, moderator, upheld=True)
    for upheld in (True, False):
        refusal = refused(
            partial(appeals.decide, appeal, moderator, upheld=upheld, reason=DECIDED, now=NOW)
        )
        assert str(refusal) == "This appeal was already decided; the page shows the decision."


@pytest.mark.parametrize(
    ("upheld", "steps"),
    [
        (True, ["Appeal lodged", "Appeal upheld", "Appeal upheld: Competent"]),
        (False, ["Appeal lodged", "Appeal dismissed"]),
    ],
    ids=["upheld", "dismissed"],
)
def test_every_step_is_audited_and_on_the_learners_record(
    learner: User, moderator: User, nyc: OutcomeJudgement, upheld: bool, steps: list[str]
) -> None:
    """The audit trail names who lodged and who decided; the learner's history shows both."""
    appeal = lodge(nyc, learner)
    decide(appeal, moderator, upheld=upheld)
    decision = "appeal.upheld" if upheld else "appeal.dismissed"
    assert audit_trail(appeal) == [("appeal.lodged", learner.id), (decision, moderator.id)]
    history = record_of(learner).outcomes[1].history
    assert [entry.what for entry in history] == ["Judged Not Yet Competent", *steps]
    assert [entry.detail for entry in history[1:3]] == [WHY, DECIDED]
    assert [entry.at for entry in history[1:3]] == [RELEASED + DAY, NOW + 3 * DAY]


def test_an_upheld_appeal_settles_a_resubmission_waiting_on_the_same_outcome(
    learner: User, assessor: User, moderator: User, nyc: OutcomeJudgement
) -> None:
    """The learner resubmitted and appealed; the appeal decides LO2, so the resubmission has
    nothing left to judge and leaves the queue, marked."""
    resubmission = submit_summative(learner, at=RELEASED + DAY)
    assert [o.code for o in judging.outcomes_to_judge(resubmission)] == [LO2]
    decide(lodge(nyc, learner), moderator, upheld=True)
    assert judging.outcomes_to_judge(resubmission) == []
    assert queued(assessor) == []
    assert (resubmission.state.value, resubmission.passed) == ("marked", True)
