"""Certificate demo data: one of each state, earned the way a learner earns them.

Thandi Mokoena (the demo learner account) earns M1's certificate a few days ago and holds it
valid. Naledi Khoza earned M4's a little over a year ago: M4 certificates last 12 months, so
hers has expired. Sibusiso Zulu earned M1's, and HR revoked it. Each goes through the lessons,
the knowledge check, the summative essays, Priya Naidoo's judgements and Johan van Wyk's
moderation, so the certificates come from the issue rule itself. Loading is idempotent: once
any of these learners holds a certificate, nothing is added again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import revocation
from lms.certificates.demo_answers import NALEDI
from lms.certificates.models import Certificate
from lms.content.models import Module
from lms.extensions import db
from lms.marking.demo import ASSESSOR, MODERATOR, DemoLearner, DemoStory, demo_account
from lms.marking.demo_answers import AYANDA
from lms.marking.models import Verdict

HR = "hr@example.com"
C = Verdict.COMPETENT
REVOKE_REASON = (
    "Issued to the wrong account: the essays were submitted from a shared desk login. "
    "The learner will be reassessed under their own account."
)


@dataclass(frozen=True)
class CertificateStory:
    learner: DemoLearner
    module_code: str
    days_ago: int  # when the certificate was earned
    revoked_days_ago: int | None = None


CERTIFICATE_DEMO_LEARNERS = (
    CertificateStory(
        DemoLearner("learner@example.com", "Thandi Mokoena", AYANDA, "valid M1 certificate"),
        "M1",
        days_ago=3,
    ),
    CertificateStory(
        DemoLearner("naledi@example.com", "Naledi Khoza", NALEDI, "expired M4 certificate"),
        "M4",
        days_ago=380,
    ),
    CertificateStory(
        DemoLearner("sibusiso@example.com", "Sibusiso Zulu", AYANDA, "revoked M1 certificate"),
        "M1",
        days_ago=40,
        revoked_days_ago=12,
    ),
)


def load_certificate_demo(*, now: datetime) -> None:
    """Add the certificate demo's learners and their certificates; the caller commits.

    Needs the demo accounts, the shipped programme and the marking demo loaded.
    """
    if _already_loaded():
        return
    assessor, moderator = demo_account(ASSESSOR), demo_account(MODERATOR)
    for story in CERTIFICATE_DEMO_LEARNERS:
        module = db.session.scalar(select(Module).where(Module.code == story.module_code))
        if module is None:
            return
        earned_at = now - timedelta(days=story.days_ago)
        learner = _earn(DemoStory(module, assessor, moderator, earned_at), story.learner)
        if story.revoked_days_ago is not None:
            _revoke(learner, module, now - timedelta(days=story.revoked_days_ago))


def _earn(story: DemoStory, spec: DemoLearner) -> User:
    """Lessons and knowledge check a week before `story.now`, essays two days after, judged
    Competent four days later and confirmed by moderation at `story.now`: the rule issues then."""
    learner = story.ready(spec, story.ago(7))
    attempt = story.submit(learner, spec.essays.first, story.ago(5))
    verdicts = {outcome.code: (C, "") for outcome in story.module.current_outcomes}
    story.judge(attempt, verdicts, story.ago(1))
    story.confirm(attempt, story.now)
    return learner


def _revoke(learner: User, module: Module, at: datetime) -> None:
    certificate = db.session.scalar(
        select(Certificate).where(
            Certificate.learner_id == learner.id, Certificate.subject_key == module.code
        )
    )
    if certificate is not None:
        revocation.revoke(certificate, demo_account(HR), REVOKE_REASON, now=at)


def _already_loaded() -> bool:
    emails = [story.learner.email for story in CERTIFICATE_DEMO_LEARNERS]
    query = select(Certificate.id).join(Certificate.learner).where(User.email.in_(emails))
    return db.session.scalar(query.limit(1)) is not None
