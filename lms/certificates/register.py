"""The certificate register HR keeps: every certificate ever issued, revoked ones included,
narrowed by status, subject, dates and learner, for the page, the CSV export and the ZIP.

Status is decided in SQL from the same facts as `Certificate.status`, so a page of "valid"
certificates is a page of valid ones, not a page with the others filtered out afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import contains_eager

from lms.auth.models import User
from lms.certificates.codes import normalise_code
from lms.certificates.models import PROGRAMME, Certificate, CertificateStatus
from lms.cohorts.models import Cohort, Membership
from lms.content.models import Module
from lms.extensions import db
from lms.spreadsheets import Cell

EXPORT_COLUMNS = (
    "code",
    "learner",
    "email",
    "subject",
    "issued",
    "expires",
    "status",
    "revoked_at",
)


@dataclass(frozen=True)
class RegisterFilter:
    """What the register is narrowed to; dates are UTC bounds, `*_from` inclusive and
    `*_before` exclusive."""

    status: CertificateStatus | None = None
    subject: str | None = None  # a module code or PROGRAMME
    cohort_id: int | None = None  # learners who are or were in this cohort
    issued_from: datetime | None = None
    issued_before: datetime | None = None
    expires_from: datetime | None = None
    expires_before: datetime | None = None
    search: str | None = None  # part of the learner's printed name or email

    def described(self) -> dict[str, str]:
        """The criteria that are set, as text, for the audit trail."""
        return {name: str(value) for name, value in asdict(self).items() if value is not None}


def status_condition(status: CertificateStatus, now: datetime) -> ColumnElement[bool]:
    """SQL for "has this status at `now`", matching `Certificate.status`."""
    if status is CertificateStatus.REVOKED:
        return Certificate.revoked_at.is_not(None)
    not_revoked = Certificate.revoked_at.is_(None)
    if status is CertificateStatus.EXPIRED:
        return and_(not_revoked, Certificate.expires_at.is_not(None), Certificate.expires_at <= now)
    return and_(not_revoked, or_(Certificate.expires_at.is_(None), Certificate.expires_at > now))


def register_query(criteria: RegisterFilter, *, now: datetime) -> Select[Certificate]:
    """Matching certificates with their learners, newest first."""
    return _listing(_conditions(criteria, now))


def chosen_query(codes: Iterable[str]) -> Select[Certificate]:
    """The certificates with these codes (as typed or printed), newest first."""
    normalised = {code for code in map(normalise_code, codes) if code is not None}
    return _listing([Certificate.code.in_(normalised)])


def totals(query: Select[Certificate]) -> tuple[int, int]:
    """How many certificates a register query finds, and the bytes of their stored PDFs."""
    found = query.order_by(None).options().subquery()
    count_and_size = select(func.count(), func.coalesce(func.sum(found.c.pdf_size), 0))
    count, size = db.session.execute(count_and_size).one()
    return int(count), int(size)


def subject_choices() -> list[tuple[str, str]]:
    """Every subject a certificate can be for: the programme, then each module in order."""
    modules = db.session.scalars(select(Module).order_by(Module.position, Module.code))
    return [(PROGRAMME, "Whole programme"), *((m.code, f"{m.code} {m.title}") for m in modules)]


def cohort_choices() -> list[tuple[str, str]]:
    """Every cohort, newest start first, as filter choices."""
    cohorts = db.session.execute(
        select(Cohort.id, Cohort.name).order_by(Cohort.start_date.desc(), Cohort.name)
    )
    return [(str(cohort_id), name) for cohort_id, name in cohorts]


def subject_label(certificate: Certificate) -> str:
    """The subject as the register shows it: "A1 Title", or the programme's printed title."""
    if certificate.is_programme:
        return certificate.subject_title
    return f"{certificate.subject_key} {certificate.subject_title}"


def export_rows(query: Select[Certificate], *, now: datetime, zone: tzinfo) -> Iterator[list[Cell]]:
    """One row per certificate in EXPORT_COLUMNS order, fetched in batches as they are sent."""
    for certificate in db.session.scalars(query.execution_options(yield_per=500)):
        yield [
            certificate.code,
            certificate.learner_name,
            certificate.learner.email,
            subject_label(certificate),
            _local(certificate.issued_at, zone),
            _local(certificate.expires_at, zone),
            certificate.status(now).value,
            _local(certificate.revoked_at, zone),
        ]


def _listing(conditions: list[ColumnElement[bool]]) -> Select[Certificate]:
    return (
        select(Certificate)
        .join(Certificate.learner)
        .options(contains_eager(Certificate.learner))
        .where(*conditions)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )


def _conditions(criteria: RegisterFilter, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.status is not None:
        conditions.append(status_condition(criteria.status, now))
    if criteria.subject:
        conditions.append(Certificate.subject_key == criteria.subject)
    if criteria.cohort_id is not None:
        members = select(Membership.user_id).where(Membership.cohort_id == criteria.cohort_id)
        conditions.append(Certificate.learner_id.in_(members))
    bounds: list[tuple[Any, datetime | None, datetime | None]] = [
        (Certificate.issued_at, criteria.issued_from, criteria.issued_before),
        (Certificate.expires_at, criteria.expires_from, criteria.expires_before),
    ]
    for column, start, end in bounds:
        if start is not None:
            conditions.append(column >= start)
        if end is not None:
            conditions.append(column < end)
    if criteria.search:
        term = criteria.search.strip().lower()
        conditions.append(
            or_(
                func.lower(Certificate.learner_name).contains(term, autoescape=True),
                func.lower(User.email).contains(term, autoescape=True),
            )
        )
    return conditions


def _local(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="minutes") if moment else ""
