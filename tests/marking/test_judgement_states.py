"""A judgement's life (draft → in sample or final; confirmed → final; overturned → judged again)
and its attempt's (awaiting marking → marked, passed only when every outcome is Competent),
with what the learner sees at each step, who may act, and the audit trail and messages."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import select

from lms.assessments.models import AttemptState
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import marking_queue, moderation, services
from lms.marking.marking_queue import QueueFilter
from lms.marking.models import (
    JudgementStatus,
    MarkingState,
    ModerationReview,
    SampleRule,
)
from lms.marking.sampling import SamplingRules, check_pool
from lms.marking.services import (
    StaleMarking,
)
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
from tests.marking.steps_marking import (
    CONFIRMED,
    DAY,
    HOUR,
    LO1,
    LO2,
    OVERTURNED,
    REASON,
    assign_to_a1,
    audit_trail,
    confirm_sample,
    emails_in,
    judgement_on,
    notes_for,
    record_of,
    refused,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    review,
    sampling_switched_off,  # noqa: F401 - the `no_sampling` fixture
    statuses,
    user_with_roles,
)

# Draft, sample, final ---------------------------------------------------------------------------


def test_a_draft_keeps_its_verdicts_and_releases_nothing(
    learner: User, assessor: User, outbox: Path
) -> None:
    """Saved judgements stay drafts: unnumbered, unseen by the learner, nobody told; finalising
    turns the same rows into decisions."""
    attempt = submit_summative(learner)
    marking = services.open_marking(assessor, attempt, now=NOW)
    services.save_draft(marking, assessor, judgements_input(marking, {LO1: C, LO2: NYC}), now=NOW)
    db.session.commit()

    assert [(j.status, j.verdict, j.sequence) for j in judgements_of(attempt)] == [
        (JudgementStatus.DRAFT, C, None),
        (JudgementStatus.DRAFT, NYC, None),
    ]
    assert (marking.state, marking.version, attempt.state) == (
        MarkingState.DRAFT,
        2,
        AttemptState.AWAITING_MARKING,
    )
    record = record_of(learner)
    assert set(statuses(record).values()) == {"awaiting-marking"}
    assert [o.history for o in record.outcomes] == [[], []]
    assert "marking.finalised" not in [action for action, _ in audit_trail(attempt)]
    assert (notes_for(learner), emails_in(outbox)) == ([], [])

    drafts = [j.id for j in judgements_of(attempt)]
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    assert [(j.id, j.status) for j in judgements_of(attempt)] == [
        (drafts[0], JudgementStatus.IN_SAMPLE),
        (drafts[1], JudgementStatus.IN_SAMPLE),
    ]


def test_sampled_judgements_are_hidden_from_the_learner(learner: User, assessor: User) -> None:
    """Under moderation, the learner sees neither verdict nor comment; staff see both."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})

    mine = record_of(learner)
    assert statuses(mine) == {LO1: "under-moderation", LO2: "under-moderation"}
    assert [(o.decision, o.history) for o in mine.outcomes] == [(None, []), (None, [])]
    staff = record_of(learner, as_learner=False)
    assert [entry.what for o in staff.outcomes for entry in o.history] == [
        "Judged Competent (sampled: one of the assessor's first judgements)",
        "Judged Not Yet Competent (sampled: every not yet competent judgement)",
    ]


