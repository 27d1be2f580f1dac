"""One dashboard per role; a user lands on the one for their most demanding role."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms import notifications
from lms.auth.access import public, roles, signed_in
from lms.auth.roles import Role
from lms.certificates import services as certificates
from lms.cohorts import matrix as cohort_matrix
from lms.cohorts import overview
from lms.cohorts.plan import learner_plan
from lms.database import utcnow
from lms.extensions import db
from lms.forms import Form
from lms.learning import services as learning
from lms.marking import ageing, marking_queue

bp = Blueprint("dashboards", __name__)


@bp.get("/")
@public
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for(".home"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@signed_in
def home() -> Response:
    role = current_user.landing_role
    if role is None:
        return redirect(url_for("auth.profile"))
    return redirect(url_for(f".{role.value}"))


def _dashboard(role: Role, **context: object) -> str:
    return render_template(
        f"dashboards/{role.value}.html",
        role=role,
        notes=notifications.unread_for(current_user),
        read_form=Form(formdata=None),
        **context,
    )


@bp.post("/dashboard/notifications/read")
@signed_in
def read_notifications() -> Response:
    if Form().validate():
        notifications.mark_read(current_user)
        db.session.commit()
        flash("Notifications marked as read.")
    return redirect(url_for(".home"), 303)


@bp.get("/dashboard/learner")
@roles(Role.LEARNER)
def learner() -> str:
    modules = learning.progress_in(current_user, learning.enrolled_modules(current_user))
    now = utcnow()
    return _dashboard(
        Role.LEARNER,
        plan=learner_plan(current_user, modules, now=now),
        resume=learning.resume_point(modules),
        certificates=certificates.certificates_of(current_user),
        now=now,
    )


@bp.get("/dashboard/trainer")
@roles(Role.TRAINER)
def trainer() -> str:
    """The cohorts the trainer runs, each with its headline figures."""
    cohorts = cohort_matrix.trained_by(current_user)
    links = current_app.view_functions
    return _dashboard(
        Role.TRAINER,
        summaries=cohort_matrix.summaries(cohorts, now=utcnow()),
        # Cohort pages may be missing from an installation: link only to those that exist.
        can_open_detail="cohorts.detail" in links,
        can_create="cohorts.new" in links,
    )


@bp.get("/dashboard/assessor")
@roles(Role.ASSESSOR)
def assessor() -> str:
    now = utcnow()
    waiting = marking_queue.queue_query(current_user, marking_queue.QueueFilter(), now=now)
    return _dashboard(
        Role.ASSESSOR,
        queue=ageing.marking_ageing(current_user, now=now),
        oldest=db.session.scalars(waiting.limit(1)).first(),
        assigned=len(marking_queue.assigned_module_ids(current_user)),
        now=now,
    )


@bp.get("/dashboard/moderator")
@roles(Role.MODERATOR)
def moderator() -> str:
    now = utcnow()
    return _dashboard(
        Role.MODERATOR,
        sample=ageing.sample_ageing(current_user, now=now),
        appeals=ageing.appeal_ageing(current_user, now=now),
        now=now,
    )


@bp.get("/dashboard/hr")
@roles(Role.HR)
def hr() -> str:
    return _dashboard(Role.HR, figures=overview.organisation(now=utcnow()))


@bp.get("/dashboard/admin")
@roles(Role.ADMIN)
def admin() -> str:
    return _dashboard(Role.ADMIN)
