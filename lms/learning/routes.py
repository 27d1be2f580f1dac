"""The learner's pages: the catalogue, a module, the lesson reader and "Mark as complete"."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.assessments import attempts
from lms.assessments import services as assessments
from lms.auth.access import roles
from lms.auth.roles import Role
from lms.database import utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.learning import services
from lms.learning.forms import CompleteLessonForm
from lms.learning.models import latest_restart
from lms.learning.services import LessonStatus, ModuleProgress

bp = Blueprint("learning", __name__, url_prefix="/learn")


def get_module_progress_or_404(slug: str) -> ModuleProgress:
    """The module as the signed-in learner sees it; 404 if they are not enrolled in it."""
    module = services.find_enrolled_module(current_user, slug)
    if module is None:
        abort(404)
    return services.progress_in(current_user, [module])[0]


def get_lesson_or_404(progress: ModuleProgress, lesson_slug: str) -> LessonStatus:
    status = progress.find(lesson_slug)
    if status is None:
        abort(404)
    return status


@bp.get("/")
@roles(Role.LEARNER)
def catalogue() -> str:
    modules = services.progress_in(current_user, services.enrolled_modules(current_user))
    resume = services.resume_point(modules)
    return render_template("learning/catalogue.html", modules=modules, resume=resume)


@bp.get("/<slug>")
@roles(Role.LEARNER)
def module(slug: str) -> str:
    progress = get_module_progress_or_404(slug)
    pairs = assessments.quizzes_of_module(progress.module.id)
    quizzes = assessments.statuses_for(current_user, pairs, lessons_done=progress.complete)
    if attempts.close_overdue_in(quizzes, now=utcnow()):
        # An attempt whose time ran out while the learner was away: submitted, then shown so.
        db.session.commit()
        quizzes = assessments.statuses_for(current_user, pairs, lessons_done=progress.complete)
    # After a certificate expired: say why the assessments are open again, until passed.
    restart = latest_restart(current_user.id, progress.module.id)
    if restart is not None and all(quiz.passed for quiz in quizzes):
        restart = None
    return render_template(
        "learning/module.html", progress=progress, quizzes=quizzes, restart=restart
    )


@bp.get("/<slug>/<lesson_slug>")
@roles(Role.LEARNER)
def lesson(slug: str, lesson_slug: str) -> tuple[str, int]:
    progress = get_module_progress_or_404(slug)
    status = get_lesson_or_404(progress, lesson_slug)
    if status.locked_by is not None:
        return _locked(progress, status)
    opened = services.open_lesson(current_user, status, now=utcnow())
    status = replace(status, progress=opened)
    # Rendered before the commit, which would expire every loaded row and reload it.
    page = _reader(progress, status, _completion_form(status))
    db.session.commit()
    return page, 200


@bp.post("/<slug>/<lesson_slug>/complete")
@roles(Role.LEARNER)
def complete_lesson(slug: str, lesson_slug: str) -> Response | tuple[str, int]:
    progress = get_module_progress_or_404(slug)
    status = get_lesson_or_404(progress, lesson_slug)
    if status.locked_by is not None:
        return _locked(progress, status)
    form = _completion_form(status)
    if not form.validate():
        return _reader(progress, status, form), FORM_REJECTED
    try:
        services.complete_lesson(
            current_user,
            status,
            revision_id=form.revision_id.data or 0,
            acknowledged=bool(form.acknowledge.data),
            now=utcnow(),
            ip_address=request.remote_addr,
        )
    except services.RevisionChanged:
        flash("This lesson was updated while you were reading it. Please read the new version.")
        return redirect(url_for(".lesson", slug=slug, lesson_slug=lesson_slug), 303)
    db.session.commit()
    return _after_completion(progress, status)


def _completion_form(status: LessonStatus) -> CompleteLessonForm:
    statement = status.revision.acknowledge_statement if status.needs_acknowledgement else None
    return CompleteLessonForm(statement=statement, revision_id=status.revision.id)


def _reader(progress: ModuleProgress, status: LessonStatus, form: CompleteLessonForm) -> str:
    previous, following = progress.neighbours(status)
    return render_template(
        "learning/lesson.html",
        progress=progress,
        status=status,
        text=services.lesson_text(status.revision),
        previous=previous,
        following=following,
        form=form,
    )


def _locked(progress: ModuleProgress, status: LessonStatus) -> tuple[str, int]:
    page = render_template("learning/locked.html", progress=progress, status=status)
    return page, 403


def _after_completion(progress: ModuleProgress, status: LessonStatus) -> Response:
    module = progress.module
    remaining = [s for s in progress.lessons if not s.done and s.lesson.id != status.lesson.id]
    if not remaining:
        flash(f"Well done: you have completed every lesson of {module.title}.", "success")
        return redirect(url_for(".module", slug=module.slug), 303)
    flash(f"“{status.title}” is complete.", "success")
    _, following = progress.neighbours(status)
    target = following if following is not None and not following.done else remaining[0]
    return redirect(url_for(".lesson", slug=module.slug, lesson_slug=target.lesson.slug), 303)