def test_confirming_every_competent_marks_the_attempt_passed(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Both confirmed: final, released at the confirmation, the attempt marked and passed."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: C})
    confirm_sample(moderator, attempt, at=NOW + HOUR)

    assert [(j.status, j.released_at) for j in judgements_of(attempt)] == [
        (JudgementStatus.FINAL, NOW + HOUR)
    ] * 2
    assert (attempt.state, attempt.marked_at, attempt.passed) == (
        AttemptState.MARKED,
        NOW + HOUR,
        True,
    )
    assert record_of(learner).all_competent


def test_one_not_yet_competent_outcome_leaves_the_attempt_not_passed(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Marked, not passed; the learner reads the NYC and the assessor's comment."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    confirm_sample(moderator, attempt)

    assert (attempt.state, attempt.passed) == (AttemptState.MARKED, False)
    record = record_of(learner)
    assert statuses(record) == {LO1: "competent", LO2: "not-yet-competent"}
    assert record.outcomes[1].history[0].detail == "Name the ACD and say what it does."


def test_the_attempt_waits_for_its_last_sampled_judgement(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """One confirmed, one still in the sample: the attempt is not yet marked."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: C})
    review(LO1, attempt, moderator, CONFIRMED)

    assert (attempt.state, attempt.passed) == (AttemptState.AWAITING_MARKING, None)
    assert statuses(record_of(learner)) == {LO1: "competent", LO2: "under-moderation"}


def test_a_released_nyc_shows_while_another_outcome_is_moderated(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """The learner was told NYC; their record says so and offers the appeal from then."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    review(LO2, attempt, moderator, CONFIRMED)

    record = record_of(learner)
    assert statuses(record) == {LO1: "under-moderation", LO2: "not-yet-competent"}
    assert record.outcomes[1].appeal_until == NOW + HOUR + 10 * DAY


# Overturning --------------------------------------------------------------------------------


def test_an_overturn_sends_the_attempt_back_to_its_assessor(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Overturned: the marking is a draft again, in the queue, with the moderator's reason."""
    attempt = submit_summative(learner)
    marking = finalise(assessor, attempt, {LO1: C, LO2: C})
    assert marking_queue.queue_count(assessor) == 0
    review(LO1, attempt, moderator, OVERTURNED)

    db.session.expire_all()
    assert judgement_on(attempt, LO1).status is JudgementStatus.OVERTURNED
    assert (marking.state, marking.version) == (MarkingState.DRAFT, 3)
    queue = db.session.scalars(marking_queue.queue_query(assessor, QueueFilter(), now=NOW + DAY))
    assert [a.id for a in queue] == [attempt.id]
    assert marking_queue.queue_count(assessor) == 1
    note = notes_for(assessor)[-1]
    assert REASON in note.body
    assert note.link == url_for("marking.mark", attempt_id=attempt.id)
    record = record_of(learner)
    assert statuses(record)[LO1] == "awaiting-marking"
    assert record.outcomes[0].history == []


def test_rejudging_an_overturned_outcome_is_sampled_as_rejudged(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Only the overturned outcome is judged again, as a new row the moderator checks; a form
    opened before the overturn is stale."""
    attempt = submit_summative(learner)
    marking = finalise(assessor, attempt, {LO1: C, LO2: C})
    kept, old_form = judgement_on(attempt, LO2), judgements_input(marking, {LO1: NYC})
    review(LO1, attempt, moderator, OVERTURNED)
    refused(lambda: services.finalise(marking, assessor, old_form, now=NOW + DAY), StaleMarking)
    both = judgements_input(marking, {LO1: NYC, LO2: C})
    refusal = refused(lambda: services.finalise(marking, assessor, both, now=NOW + DAY))
    assert str(refusal) == "A1-LO2 is not an outcome to judge in this attempt."

    finalise(assessor, attempt, {LO1: NYC}, at=NOW + DAY)
    rows = [(j.outcome.code, j.status, j.sample_rule, j.sequence) for j in judgements_of(attempt)]
    assert rows == [
        (LO1, JudgementStatus.OVERTURNED, SampleRule.FIRST_JUDGEMENTS, 1),
        (LO2, JudgementStatus.IN_SAMPLE, SampleRule.FIRST_JUDGEMENTS, 2),
        (LO1, JudgementStatus.IN_SAMPLE, SampleRule.REJUDGED, 3),
    ]
    assert judgement_on(attempt, LO2).id == kept.id
    assert check_pool(kept.pool, SamplingRules()).mismatches == ()  # type: ignore[arg-type]
    confirm_sample(moderator, attempt, at=NOW + 2 * DAY)
    assert (attempt.state, attempt.passed) == (AttemptState.MARKED, False)


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_an_overturn_without_a_reason_changes_nothing(
    learner: User, assessor: User, moderator: User, reason: str
) -> None:
    """The assessor must be told why: an overturn without a reason is refused."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: C})
    lo1 = judgement_on(attempt, LO1)
    refusal = refused(lambda: moderation.review(lo1, moderator, OVERTURNED, reason, now=NOW))
    assert refusal.field == "reason"


def test_a_moderator_never_checks_their_own_judgement(
    learner: User, moderator: User, make_user: UserFactory
) -> None:
    """One user both assessor and moderator: their judgement is another moderator's to check."""
    both = user_with_roles(make_user, Role.ASSESSOR, Role.MODERATOR, full_name="Ayesha Khan")
    attempt = submit_summative(learner)
    finalise(assign_to_a1(both), attempt, {LO1: C, LO2: C})
    own = judgement_on(attempt, LO1)

    assert list(db.session.scalars(moderation.sample_query(both))) == []
    assert moderation.sampled_judgement(both, own.id) is None
    assert moderation.sample_count(moderator) == 2
    refusal = refused(lambda: moderation.review(own, both, CONFIRMED, "", now=NOW))
    assert "their own judgement" in str(refusal)


def test_a_judgement_is_checked_once(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """A second check, either way, is refused; one review row stays."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    review(LO1, attempt, moderator, CONFIRMED)
    lo1 = judgement_on(attempt, LO1)
    for verdict in (CONFIRMED, OVERTURNED):
        refusal = refused(partial(moderation.review, lo1, moderator, verdict, REASON, now=NOW))
        assert "already checked" in str(refusal)
    assert len(db.session.scalars(select(ModerationReview)).all()) == 1


# Audit trail and messages ---------------------------------------------------------------------


def test_finalising_and_moderating_are_audited(
    learner: User, assessor: User, moderator: User, in_request: None
) -> None:
    """Each decision is an audit event naming its actor, its object and what was decided."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    review(LO1, attempt, moderator, CONFIRMED)
    review(LO2, attempt, moderator, OVERTURNED)

    assert ("marking.finalised", assessor.id) in audit_trail(attempt)
    assert audit_trail(judgement_on(attempt, LO1)) == [("moderation.confirmed", moderator.id)]
    assert audit_trail(judgement_on(attempt, LO2)) == [("moderation.overturned", moderator.id)]
    events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert events["marking.finalised"].details["judgements"] == {
        LO1: {"verdict": "competent", "sampled": "first-judgements"},
        LO2: {"verdict": "not_yet_competent", "sampled": "not-yet-competent"},
    }
    assert events["moderation.overturned"].details == {"outcome": LO2, "reason": REASON}


def test_the_learner_is_told_when_results_are_released(
    learner: User, assessor: User, moderator: User, in_request: None, outbox: Path
) -> None:
    """Nothing while sampled; a note and an email with each confirmation, linking the record."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    assert (notes_for(learner), emails_in(outbox)) == ([], [])

    review(LO1, attempt, moderator, CONFIRMED)
    review(LO2, attempt, moderator, CONFIRMED)
    first, second = notes_for(learner)
    assert first.subject == second.subject == "A1: your assessment results"
    assert "A1-LO1: Competent" in first.body and "still checking" in first.body
    assert "A1-LO2: Not Yet Competent" in second.body and "still checking" not in second.body
    assert first.link and "alpha" in first.link
    mails = emails_in(outbox)
    assert len(mails) == 2
    assert all(f"To: {learner.email}" in mail for mail in mails)
    assert f"http://localhost{first.link}" in mails[0]


def test_unsampled_results_are_released_at_once(
    learner: User, assessor: User, in_request: None, no_sampling: None
) -> None:
    """Sampling off: finalising marks the attempt and tells the learner in the same step (and,
    every outcome being Competent, of the certificates it earned)."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: C})
    assert [j.status for j in judgements_of(attempt)] == [JudgementStatus.FINAL] * 2
    assert (attempt.state, attempt.passed) == (AttemptState.MARKED, True)
    subjects = [n.subject for n in notes_for(learner)]
    assert "A1: your assessment results" in subjects
    assert [s for s in subjects if not s.startswith("Your certificate")] == [
        "A1: your assessment results"
    ]


# Refused finalisations ----------------------------------------------------------------------
