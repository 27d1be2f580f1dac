"""Enrolling people in a cohort: one from a form, or a whole intake from a checked CSV file.

An unknown email gets an account with no password and a welcome email with a link to choose
one; a known learner is told on their dashboard. Mail goes only after the enrolment is
committed: the caller commits, then calls `send_welcomes` and `tell_enrolled`, so nobody is
welcomed into a cohort that a failed transaction left them out of.

An import is one transaction of bulk inserts (accounts, roles, memberships and their audit
events, a few statements per 500 learners) rather than one `enrol` per row: the same records
`invite_user` and `services.enrol` make, at a speed that suits an intake of 10,000.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, render_template, request
from sqlalchemy import insert, select, update

from lms import audit
from lms.audit import AuditEvent
from lms.auth.models import PasswordResetToken, User, UserRole, new_session_token
from lms.auth.passwords import NO_PASSWORD_YET
from lms.auth.roles import Role
from lms.auth.services import (
    find_user_by_email,
    invite_user,
    reset_token_digest,
    start_password_reset,
)
from lms.cohorts import services
from lms.cohorts.models import Cohort, Membership
from lms.cohorts.roster import Person, Plan, chunks
from lms.cohorts.services import CohortError
from lms.extensions import db
from lms.mail import send_many
from lms.notifications import notify
from lms.urls import external_url, path_for

log = logging.getLogger(__name__)

# More new accounts than this and the welcomes go from a thread (send_welcomes_in_background).
WELCOME_INLINE_LIMIT = 200
WELCOME_THREAD = "cohort-welcome-emails"


@dataclass(frozen=True)
class Welcome:
    """A new account's set-password link, to email once the enrolment is committed."""

    email: str
    full_name: str
    token: str


@dataclass
class Enrolled:
    """Whom an enrolment reached: new accounts to welcome, existing learners to tell."""

    welcomes: list[Welcome] = field(default_factory=list)
    existing_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.welcomes) + len(self.existing_ids)


# --- One learner ------------------------------------------------------------------------------


def enrol_person(cohort: Cohort, person: Person, *, actor: User, now: datetime) -> Enrolled:
    """Enrol one person, creating their account (learner role, no password) if the email is
    unknown; raises CohortError, naming the field, when they cannot be enrolled."""
    number = person.employee_number or None
    user = find_user_by_email(person.email)
    if user is None:
        _number_is_free(number)
        user = invite_user(
            email=person.email,
            full_name=person.full_name,
            roles=[Role.LEARNER],
            actor=actor,
            employee_number=number,
        )
        services.enrol(cohort, user, actor=actor, now=now)
        return Enrolled(welcomes=[_welcome(user, now)])
    if not user.active:
        raise CohortError(f"The account {user.email} is deactivated.", "email")
    services.enrol(cohort, user, actor=actor, now=now)
    if number and user.employee_number != number:
        if user.employee_number:
            raise CohortError(
                f"{user.email} has employee number {user.employee_number}.", "employee_number"
            )
        _number_is_free(number)
        user.employee_number = number
        audit.record(
            "user.updated", actor=actor, target=user, details={"employee_number": [None, number]}
        )
    return Enrolled(existing_ids=[user.id])


def _number_is_free(number: str | None) -> None:
    if number and db.session.scalar(select(User.id).where(User.employee_number == number)):
        raise CohortError(f"{number} belongs to another account.", "employee_number")


def _welcome(user: User, now: datetime) -> Welcome:
    days = int(current_app.config["WELCOME_LINK_DAYS"])
    started = start_password_reset(user.email, valid_for=timedelta(days=days), now=now)
    assert started is not None  # the account was just made, active
    return Welcome(user.email, user.full_name, started[1])


# --- A checked file ---------------------------------------------------------------------------


