"""Cohort pages: list, create and edit cohorts; enrol, import, move and withdraw learners.

Roles open the pages; the cohort services decide which cohorts a person reaches. A cohort
someone may not see answers 404, so its existence is not revealed, and only its trainers and
administrators change it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from lms.auth.access import roles
from lms.auth.models import User, UserRole
from lms.auth.roles import Role
from lms.cohorts import enrolment, roster, services, uploads
from lms.cohorts.forms import (
    CohortForm,
    ConfirmImportForm,
    EnrolForm,
    MoveForm,
    WithdrawForm,
    cohort_data,
)
from lms.cohorts.models import Cohort, Membership
from lms.cohorts.services import CohortError
from lms.content.catalogue import current_catalogue
from lms.database import is_row_id, utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.pagination import page_number, paginate

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
log = logging.getLogger(__name__)

READERS = (Role.TRAINER, Role.ASSESSOR, Role.HR, Role.ADMIN)
RUNNERS = (Role.TRAINER, Role.ADMIN)
PREVIEW_ROWS = 50


@bp.get("/")
@roles(*READERS)
def index() -> str:
    """The cohorts the user may see, newest start first."""
    query = services.visible_cohorts(current_user)
    page = paginate(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"])
    counts = services.member_counts([cohort.id for cohort in page.items])
    return render_template(
        "cohorts/index.html",
        page=page,
        counts=counts,
        may_create=current_user.has_role(*RUNNERS),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(*RUNNERS)
def new() -> Response | tuple[str, int]:
    data = {"trainers": [current_user.id]} if current_user.has_role(Role.TRAINER) else {}
    form = _cohort_form(data)
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(form.details(), actor=current_user)
        except CohortError as refused:
            db.session.rollback()
            form.place_error(str(refused), refused.field)
        else:
            db.session.commit()
            flash(f"Cohort {cohort.name} is created. Enrol its learners next.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id), 303)
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template("cohorts/form.html", form=form, cohort=None), status


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles(*RUNNERS)
def edit(cohort_id: int) -> Response | tuple[str, int]:
    cohort = _cohort_or_404(cohort_id, run=True)
    form = _cohort_form(cohort_data(cohort))
    if form.validate_on_submit():
        try:
            services.update_cohort(cohort, form.details(), actor=current_user)
        except CohortError as refused:
            db.session.rollback()
            form.place_error(str(refused), refused.field)
        else:
            db.session.commit()
            flash("Changes saved.", "success")
            if not services.can_view(current_user, cohort):  # they took themselves off it
                return redirect(url_for(".index"), 303)
            return redirect(url_for(".detail", cohort_id=cohort.id), 303)
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template("cohorts/form.html", form=form, cohort=cohort), status


@bp.get("/<int:cohort_id>")
@roles(*READERS)
def detail(cohort_id: int) -> str:
    cohort = _cohort_or_404(cohort_id)
    return _render_detail(cohort, EnrolForm(formdata=None))


@bp.post("/<int:cohort_id>/enrol")
@roles(*RUNNERS)
def enrol(cohort_id: int) -> Response | tuple[str, int]:
    """Enrol one learner: a new account for an unknown email, with a welcome email."""
    cohort = _cohort_or_404(cohort_id, run=True)
    form = EnrolForm()
    if not form.validate():
        return _render_detail(cohort, form), FORM_REJECTED
    person = roster.Person(
        0,
        (form.email.data or "").strip().lower(),
        (form.first_name.data or "").strip(),
        (form.last_name.data or "").strip(),
        (form.employee_number.data or "").strip() or None,
    )
    try:
        enrolled = enrolment.enrol_person(cohort, person, actor=current_user, now=utcnow())
    except CohortError as refused:
        db.session.rollback()
        target = form.employee_number if refused.field == "employee_number" else form.email
        target.errors = [*target.errors, str(refused)]
        return _render_detail(cohort, form), FORM_REJECTED
    db.session.commit()
    _tell(cohort, enrolled)
    flash(f"{person.full_name} is enrolled in {cohort.name}.", "success")
    return redirect(url_for(".detail", cohort_id=cohort.id), 303)


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@roles(*RUNNERS)
def import_file(cohort_id: int) -> Response | tuple[str, int]:
    """Upload a CSV file: every problem with its line, or a preview to confirm."""
    cohort = _cohort_or_404(cohort_id, run=True)
    form = ConfirmImportForm(formdata=None)
    if request.method == "GET":
        return _render_import(cohort, form), 200
    # The site-wide CSRF check has already refused a post without this page's token.
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        problems = ["Choose a CSV file to upload."]
        return _render_import(cohort, form, problems=problems), FORM_REJECTED
    data = upload.stream.read(roster.MAX_BYTES + 1)
    plan = roster.check_roster(cohort, roster.read_roster(data))
    filename = upload.filename[:100]
    if plan.problems:
        return _render_import(cohort, form, plan=plan, filename=filename), FORM_REJECTED
    token = uploads.hold(data, cohort_id=cohort.id, user_id=current_user.id, now=utcnow())
    form.token.data = token
    return _render_import(cohort, form, plan=plan, filename=filename), 200


@bp.post("/<int:cohort_id>/import/confirm")
@roles(*RUNNERS)
def confirm_import(cohort_id: int) -> Response | tuple[str, int]:
    """Import a previewed file, checked again, in one transaction; then welcome new learners."""
    cohort = _cohort_or_404(cohort_id, run=True)
    form = ConfirmImportForm()
    token = form.token.data or ""
    data = None
    if form.validate():
        data = uploads.held(token, cohort_id=cohort.id, user_id=current_user.id, now=utcnow())
    if data is None:
        message = "That upload has expired or was already imported. Upload the file again."
        return _render_import(cohort, form, problems=[message]), FORM_REJECTED
    plan = roster.check_roster(cohort, roster.read_roster(data))
    if not plan.problems:
        try:
            enrolled = enrolment.import_plan(cohort, plan, actor=current_user, now=utcnow())
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            plan.problems.append(roster.Problem("someone enrolled these learners meanwhile."))
    uploads.release(token)
    if plan.problems:
        return _render_import(cohort, ConfirmImportForm(formdata=None), plan=plan), FORM_REJECTED
    _tell(cohort, enrolled)
    flash(f"{enrolled.count} learners imported into {cohort.name}.", "success")
    return redirect(url_for(".detail", cohort_id=cohort.id), 303)


@bp.get("/<int:cohort_id>/learners/<int:membership_id>")
@roles(*RUNNERS)
def learner(cohort_id: int, membership_id: int) -> str:
    """Move a learner to another cohort, or withdraw them."""
    cohort, membership = _membership_or_404(cohort_id, membership_id)
    move_form = _move_form(cohort, posted=False)
    return _render_learner(cohort, membership, move_form, WithdrawForm(formdata=None))


@bp.post("/<int:cohort_id>/learners/<int:membership_id>/move")
@roles(*RUNNERS)
def move(cohort_id: int, membership_id: int) -> Response | tuple[str, int]:
    cohort, membership = _membership_or_404(cohort_id, membership_id)
    form = _move_form(cohort)
    if form.validate():
        to = services.find_cohort(form.cohort.data)
        try:
            if to is None or not services.can_run(current_user, to):
                raise CohortError("Choose one of your cohorts.", "cohort")
            services.move(
                membership, to, actor=current_user, now=utcnow(), note=form.note.data or ""
            )
        except CohortError as refused:
            db.session.rollback()
            form.cohort.errors = [*form.cohort.errors, str(refused)]
        else:
            db.session.commit()
            flash(f"{membership.user.full_name} moved to {to.name}.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id), 303)
    withdraw_form = WithdrawForm(formdata=None)
    return _render_learner(cohort, membership, form, withdraw_form), FORM_REJECTED


@bp.post("/<int:cohort_id>/learners/<int:membership_id>/withdraw")
@roles(*RUNNERS)
def withdraw(cohort_id: int, membership_id: int) -> Response | tuple[str, int]:
    cohort, membership = _membership_or_404(cohort_id, membership_id)
    form = WithdrawForm()
    if form.validate():
        try:
            services.withdraw(
                membership, actor=current_user, now=utcnow(), note=form.reason.data or ""
            )
        except CohortError as refused:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(refused)]
        else:
            db.session.commit()
            flash(f"{membership.user.full_name} is withdrawn from {cohort.name}.", "success")
            return redirect(url_for(".detail", cohort_id=cohort.id), 303)
    move_form = _move_form(cohort, posted=False)
    return _render_learner(cohort, membership, move_form, form), FORM_REJECTED


# --- Loading and rendering ---------------------------------------------------------------------


def _cohort_or_404(cohort_id: int, *, run: bool = False) -> Cohort:
    """The cohort, if the user may see it (and, with `run`, change it); 404 otherwise."""
    cohort = services.find_cohort(cohort_id) if is_row_id(cohort_id) else None
    allowed = services.can_run if run else services.can_view
    if cohort is None or not allowed(current_user, cohort):
        abort(404)
    return cohort


def _membership_or_404(cohort_id: int, membership_id: int) -> tuple[Cohort, Membership]:
    cohort = _cohort_or_404(cohort_id, run=True)
    found = services.find_membership(cohort, membership_id) if is_row_id(membership_id) else None
    if found is None or not found.current:
        abort(404)
    return cohort, found


def _cohort_form(data: dict[str, Any]) -> CohortForm:
    return CohortForm.build(
        current_catalogue().modules, _active(Role.TRAINER), _active(Role.ASSESSOR), data
    )


def _active(role: Role) -> list[User]:
    query = (
        select(User)
        .where(User.active.is_(True), User.role_links.any(UserRole.role == role.value))
        .order_by(User.full_name, User.id)
    )
    return list(db.session.scalars(query))


def _move_form(cohort: Cohort, *, posted: bool = True) -> MoveForm:
    """The move form offering the other cohorts the user runs."""
    runnable = db.session.scalars(services.runnable_cohorts(current_user))
    return MoveForm.offering([c for c in runnable if c.id != cohort.id], posted=posted)


def _tell(cohort: Cohort, enrolled: enrolment.Enrolled) -> None:
    """After the commit: welcome new learners and tell existing ones (mail failures are
    reported, the enrolment stands)."""
    failed: list[str] = []
    if len(enrolled.welcomes) > enrolment.WELCOME_INLINE_LIMIT:
        enrolment.send_welcomes_in_background(cohort, enrolled.welcomes)
        flash(f"Welcome emails are on their way to {len(enrolled.welcomes)} new learners.")
    else:
        failed += enrolment.send_welcomes(cohort, enrolled.welcomes)
    failed += enrolment.tell_enrolled(cohort, enrolled.existing_ids)
    db.session.commit()
    if failed:
        flash(
            f"The email to {', '.join(failed[:5])}{' and others' if len(failed) > 5 else ''} "
            "could not be sent. An administrator can send a password link from the Users page.",
            "error",
        )


def _render_detail(cohort: Cohort, enrol_form: EnrolForm) -> str:
    page = paginate(
        services.members_query(cohort),
        page_number(request.args.get("page")),
        current_app.config["PAGE_SIZE"],
    )
    progress = "cohort_progress.progress" in current_app.view_functions
    return render_template(
        "cohorts/detail.html",
        cohort=cohort,
        due_dates=services.due_dates(cohort),
        page=page,
        leavers=services.leavers(cohort),
        may_run=services.can_run(current_user, cohort),
        enrol_form=enrol_form,
        progress_url=url_for("cohort_progress.progress", cohort_id=cohort.id) if progress else None,
    )


def _render_import(
    cohort: Cohort,
    form: ConfirmImportForm,
    *,
    plan: roster.Plan | None = None,
    problems: list[str] | None = None,
    filename: str | None = None,
) -> str:
    return render_template(
        "cohorts/import.html",
        cohort=cohort,
        form=form,
        plan=plan,
        problems=problems or [str(problem) for problem in (plan.problems if plan else [])],
        filename=filename,
        preview=(plan.people[:PREVIEW_ROWS] if plan else []),
        new_emails={person.email for person in plan.new} if plan else set(),
        already_emails={person.email for person in plan.already} if plan else set(),
        max_rows=roster.MAX_ROWS,
        max_megabytes=roster.MAX_BYTES // (1024 * 1024),
    )


def _render_learner(
    cohort: Cohort, membership: Membership, move_form: MoveForm, withdraw_form: WithdrawForm
) -> str:
    return render_template(
        "cohorts/learner.html",
        cohort=cohort,
        membership=membership,
        move_form=move_form,
        withdraw_form=withdraw_form,
    )
