"""Admin pages: the user list, creating and editing users and their roles, the audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms import audit
from lms.admin.forms import (
    AssessorsForm,
    AuditFilterForm,
    ConfirmForm,
    NewUserForm,
    UserForm,
    UserSearchForm,
)
from lms.auth import services
from lms.auth.access import roles
from lms.auth.models import User
from lms.auth.roles import Role
from lms.auth.routes import send_reset_email
from lms.content.models import Module
from lms.database import is_row_id
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.marking import marking_queue
from lms.marking import services as marking
from lms.pagination import page_number, paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id) if is_row_id(user_id) else None
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@roles(Role.ADMIN)
def users() -> tuple[str, int]:
    form = UserSearchForm(request.args)
    if not form.validate():
        return render_template("admin/users.html", form=form, page=None), 400
    query = services.users_query(form.q.data, Role(form.role.data) if form.role.data else None)
    page = paginate(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", form=form, page=page), 200


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new_user() -> Response | tuple[str, int]:
    form = NewUserForm()
    if form.validate_on_submit():
        password = form.password.data or None
        try:
            user = services.create_user(
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                # Without a chosen password the account gets an unguessable one until the
                # person sets theirs through the emailed link.
                password=password or services.unguessable_password(),
                roles=form.selected_roles(),
                actor=current_user,
            )
        except services.AccountError as error:
            (form.password if error.field == "password" else form.email).errors.append(str(error))
        else:
            if password is None:
                _send_welcome_link(user)
            db.session.commit()
            flash(f"{user.full_name} has been added.", "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template("admin/user_new.html", form=form), status


def _send_welcome_link(user: User) -> None:
    """An emailed link that lets a new user choose their first password."""
    days = int(current_app.config["WELCOME_LINK_DAYS"])
    started = services.start_password_reset(user.email, valid_for=timedelta(days=days))
    if started is not None:
        send_reset_email(*started, minutes=days * 24 * 60)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_user(user_id: int) -> Response | tuple[str, int]:
    user = get_user_or_404(user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_profile(
                user,
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                actor=current_user,
            )
            services.set_roles(user, form.selected_roles(), actor=current_user)
        except services.AccountError as error:
            db.session.rollback()
            (form.roles if error.field == "roles" else form.email).errors.append(str(error))
        else:
            db.session.commit()
            flash("Changes saved.", "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template(
        "admin/user_edit.html", form=form, user=user, confirm=ConfirmForm()
    ), status


@bp.post("/users/<int:user_id>/active")
@roles(Role.ADMIN)
def set_active(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    form = ConfirmForm()
    wanted = request.form.getlist("active")
    if not form.validate_on_submit() or wanted not in (["0"], ["1"]):
        abort(400, "The request was incomplete; reload the page and try again.")
    try:
        services.set_active(user, wanted == ["1"], actor=current_user)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"{user.full_name} is now {'active' if user.active else 'deactivated'}.", "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password-link")
@roles(Role.ADMIN)
def send_password_link(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The request was incomplete; reload the page and try again.")
    if not user.active:
        flash("Reactivate the account before sending a password link.", "error")
    else:
        _send_welcome_link(user)
        db.session.commit()
        flash(f"A link to set a password has been emailed to {user.email}.", "success")
    return redirect(url_for(".edit_user", user_id=user.id))


@bp.get("/audit")
@roles(Role.ADMIN)
def audit_log() -> tuple[str, int]:
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None, actions=[]), 400
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    criteria = audit.AuditFilter(
        action=form.action.data or None,
        actor_email=form.actor.data or None,
        since=datetime.combine(form.since.data, time(), zone) if form.since.data else None,
        until=(
            datetime.combine(form.until.data + timedelta(days=1), time(), zone)
            if form.until.data
            else None
        ),
    )
    page = paginate(
        audit.audit_events_query(criteria),
        page_number(request.args.get("page")),
        current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "admin/audit.html", form=form, page=page, actions=audit.known_actions()
    ), 200


@bp.route("/assessors", methods=["GET", "POST"])
@roles(Role.ADMIN)
def assessors() -> Response | tuple[str, int]:
    """Which assessors mark each module for every learner; cohorts name their own too."""
    modules = _current_modules()
    people = list(db.session.scalars(services.users_query(role=Role.ASSESSOR)))
    form = AssessorsForm.for_modules(modules, people, marking_queue.assessors_by_module())
    if form.validate_on_submit():
        try:
            for module in modules:
                marking_queue.set_module_assessors(
                    module, form.chosen(module, people), actor=current_user
                )
        except marking.MarkingError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash("Assessors saved.", "success")
            return redirect(url_for(".assessors"), 303)
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template(
        "admin/assessors.html", form=form, modules=modules, assessors=people
    ), status


def _current_modules() -> list[Module]:
    """The programme's modules that are not retired, in programme order."""
    query = select(Module).where(Module.retired_at.is_(None)).order_by(Module.position)
    return list(db.session.scalars(query))
