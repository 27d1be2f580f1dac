"""Recertification: an expired module certificate enrols the learner in the module again.

The daily `lms certificates remind` opens one ModuleRestart per expired module certificate.
From then on the module's quiz attempts and outcome judgements from before the restart no
longer count (lms.assessments.services and lms.marking.record filter on it), so the learner
takes the knowledge check and the summative afresh, with fresh attempt allowances, and earns
the next cycle's certificate. Earlier attempts and the expired certificate stay on record.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from lms import audit
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.content.models import Module
from lms.extensions import db
from lms.learning.models import ModuleRestart
from lms.notifications import notify
from lms.urls import path_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Restart:
    """A recertification opened in this run."""

    code: str  # of the expired certificate
    email: str
    module: str  # the module's code


def open_restarts(*, now: datetime) -> list[Restart]:
    """Re-enrol the learner of every module certificate expired by `now`, once; the caller
    commits. A learner whose email fails is left for the next run."""
    opened = []
    for certificate in _expired_without_restart(now):
        try:
            with db.session.begin_nested():
                _restart(certificate, now=now)
        except IntegrityError:
            continue  # opened by another run a moment ago
        except (smtplib.SMTPException, OSError):
            log.exception("recertification of %s not opened: email failed", certificate.code)
            continue
        module = certificate.module
        assert module is not None
        opened.append(Restart(certificate.code, certificate.learner.email, module.code))
    return opened


def _expired_without_restart(now: datetime) -> list[Certificate]:
    """Expired, unrevoked module certificates of active learners that no later award replaced
    and no restart answers yet, in modules still taught."""
    later = aliased(Certificate)
    query = (
        select(Certificate)
        .join(Certificate.learner)
        .join(Module, Module.id == Certificate.module_id)
        .where(
            Certificate.expires_at <= now,
            Certificate.revoked_at.is_(None),
            User.active.is_(True),
            Module.retired_at.is_(None),
            ~exists().where(
                later.learner_id == Certificate.learner_id,
                later.subject_key == Certificate.subject_key,
                later.cycle > Certificate.cycle,
            ),
            ~exists().where(ModuleRestart.certificate_code == Certificate.code),
        )
        .options(joinedload(Certificate.learner), joinedload(Certificate.module))
        .order_by(Certificate.expires_at, Certificate.id)
    )
    return list(db.session.scalars(query))


def _restart(certificate: Certificate, *, now: datetime) -> ModuleRestart:
    module, learner = certificate.module, certificate.learner
    assert module is not None
    restart = ModuleRestart(
        learner_id=learner.id,
        module_id=module.id,
        restarted_at=now,
        reason=f"Certificate {certificate.code} expired",
        certificate_code=certificate.code,
    )
    db.session.add(restart)
    db.session.flush()  # a run racing this one stops here, on the unique code
    audit.record(
        "certificate.recertification-opened",
        actor=None,
        target=restart,
        details={"code": certificate.code, "module": module.code, "learner": learner.email},
    )
    notify(
        learner,
        f"Recertification: {module.title}",
        f"Your certificate for {certificate.subject_title} (code {certificate.code}) has "
        f"expired, so you are enrolled in {module.title} again. Take its knowledge check and "
        "assessment afresh to earn a new certificate; your earlier attempts stay on record.",
        link=path_for("learning.module", slug=module.slug),
    )
    return restart
