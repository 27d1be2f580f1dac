"""Recertification: an expired module certificate enrols the learner in the module again, once;
earlier attempts and judgements stop counting, and passing again earns the next certificate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from lms.assessments.models import Attempt
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.certificates import issuing
from lms.certificates.models import PROGRAMME, CertificateStatus
from lms.certificates.recertification import open_restarts
from lms.extensions import db
from lms.learning.models import ModuleRestart
from lms.marking.record import module_competent
from lms.notifications import Notification
from tests.assessments.attempt_steps import right_answers, save, start, status_of, submit
from tests.certificates.certificate_steps import certificates_of, certified, confirm_sample
from tests.marking.marking_steps import C, as_user, finalise, module_a1, submit_summative

EXPIRES = datetime(2027, 12, 1, 9, 0, tzinfo=UTC)  # certified at NOW for 12 months
RESTARTED = EXPIRES + timedelta(hours=17)  # the next morning's run
AGAIN = RESTARTED + timedelta(days=3)


def certified_for_a_year(learner: User, assessor: User, moderator: User) -> str:
    """Certify the learner in A1 with a 12-month validity; return the certificate's code."""
    module_a1().certificate_valid_months = 12
    db.session.commit()
    return certified(learner, assessor, moderator).code


def restart_once(now: datetime) -> list[str]:
    opened = open_restarts(now=now)
    db.session.commit()
    return [restart.code for restart in opened]


def restarts_of(learner: User) -> list[ModuleRestart]:
    db.session.expire_all()
    query = select(ModuleRestart).where(ModuleRestart.learner_id == learner.id)
    return list(db.session.scalars(query))


def test_an_expired_module_certificate_opens_one_restart(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Before expiry nothing happens; after it one restart, audited and told; never a second."""
    code = certified_for_a_year(learner, assessor, moderator)

    assert restart_once(EXPIRES - timedelta(minutes=1)) == []
    assert restart_once(RESTARTED) == [code]
    assert restart_once(RESTARTED + timedelta(days=1)) == []

    [restart] = restarts_of(learner)
    assert (restart.module_id, restart.certificate_code) == (module_a1().id, code)
    assert restart.restarted_at == RESTARTED
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "certificate.recertification-opened")
    )
    assert event is not None and event.details["code"] == code
    note = db.session.scalar(
        select(Notification)
        .where(Notification.user_id == learner.id)
        .order_by(Notification.id.desc())
    )
    assert note is not None and note.subject == "Recertification: A module"


def test_after_the_restart_the_knowledge_check_opens_again_with_fresh_attempts(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Earlier attempts stay stored but no longer count: the check can be started, the
    summative waits for it, and the old judgements no longer make the module Competent."""
    certified_for_a_year(learner, assessor, moderator)
    stored = db.session.scalar(select(func.count()).where(Attempt.user_id == learner.id))
    restart_once(RESTARTED)

    check = status_of(learner)
    assert check.attempts == () and check.can_start and not check.passed
    summative = status_of(learner, "summative")
    assert summative.blocked_by == "Pass the module's knowledge check first."
    assert not module_competent(learner, module_a1(), now=AGAIN)
    assert issuing.issue_due(learner, now=AGAIN) == []
    assert db.session.scalar(select(func.count()).where(Attempt.user_id == learner.id)) == stored


def test_passing_again_issues_a_second_certificate_and_keeps_the_first_as_expired(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Knowledge check and Competent judgements after the restart issue cycle 2 with a new
    code; the first stays in the register, expired; the programme's is not issued twice."""
    first_code = certified_for_a_year(learner, assessor, moderator)
    restart_once(RESTARTED)

    attempt = start(learner, at=AGAIN)
    save(attempt, right_answers(attempt), at=AGAIN)
    submit(attempt, at=AGAIN)
    assert attempt.passed is True and attempt.number == 2
    finalise(assessor, submit_summative(learner, at=AGAIN), {"A1-LO1": C, "A1-LO2": C}, at=AGAIN)
    confirm_sample(learner, moderator, at=AGAIN)

    first, programme, second = certificates_of(learner)
    assert (first.code, first.cycle, second.subject_key, second.cycle) == (first_code, 1, "A1", 2)
    assert second.code != first_code
    assert first.status(AGAIN) is CertificateStatus.EXPIRED
    assert second.status(AGAIN) is CertificateStatus.VALID
    assert second.issued_at == AGAIN and second.expires_at == AGAIN.replace(year=2028)
    assert (programme.subject_key, programme.cycle) == (PROGRAMME, 1)
    assert restart_once(AGAIN + timedelta(days=1)) == []  # the replaced one opens nothing


def test_a_revoked_certificate_opens_no_restart(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Revocation is a staff decision; expiry of a revoked certificate re-enrols nobody."""
    certified_for_a_year(learner, assessor, moderator)
    certificates_of(learner)[0].revoked_at = EXPIRES - timedelta(days=10)
    db.session.commit()

    assert restart_once(RESTARTED) == []
    assert restarts_of(learner) == []


def test_the_module_page_says_why_its_assessments_opened_again(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certified_for_a_year(learner, assessor, moderator)
    before = as_user(app, learner).get("/learn/alpha").get_data(as_text=True)
    restart_once(RESTARTED)

    page = as_user(app, learner).get("/learn/alpha").get_data(as_text=True)

    assert "Recertification" not in before
    assert "Recertification" in page
    assert "Your certificate for this module has expired" in page
    assert "2 December 2027" in page  # the morning run, in Johannesburg time
