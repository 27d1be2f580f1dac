"""Outcome records: the learner's own (with resubmission and appeals) and staff views of any
learner's, with the portfolio of evidence and a trainer's unlock of one more attempt."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms import audit
from lms.assessments.models import AttemptUnlock
from lms.auth.access import roles
from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.content.models import Module
from lms.database import is_row_id, utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.learning import services as learning
from lms.marking import appeals, marking_queue, services
from lms.marking.forms import ReasonForm, TakeForm, UnlockForm
from lms.marking.models import OutcomeJudgement
from lms.marking.record import module_record

bp = Blueprint("learner_record", __name__)

RECORD_READERS = (Role.ASSESSOR, Role.MODERATOR, Role.TRAINER, Role.HR, Role.ADMIN)
UNLOCKERS = (Role.TRAINER, Role.ADMIN)


@bp.get("/my/record")
@roles(Role.LEARNER)
def overview() -> str:
    now = utcnow()
    records = [
        module_record(current_user, module, as_learner=True, now=now)
        for module in _modules([entry.id for entry in learning.enrolled_modules(current_user)])
    ]
    return render_template("marking/overview.html", records=records)


@bp.get("/my/record/<module_slug>")
@roles(Role.LEARNER)
def module_record_page(module_slug: str) -> str:
    return _render_own(_enrolled_module_or_404(module_slug), ReasonForm(formdata=None))


@bp.post("/my/record/<module_slug>/appeals/<int:judgement_id>")
@roles(Role.LEARNER)
def appeal(module_slug: str, judgement_id: int) -> Response | tuple[str, int]:
    module = _enrolled_module_or_404(module_slug)
    judgement = db.session.get(OutcomeJudgement, judgement_id) if is_row_id(judgement_id) else None
    if judgement is None or judgement.learner_id != current_user.id:
        abort(404)
    if judgement.outcome.module_id != module.id:
        abort(404)
    form = ReasonForm()
    if not form.validate():
        return _render_own(module, form, appealing=judgement.id), FORM_REJECTED
    try:
        appeals.lodge(judgement, current_user, form.reason.data or "", now=utcnow())
        db.session.commit()
    except services.MarkingError as refused:
        db.session.rollback()
        form.reason.errors = [str(refused)]
        return _render_own(module, form, appealing=judgement.id), FORM_REJECTED
    flash(f"Your appeal on {judgement.outcome.code} was sent to a moderator.")
    return redirect(url_for(".module_record_page", module_slug=module.slug), 303)


@bp.get("/my/portfolio.zip")
@roles(Role.LEARNER)
def portfolio() -> Response:
    return _portfolio_download(current_user, as_learner=True)


@bp.get("/learners/<int:user_id>/record/<module_slug>")
@roles(*RECORD_READERS)
def staff_record(user_id: int, module_slug: str) -> str:
    learner, module = _readable_or_404(user_id, module_slug)
    return _render_staff(learner, module, UnlockForm(formdata=None))


@bp.get("/learners/<int:user_id>/portfolio.zip")
@roles(*RECORD_READERS)
def staff_portfolio(user_id: int) -> Response:
    learner = db.session.get(User, user_id) if is_row_id(user_id) else None
    if learner is None or not _may_read(learner):
        abort(404)
    audit.record("portfolio.exported", actor=current_user, target=learner)
    db.session.commit()
    return _portfolio_download(learner, as_learner=False)


@bp.post("/learners/<int:user_id>/record/<module_slug>/unlock")
@roles(*UNLOCKERS)
def unlock(user_id: int, module_slug: str) -> Response | tuple[str, int]:
    learner, module = _readable_or_404(user_id, module_slug)
    form = UnlockForm()
    record = module_record(learner, module, as_learner=False, now=utcnow())
    if not form.validate():
        return _render_staff(learner, module, form), FORM_REJECTED
    if record.summative is None or not record.needs_unlock:
        flash("Nothing to unlock: the learner has attempts left or nothing to resubmit.")
        return redirect(url_for(".staff_record", user_id=learner.id, module_slug=module.slug), 303)
    grant = AttemptUnlock(
        user_id=learner.id,
        quiz_id=record.summative.quiz.id,
        granted_by_id=current_user.id,
        granted_at=utcnow(),
        reason=(form.reason.data or "").strip(),
    )
    db.session.add(grant)
    db.session.flush()
    audit.record(
        "attempt.unlocked",
        actor=current_user,
        target=grant,
        details={"learner": learner.email, "quiz": record.summative.quiz.slug},
    )
    db.session.commit()
    flash(f"{learner.full_name} may resubmit once more.")
    return redirect(url_for(".staff_record", user_id=learner.id, module_slug=module.slug), 303)


def _render_own(module: Module, form: ReasonForm, appealing: int | None = None) -> str:
    record = module_record(current_user, module, as_learner=True, now=utcnow())
    return render_template(
        "marking/record.html",
        record=record,
        as_learner=True,
        appeal_form=form,
        appealing=appealing,
        start_form=TakeForm(formdata=None),
    )


def _render_staff(learner: User, module: Module, form: UnlockForm) -> str:
    record = module_record(learner, module, as_learner=False, now=utcnow())
    return render_template(
        "marking/record.html",
        record=record,
        as_learner=False,
        unlock_form=form,
        may_unlock=current_user.has_role(*UNLOCKERS),
    )


def _portfolio_download(learner: User, *, as_learner: bool) -> Response:
    # Imported here: PDF rendering loads WeasyPrint, which no other page needs.
    from lms.marking.portfolio import portfolio_filename, portfolio_zip
    from lms.pdf import PdfUnavailable

    now = utcnow()
    try:
        archive = portfolio_zip(learner, now=now, as_learner=as_learner)
    except PdfUnavailable as missing:
        abort(503, description=str(missing))
    response = Response(archive, mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{portfolio_filename(learner, now)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _enrolled_module_or_404(slug: str) -> Module:
    entry = learning.find_enrolled_module(current_user, slug)
    module = db.session.get(Module, entry.id) if entry is not None else None
    if module is None:
        abort(404)
    return module


def _readable_or_404(user_id: int, module_slug: str) -> tuple[User, Module]:
    learner = db.session.get(User, user_id) if is_row_id(user_id) else None
    module = db.session.scalar(
        select(Module).where(Module.slug == module_slug, Module.retired_at.is_(None))
    )
    if learner is None or module is None or not _may_read(learner, module):
        abort(404)
    return learner, module


def _may_read(learner: User, module: Module | None = None) -> bool:
    """Assessors read the records of the learners and modules they mark, trainers those of
    their cohorts' learners; moderators, HR and admins read every record."""
    if learner.id == current_user.id and not current_user.has_role(Role.HR, Role.ADMIN):
        return False  # staff do not vet their own records
    if current_user.has_role(Role.MODERATOR, Role.HR, Role.ADMIN):
        return True
    if current_user.has_role(Role.TRAINER) and cohorts.reaches_learner(current_user, learner.id):
        return True
    module_id = module.id if module is not None else None
    return marking_queue.marks_learner(current_user, learner.id, module_id)


def _modules(ids: list[int]) -> list[Module]:
    found = {m.id: m for m in db.session.scalars(select(Module).where(Module.id.in_(ids)))}
    return [found[module_id] for module_id in ids if module_id in found]
