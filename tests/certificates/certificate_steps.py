"""Steps to a certificate in the marking world (module A1): a learner judged Competent on both
outcomes, each judgement confirmed by the moderator, so the issue rule fires.

Steps run in the test's session (the `app_context` fixture) and commit as a request would.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.marking import moderation
from lms.marking.models import JudgementStatus, OutcomeJudgement, ReviewVerdict
from tests.marking.marking_steps import NOW, C, finalise, submit_summative

__all__ = ["NOW", "certificates_of", "certified", "confirm_sample", "judged_competent"]


def judged_competent(learner: User, assessor: User, *, at: datetime = NOW) -> None:
    """Submit the summative and have both outcomes judged Competent (sampled: the first
    judgements of an assessor always are)."""
    attempt = submit_summative(learner, at=at)
    finalise(assessor, attempt, {"A1-LO1": C, "A1-LO2": C}, at=at)


def confirm_sample(learner: User, moderator: User, *, at: datetime = NOW) -> None:
    """The moderator confirms every judgement of the learner still in the sample."""
    db.session.expire_all()
    waiting = db.session.scalars(
        select(OutcomeJudgement).where(
            OutcomeJudgement.learner_id == learner.id,
            OutcomeJudgement.status == JudgementStatus.IN_SAMPLE,
        )
    )
    for judgement in list(waiting):
        moderation.review(judgement, moderator, ReviewVerdict.CONFIRMED, "", now=at)
    db.session.commit()


def certified(learner: User, assessor: User, moderator: User, *, at: datetime = NOW) -> Certificate:
    """All the way to the module certificate; returns it."""
    judged_competent(learner, assessor, at=at)
    confirm_sample(learner, moderator, at=at)
    found = certificates_of(learner)
    assert found, "the module certificate was not issued"
    return found[0]


def certificates_of(learner: User) -> list[Certificate]:
    db.session.expire_all()
    query = select(Certificate).where(Certificate.learner_id == learner.id).order_by(Certificate.id)
    return list(db.session.scalars(query))
