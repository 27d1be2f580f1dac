"""One dashboard per role; a user lands on the one for their most demanding role."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.auth.access import public, roles, signed_in
from lms.auth.roles import Role
from lms.learning import services as learning

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


def _dashboard(role: Role) -> str:
    return render_template(f"dashboards/{role.value}.html", role=role)


@bp.get("/dashboard/learner")
@roles(Role.LEARNER)
def learner() -> str:
    modules = learning.progress_in(current_user, learning.enrolled_modules(current_user))
    return render_template(
        "dashboards/learner.html",
        role=Role.LEARNER,
        modules=modules,
        resume=learning.resume_point(modules),
    )


@bp.get("/dashboard/trainer")
@roles(Role.TRAINER)
def trainer() -> str:
    return _dashboard(Role.TRAINER)


@bp.get("/dashboard/assessor")
@roles(Role.ASSESSOR)
def assessor() -> str:
    return _dashboard(Role.ASSESSOR)


@bp.get("/dashboard/moderator")
@roles(Role.MODERATOR)
def moderator() -> str:
    return _dashboard(Role.MODERATOR)


@bp.get("/dashboard/hr")
@roles(Role.HR)
def hr() -> str:
    return _dashboard(Role.HR)


@bp.get("/dashboard/admin")
@roles(Role.ADMIN)
def admin() -> str:
    return _dashboard(Role.ADMIN)