def import_plan(cohort: Cohort, plan: Plan, *, actor: User, now: datetime) -> Enrolled:
    """Import a checked file (`roster.check_roster` found no problem) into the cohort: new
    accounts, memberships, audit events and welcome links, in the caller's transaction."""
    if plan.problems:
        raise CohortError("The file has problems; nothing was imported.")
    new_ids = _insert_accounts(plan.new, actor=actor, now=now)
    _record_numbers(plan, actor=actor, now=now)
    learners = [(person.email, new_ids[person.email]) for person in plan.new]
    learners += [(person.email, account.id) for person, account in plan.existing]
    _insert_memberships(cohort, learners, actor=actor, now=now)
    audit.record(
        "cohort.imported",
        actor=actor,
        target=cohort,
        details={
            "rows": len(plan.people),
            "new_accounts": len(plan.new),
            "existing_accounts": len(plan.existing),
            "already_in_cohort": len(plan.already),
        },
    )
    welcomes = _welcome_links(plan.new, new_ids, now=now)
    return Enrolled(welcomes=welcomes, existing_ids=[account.id for _, account in plan.existing])


def _insert_accounts(people: Sequence[Person], *, actor: User, now: datetime) -> dict[str, int]:
    """Accounts as `invite_user` makes them (learner role, no password), in bulk."""
    ids: dict[str, int] = {}
    statement = insert(User).returning(User.id, User.email, sort_by_parameter_order=True)
    for part in chunks(people):
        rows = [
            {
                "email": person.email,
                "full_name": person.full_name,
                "employee_number": person.employee_number,
                "password_hash": NO_PASSWORD_YET,
                "active": True,
                "session_token": new_session_token(),
                "created_at": now,
            }
            for person in part
        ]
        made = dict((email, user_id) for user_id, email in db.session.execute(statement, rows))
        ids.update(made)
        roles = [{"user_id": user_id, "role": Role.LEARNER.value} for user_id in made.values()]
        db.session.execute(insert(UserRole), roles)
        _audit_each(
            "user.invited",
            [("users", user_id, {"roles": [Role.LEARNER.value]}) for user_id in made.values()],
            actor=actor.id,
            now=now,
        )
    return ids


def _record_numbers(plan: Plan, *, actor: User, now: datetime) -> None:
    """Employee numbers the file gives for existing accounts that had none."""
    changes = [
        (account.id, person.employee_number)
        for person, account in plan.existing
        if person.employee_number and not account.employee_number
    ]
    for part in chunks(changes):
        db.session.execute(
            update(User), [{"id": user_id, "employee_number": number} for user_id, number in part]
        )
        _audit_each(
            "user.updated",
            [("users", user_id, {"employee_number": [None, number]}) for user_id, number in part],
            actor=actor.id,
            now=now,
        )


def _insert_memberships(
    cohort: Cohort, learners: Sequence[tuple[str, int]], *, actor: User, now: datetime
) -> None:
    statement = insert(Membership).returning(Membership.id, sort_by_parameter_order=True)
    for part in chunks(learners):
        rows = [
            {"cohort_id": cohort.id, "user_id": user_id, "enrolled_at": now}
            | {"enrolled_by_id": actor.id, "leaving_note": ""}
            for _, user_id in part
        ]
        membership_ids = db.session.scalars(statement, rows).all()
        _audit_each(
            "cohort.enrolled",
            [
                ("cohorts", cohort.id, {"learner": email, "membership": membership_id})
                for (email, _), membership_id in zip(part, membership_ids, strict=True)
            ],
            actor=actor.id,
            now=now,
        )


def _audit_each(
    action: str,
    events: Sequence[tuple[str, int, dict[str, Any]]],
    *,
    actor: int | None,
    now: datetime,
) -> None:
    """The events `audit.record` would add one by one, as one insert."""
    address = request.remote_addr if has_request_context() else None
    rows = [
        {
            "occurred_at": now,
            "actor_id": actor,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "ip_address": address,
            "details": details,
        }
        for object_type, object_id, details in events
    ]
    if rows:
        db.session.execute(insert(AuditEvent), rows)


