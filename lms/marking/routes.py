"""The assessor's pages: the marking queue, marking an attempt, and a learner's record."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.assessments.models import Attempt
from lms.auth.access import roles
from lms.auth.roles import Role
from lms.content.models import Module
from lms.database import is_row_id, utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.marking import appeals, marking_queue, moderation, services
from lms.marking.forms import MarkingForm, QueueFilterForm, TakeForm, read_marking
from lms.marking.pages import marking_page
from lms.pagination import page_number, paginate

bp = Blueprint("marking", __name__, url_prefix="/marking")


@bp.get("/")
@roles(Role.ASSESSOR)
def queue() -> tuple[str, int] | str:
    form = QueueFilterForm(request.args)
    modules = _assigned_modules()
    form.module.choices = [("", "All my modules")] + [(str(m.id), m.code) for m in modules]
    if request.args and not form.validate():
        return render_template("marking/queue.html", form=form, page=None), FORM_REJECTED
    criteria = marking_queue.QueueFilter(
        module_id=int(form.module.data) if form.module.data else None,
        waiting_days=form.waiting.data,
    )
    now = utcnow()
    page = paginate(
        marking_queue.queue_query(current_user, criteria, now=now),
        page_number(request.args.get("page")),
        _page_size(),
    )
    holders = marking_queue.markings_of([attempt.id for attempt in page.items])
    return render_template(
        "marking/queue.html", form=form, page=page, holders=holders, now=now, modules=modules
    )


@bp.get("/attempts/<int:attempt_id>")
@roles(Role.ASSESSOR)
def mark(attempt_id: int) -> str:
    attempt = _markable_or_404(attempt_id)
    return _render_marking(attempt, MarkingForm(formdata=None), {})


@bp.post("/attempts/<int:attempt_id>/take")
@roles(Role.ASSESSOR)
def take(attempt_id: int) -> Response:
    attempt = _markable_or_404(attempt_id)
    if TakeForm().validate():
        try:
            services.open_marking(current_user, attempt, now=utcnow())
            db.session.commit()
        except services.MarkingHeld as held:
            db.session.rollback()
            flash(str(held))
    return redirect(url_for(".mark", attempt_id=attempt.id), 303)


@bp.post("/attempts/<int:attempt_id>/release")
@roles(Role.ASSESSOR)
def release(attempt_id: int) -> Response:
    attempt = _markable_or_404(attempt_id)
    marking = marking_queue.markings_of([attempt.id]).get(attempt.id)
    if marking is not None and TakeForm().validate():
        try:
            services.release_marking(marking, current_user)
            db.session.commit()
            flash("You handed this attempt back to the queue.")
            return redirect(url_for(".queue"), 303)
        except services.MarkingError as refused:
            db.session.rollback()
            flash(str(refused))
    return redirect(url_for(".mark", attempt_id=attempt.id), 303)


@bp.post("/attempts/<int:attempt_id>")
@roles(Role.ASSESSOR)
def save(attempt_id: int) -> Response | tuple[str, int]:
    attempt = _markable_or_404(attempt_id)
    form = MarkingForm()
    page = marking_page(attempt, marking_queue.markings_of([attempt.id]).get(attempt.id))
    if not form.validate():
        return _render_marking(attempt, form, {}), FORM_REJECTED
    responses = [
        (a.response.id, a.position, a.response.max_points)
        for a in page.answers
        if not a.auto_marked
    ]
    given, errors = read_marking(
        request.form.getlist,
        request.form.keys(),
        form.version.data or 0,
        responses,
        page.open_outcomes,
    )
    if errors:
        return _render_marking(attempt, form, errors), FORM_REJECTED
    if page.marking is None or page.marking.assessor_id != current_user.id:
        flash("Take this attempt from the queue before marking it; nothing was saved.")
        return redirect(url_for(".mark", attempt_id=attempt.id), 303)
    try:
        if form.action.data == "finalise":
            services.finalise(page.marking, current_user, given, now=utcnow())
        else:
            services.save_draft(page.marking, current_user, given, now=utcnow())
        db.session.commit()
    except services.StaleMarking as stale:
        db.session.rollback()
        flash(str(stale))
        return redirect(url_for(".mark", attempt_id=attempt.id), 303)
    except services.MarkingError as refused:
        db.session.rollback()
        errors = {refused.field: str(refused)} if refused.field else {"": str(refused)}
        return _render_marking(attempt, form, errors), FORM_REJECTED
    if form.action.data == "finalise":
        flash(f"Judgements for {attempt.user.full_name} recorded.")
        return redirect(url_for(".queue"), 303)
    flash("Draft saved. Only you can see it until you finalise.")
    return redirect(url_for(".mark", attempt_id=attempt.id), 303)


def _markable_or_404(attempt_id: int) -> Attempt:
    attempt = (
        marking_queue.markable_attempt(current_user, attempt_id) if is_row_id(attempt_id) else None
    )
    if attempt is None:
        abort(404)  # not 403: do not confirm that another assessor's attempt exists
    return attempt


def _render_marking(attempt: Attempt, form: MarkingForm, errors: dict[str, str]) -> str:
    marking = marking_queue.markings_of([attempt.id]).get(attempt.id)
    page = marking_page(attempt, marking)
    submitted = request.form if request.method == "POST" else None
    if marking is not None and form.version.data is None:
        form.version.data = marking.version
    return render_template(
        "marking/mark.html",
        page=page,
        form=form,
        errors=errors,
        submitted=submitted,
        take_form=TakeForm(formdata=None),
        mine=marking is not None and marking.assessor_id == current_user.id,
    )


def _assigned_modules() -> list[Module]:
    ids = marking_queue.assigned_module_ids(current_user)
    modules = [db.session.get(Module, module_id) for module_id in ids]
    return sorted((m for m in modules if m is not None), key=lambda m: m.position)


def _page_size() -> int:
    return int(current_app.config["PAGE_SIZE"])


@bp.app_context_processor
def work_waiting() -> dict[str, object]:
    """`work_counts()` for the navigation's badges, counted once per page and only when shown."""

    def counts() -> dict[str, int]:
        if "work_counts" not in g:
            g.work_counts = {
                "queue": marking_queue.queue_count(current_user)
                if current_user.has_role(Role.ASSESSOR)
                else 0,
                "moderation": moderation.sample_count(current_user)
                + appeals.open_appeal_count(current_user)
                if current_user.has_role(Role.MODERATOR)
                else 0,
            }
        return g.work_counts

    return {"work_counts": counts}
