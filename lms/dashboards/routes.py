"""One dashboard per role; a user lands on the one for their most demanding role."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms import notifications
from lms.auth.access import public, roles, signed_in
from lms.auth.roles import Role
from lms.certificates import services as certificates
from lms.database import utcnow
from lms.extensions import db
from lms.forms import Form
from lms.learning import services as learning
from lms.marking import appeals, marking_queue, moderation

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
    return _dashboard(
        Role.LEARNER,
        modules=modules,
        resume=learning.resume_point(modules),
        certificates=certificates.certificates_of(current_user),
        now=utcnow(),
    )


@bp.get("/dashboard/trainer")
@roles(Role.TRAINER)
def trainer() -> str:
    return _dashboard(Role.TRAINER)


@bp.get("/dashboard/assessor")
@roles(Role.ASSESSOR)
def assessor() -> str:
    waiting = marking_queue.queue_query(current_user, marking_queue.QueueFilter(), now=utcnow())
    return _dashboard(
        Role.ASSESSOR,
        waiting=marking_queue.queue_count(current_user),
        oldest=db.session.scalars(waiting.limit(1)).first(),
        assigned=len(marking_queue.assigned_module_ids(current_user)),
    )


@bp.get("/dashboard/moderator")
@roles(Role.MODERATOR)
def moderator() -> str:
    return _dashboard(
        Role.MODERATOR,
        sampled=moderation.sample_count(current_user),
        appeals_open=appeals.open_appeal_count(current_user),
    )


@bp.get("/dashboard/hr")
@roles(Role.HR)
def hr() -> str:
    return _dashboard(Role.HR)


@bp.get("/dashboard/admin")
@roles(Role.ADMIN)
def admin() -> str:
    return _dashboard(Role.ADMIN)