def _welcome_links(
    people: Sequence[Person], ids: dict[str, int], *, now: datetime
) -> list[Welcome]:
    """The reset tokens `start_password_reset` would make for each new account, in bulk (one
    each would be two queries a learner: 20 seconds for an intake of 10,000)."""
    expires = now + timedelta(days=int(current_app.config["WELCOME_LINK_DAYS"]))
    welcomes = [Welcome(p.email, p.full_name, secrets.token_urlsafe(32)) for p in people]
    for part in chunks(welcomes):
        rows = [
            {
                "user_id": ids[welcome.email],
                "token_hash": reset_token_digest(welcome.token),
                "created_at": now,
                "expires_at": expires,
            }
            for welcome in part
        ]
        db.session.execute(insert(PasswordResetToken), rows)
        requested: list[tuple[str, int, dict[str, Any]]] = [
            ("users", ids[welcome.email], {}) for welcome in part
        ]
        _audit_each("password_reset.requested", requested, actor=None, now=now)
    return welcomes


# --- Telling people, after the commit ---------------------------------------------------------


def send_welcomes(cohort: Cohort, welcomes: Sequence[Welcome]) -> list[str]:
    """Email each new learner their welcome and set-password link over one mail connection;
    return the addresses not reached (their accounts stand; an administrator can send a new
    link, and the learner can ask for one at /password-reset)."""
    days = int(current_app.config["WELCOME_LINK_DAYS"])
    modules = _modules(cohort)
    subject = f"Welcome to {current_app.config['SITE_NAME']}: {cohort.name}"
    login_url, reset_url = external_url("auth.login"), external_url("auth.request_password_reset")
    messages = (
        (
            welcome.email,
            subject,
            render_template(
                "email/welcome.txt",
                name=welcome.full_name,
                email=welcome.email,
                cohort=cohort,
                modules=modules,
                link=external_url("auth.reset_password", token=welcome.token),
                login_url=login_url,
                reset_url=reset_url,
                days=days,
            ),
        )
        for welcome in welcomes
    )
    try:
        return send_many(messages)
    except (smtplib.SMTPException, OSError):
        log.exception("welcome emails to cohort %s not sent", cohort.id)
        return [welcome.email for welcome in welcomes]


def send_welcomes_in_background(cohort: Cohort, welcomes: Sequence[Welcome]) -> threading.Thread:
    """Send a large intake's welcomes from a thread, so the page answers at once.

    Ten thousand messages take longer than a web worker may stay silent before the server
    restarts it. The accounts are committed before this starts; a learner whose email is lost
    to a restart asks for a link at /password-reset.
    """
    app, cohort_id = current_app._get_current_object(), cohort.id  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            found = db.session.get(Cohort, cohort_id)
            failed = send_welcomes(found, welcomes) if found is not None else []
            for email in failed:
                log.warning("welcome email to %s not sent", email)
            db.session.remove()

    thread = threading.Thread(target=send, name=WELCOME_THREAD, daemon=True)
    thread.start()
    return thread


def tell_enrolled(cohort: Cohort, user_ids: Sequence[int]) -> list[str]:
    """A dashboard note and an email to each existing learner enrolled in the cohort; return
    the addresses the mail server refused. The caller commits the notes."""
    subject = f"You are enrolled in {cohort.name}"
    body = (
        f"You are now in the cohort {cohort.name}"
        f"{f' ({cohort.client})' if cohort.client else ''}, starting on "
        f"{cohort.start_date:%d %B %Y}. Your modules and their due dates are on My modules."
    )
    failed = []
    for part in chunks(user_ids):
        for user in db.session.scalars(select(User).where(User.id.in_(part))):
            try:
                with db.session.begin_nested():  # a refused address keeps no note
                    notify(user, subject, body, link=path_for("learning.catalogue"))
            except (smtplib.SMTPException, OSError):
                log.exception("enrolment note to %s not sent", user.email)
                failed.append(user.email)
    return failed


def _modules(cohort: Cohort) -> list[dict[str, Any]]:
    dates = services.due_dates(cohort)
    links = sorted(cohort.modules, key=lambda link: (link.module.position, link.module.code))
    return [
        {"code": link.module.code, "title": link.module.title, "due": dates[link.module_id]}
        for link in links
    ]
