"""The issue rule: who has earned which certificate, and issuing it once.

A module certificate is earned when the module's knowledge check is passed and every outcome
is Competent and final (confirmed by moderation where sampled). The programme certificate is
earned when every module of the programme is. The rule runs whenever an attempt's decisions
settle (marking's `attempt_settled` signal) and from `lms certificates issue`; running it again
issues nothing new, because a certificate is unique per learner, subject and cycle.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.assessments.models import Attempt
from lms.assessments.services import knowledge_check_passed
from lms.auth.models import User
from lms.certificates import storage
from lms.certificates.codes import new_code
from lms.certificates.models import PROGRAMME, Certificate
from lms.certificates.rendering import certificate_values, render_certificate
from lms.content.models import Module
from lms.extensions import db
from lms.learning.models import restart_count
from lms.marking.record import module_record
from lms.notifications import notify
from lms.pdf import PdfUnavailable
from lms.urls import external_url, path_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Earned:
    """What a certificate will say: one module's outcomes and who judged them."""

    module: Module
    outcomes: list[dict[str, str]]  # [{"code", "statement"}]
    assessors: list[str]


def programme_modules() -> list[Module]:
    query = select(Module).where(Module.retired_at.is_(None)).order_by(Module.position)
    return list(db.session.scalars(query))


def current_cycle(learner: User, module: Module | None) -> int:
    """Which award of the subject the learner is working towards: 1, then one more for each
    recertification of an expired module."""
    return 1 if module is None else 1 + restart_count(learner.id, module.id)


def earned(learner: User, module: Module, *, now: datetime) -> Earned | None:
    """The module's achievements if the learner has met the rule, else None."""
    if not knowledge_check_passed(learner, module.id):
        return None
    record = module_record(learner, module, as_learner=False, now=now)
    if not record.all_competent:
        return None
    outcomes = [{"code": o.outcome.code, "statement": o.outcome.statement} for o in record.outcomes]
    names = [o.decision.assessor.full_name for o in record.outcomes if o.decision is not None]
    return Earned(module, outcomes, sorted(set(names)))


def issue_due(learner: User, *, now: datetime) -> list[Certificate]:
    """Issue every certificate the learner has earned and not yet received; return them.

    Each is added in its own savepoint of the caller's transaction: a certificate that another
    request issued a moment earlier is skipped, and the caller's own work is kept.
    """
    issued = []
    achieved: list[Earned] = []
    for module in programme_modules():
        achievement = earned(learner, module, now=now)
        if achievement is None:
            continue
        achieved.append(achievement)
        if not _holds(learner, module.code, current_cycle(learner, module)):
            certificate = _issue(learner, module.code, [achievement], now=now, module=module)
            if certificate is not None:
                issued.append(certificate)
    modules = programme_modules()
    if modules and len(achieved) == len(modules) and not _holds(learner, PROGRAMME, 1):
        certificate = _issue(learner, PROGRAMME, achieved, now=now)
        if certificate is not None:
            issued.append(certificate)
    return issued


def issue_everywhere(*, now: datetime) -> int:
    """Run the rule for every learner with a marked attempt (`lms certificates issue`)."""
    learners = db.session.scalars(
        select(User).where(exists().where(Attempt.user_id == User.id)).order_by(User.id)
    )
    return sum(len(issue_due(learner, now=now)) for learner in list(learners))


def on_attempt_settled(attempt: Attempt, *, now: datetime) -> None:
    """Marking's signal: the attempt's decisions changed, so the learner may have earned one."""
    try:
        issue_due(attempt.user, now=now)
    except PdfUnavailable:
        # Marking must not fail for want of Pango; `lms certificates issue` catches up later.
        log.warning("certificate not issued: PDF rendering is unavailable on this server")


def _holds(learner: User, subject_key: str, cycle: int) -> bool:
    query = select(Certificate.id).where(
        Certificate.learner_id == learner.id,
        Certificate.subject_key == subject_key,
        Certificate.cycle == cycle,
    )
    return db.session.scalar(query) is not None


def _issue(
    learner: User,
    subject_key: str,
    achieved: list[Earned],
    *,
    now: datetime,
    module: Module | None = None,
) -> Certificate | None:
    certificate = Certificate(
        code=_unused_code(),
        learner_id=learner.id,
        module_id=module.id if module else None,
        subject_key=subject_key,
        cycle=current_cycle(learner, module),
        learner_name=learner.full_name,
        subject_title=module.title if module else current_app.config["PROGRAMME_TITLE"],
        achievements=[_achievement(a) for a in achieved],
        assessor_names=", ".join(sorted({n for a in achieved for n in a.assessors})),
        issued_at=now,
        expires_at=storage.expiry(now, _valid_months(module)),
    )
    certificate.learner = learner
    pdf = render_certificate(certificate_values(certificate))
    certificate.pdf_name, certificate.pdf_sha256, certificate.pdf_size = storage.keep(
        certificate.code, pdf
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        storage.discard(certificate.pdf_name)
        return None  # issued by a concurrent request
    audit.record(
        "certificate.issued",
        actor=None,
        target=certificate,
        details={"code": certificate.code, "subject": subject_key, "learner": learner.email},
    )
    _tell_learner(learner, certificate)
    return certificate


def _achievement(earned: Earned) -> dict[str, Any]:
    return {"code": earned.module.code, "title": earned.module.title, "outcomes": earned.outcomes}


def _valid_months(module: Module | None) -> int | None:
    if module is not None:
        return module.certificate_valid_months
    months = current_app.config["PROGRAMME_CERTIFICATE_VALID_MONTHS"]
    return int(months) if months else None


def _unused_code() -> str:
    while True:
        code = new_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def _tell_learner(learner: User, certificate: Certificate) -> None:
    notify(
        learner,
        f"Your certificate: {certificate.subject_title}",
        f"Congratulations: you have earned the certificate for {certificate.subject_title}. "
        f"Its code is {certificate.code}; anyone can check it at "
        f"{external_url('verification.verify_code', code=certificate.code)}.",
        link=path_for("certificates.download", code=certificate.code),
    )
