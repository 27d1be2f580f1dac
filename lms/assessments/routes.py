"""The learner's quiz pages: a quiz's start page, the attempt, the summary, submit and review."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from lms.assessments import attempts, services
from lms.assessments.forms import AttemptPageForm, SubmitAttemptForm
from lms.assessments.models import Attempt, AttemptClosed
from lms.assessments.pages import (
    attempt_page,
    clamp_page,
    pages_of,
    question_numbers,
    review_of,
    staff_questions,
)
from lms.assessments.question_types import StoredAnswer
from lms.assessments.services import QuizStatus
from lms.auth.access import roles
from lms.auth.roles import STAFF, Role
from lms.content.catalogue import ModuleEntry
from lms.database import is_row_id, utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.learning import services as learning

bp = Blueprint("assessments", __name__)


def get_quiz_status_or_404(module_slug: str, quiz_slug: str) -> tuple[ModuleEntry, QuizStatus]:
    """A quiz of a module the learner is enrolled in, as they stand in it; 404 otherwise."""
    module = learning.find_enrolled_module(current_user, module_slug)
    found = services.find_quiz(module.id, quiz_slug) if module is not None else None
    if module is None or found is None:
        abort(404)
    progress = learning.progress_in(current_user, [module])[0]
    statuses = services.statuses_for(
        current_user, services.quizzes_of_module(module.id), lessons_done=progress.complete
    )
    return module, next(status for status in statuses if status.quiz.id == found[0].id)


def get_attempt_or_404(attempt_id: int) -> Attempt:
    """The signed-in learner's own attempt; 404 for anyone else's (not 403: do not confirm)."""
    attempt = services.attempt_for(current_user, attempt_id) if is_row_id(attempt_id) else None
    if attempt is None:
        abort(404)
    return attempt


@bp.get("/quizzes/<module_slug>/<quiz_slug>")
@roles(Role.LEARNER)
def quiz(module_slug: str, quiz_slug: str) -> str:
    module, status = get_quiz_status_or_404(module_slug, quiz_slug)
    if status.in_progress is not None and _closed_by_time(status.in_progress):
        module, status = get_quiz_status_or_404(module_slug, quiz_slug)
    return render_template(
        "assessments/quiz.html", status=status, module=module, form=SubmitAttemptForm()
    )


@bp.post("/quizzes/<module_slug>/<quiz_slug>/start")
@roles(Role.LEARNER)
def start(module_slug: str, quiz_slug: str) -> Response:
    _, status = get_quiz_status_or_404(module_slug, quiz_slug)
    try:
        attempt = attempts.start_attempt(current_user, status, now=utcnow())
        db.session.commit()
    except attempts.CannotStart as refused:
        flash(str(refused))
        return redirect(url_for(".quiz", module_slug=module_slug, quiz_slug=quiz_slug), 303)
    except IntegrityError:
        # Started twice at once (two tabs): the other request's attempt is the one to resume.
        db.session.rollback()
        attempt = get_quiz_status_or_404(module_slug, quiz_slug)[1].in_progress or abort(409)
    return redirect(url_for(".attempt", attempt_id=attempt.id, page=attempt.page), 303)


@bp.get("/attempts/<int:attempt_id>")
@roles(Role.LEARNER)
def attempt(attempt_id: int) -> Response | str:
    attempt = get_attempt_or_404(attempt_id)
    if _closed_by_time(attempt) or attempt.finished:
        return redirect(url_for(".review", attempt_id=attempt.id), 303)
    page = request.args.get("page", type=int) or attempt.page
    return _render_page(attempt, page, AttemptPageForm(page=page))


@bp.post("/attempts/<int:attempt_id>")
@roles(Role.LEARNER)
def save(attempt_id: int) -> Response | tuple[str, int]:
    attempt = get_attempt_or_404(attempt_id)
    if attempt.finished:
        flash("This attempt was already submitted; your answers saved before then count.")
        return redirect(url_for(".review", attempt_id=attempt.id), 303)
    form = AttemptPageForm()
    if not form.validate():
        return _render_page(attempt, form.page.data or 1, form), FORM_REJECTED
    page = clamp_page(attempt, form.page.data or 1)
    destination = form.destination(len(pages_of(attempt)))
    try:
        attempts.save_answers(
            attempt,
            pages_of(attempt)[page - 1],
            form.answer_values,
            now=utcnow(),
            grace=attempts.attempt_grace(),
            page=destination if isinstance(destination, int) else page,
        )
    except AttemptClosed:
        db.session.commit()  # an attempt that ran out of time was submitted just now
        flash("This attempt was already submitted; your answers saved before then count.")
        return redirect(url_for(".review", attempt_id=attempt.id), 303)
    except attempts.AnswersRejected as rejected:
        db.session.rollback()
        form.form_errors.extend(_describe(attempt, rejected))
        typed, _ = attempts.read_answers(pages_of(attempt)[page - 1], form.answer_values_cleaned)
        return _render_page(attempt, page, form, typed), FORM_REJECTED
    if destination == "submit":
        # Only a timed page's clock sends "submit", at zero: the time ran out, nobody pressed it.
        attempts.submit_attempt(attempt, now=utcnow(), automatic=attempt.deadline is not None)
        db.session.commit()
        return redirect(url_for(".review", attempt_id=attempt.id), 303)
    db.session.commit()
    if destination == "finish":
        return redirect(url_for(".summary", attempt_id=attempt.id), 303)
    return redirect(url_for(".attempt", attempt_id=attempt.id, page=destination), 303)


@bp.post("/attempts/<int:attempt_id>/autosave")
@roles(Role.LEARNER)
def autosave(attempt_id: int) -> tuple[Response, int]:
    attempt = get_attempt_or_404(attempt_id)
    if attempt.finished:
        return _already_submitted(attempt)
    form = AttemptPageForm()
    if not form.validate():
        return jsonify(error="The form was not valid.", fields=form.errors), FORM_REJECTED
    page = clamp_page(attempt, form.page.data or 1)
    now = utcnow()
    try:
        attempts.save_answers(
            attempt,
            pages_of(attempt)[page - 1],
            form.answer_values,
            now=now,
            grace=attempts.attempt_grace(),
        )
    except AttemptClosed:
        db.session.commit()
        return _already_submitted(attempt)
    except attempts.AnswersRejected as rejected:
        db.session.rollback()
        problems = _describe(attempt, rejected)
        return jsonify(error="Some answers could not be read.", problems=problems), FORM_REJECTED
    remaining = attempt.remaining_seconds(now)
    db.session.commit()
    return jsonify(saved=True, saved_at=now.isoformat(), remaining_seconds=remaining), 200


@bp.get("/attempts/<int:attempt_id>/finish")
@roles(Role.LEARNER)
def summary(attempt_id: int) -> Response | str:
    attempt = get_attempt_or_404(attempt_id)
    if _closed_by_time(attempt) or attempt.finished:
        return redirect(url_for(".review", attempt_id=attempt.id), 303)
    page = attempt_page(attempt, attempt.page, now=utcnow())
    return render_template("assessments/summary.html", page=page, form=SubmitAttemptForm())


@bp.post("/attempts/<int:attempt_id>/submit")
@roles(Role.LEARNER)
def submit(attempt_id: int) -> Response:
    attempt = get_attempt_or_404(attempt_id)
    if SubmitAttemptForm().validate():
        now = utcnow()
        if not attempts.close_if_overdue(attempt, now=now, grace=attempts.attempt_grace()):
            attempts.submit_attempt(attempt, now=now)
        db.session.commit()
    return redirect(url_for(".review", attempt_id=attempt.id), 303)


@bp.get("/attempts/<int:attempt_id>/review")
@roles(Role.LEARNER)
def review(attempt_id: int) -> Response | str:
    attempt = get_attempt_or_404(attempt_id)
    if _closed_by_time(attempt):
        db.session.refresh(attempt)
    if not attempt.finished:
        return redirect(url_for(".attempt", attempt_id=attempt.id), 303)
    status = _status_after(attempt)
    return render_template("assessments/review.html", review=review_of(attempt, status))


@bp.get("/quizzes/")
@roles(*STAFF)
def quiz_bank() -> str:
    return render_template("assessments/bank.html", quizzes=services.quiz_bank())


@bp.get("/quizzes/revisions/<int:revision_id>")
@roles(*STAFF)
def preview(revision_id: int) -> str:
    revision = services.get_quiz_revision(revision_id) if is_row_id(revision_id) else None
    if revision is None:
        abort(404)
    return render_template(
        "assessments/preview.html",
        revision=revision,
        settings=services.settings_of(revision),
        questions=staff_questions(revision),
    )


def _already_submitted(attempt: Attempt) -> tuple[Response, int]:
    review = url_for(".review", attempt_id=attempt.id)
    return jsonify(error="This attempt is already submitted.", review=review), 409


def _describe(attempt: Attempt, rejected: attempts.AnswersRejected) -> list[str]:
    numbers = question_numbers(attempt)
    return [f"Question {numbers[p.response_id]}: {p.message}." for p in rejected.problems]


def _closed_by_time(attempt: Attempt) -> bool:
    """Submit an attempt whose time ran out (with what was saved) and tell the learner."""
    if not attempts.close_if_overdue(attempt, now=utcnow(), grace=attempts.attempt_grace()):
        return False
    db.session.commit()
    flash("Time ran out: your attempt was submitted with the answers saved before the deadline.")
    return True


def _status_after(attempt: Attempt) -> QuizStatus:
    """Where the learner stands in the attempt's quiz (for the feedback setting's rules)."""
    quiz = attempt.quiz
    revision = next((r for r in quiz.revisions if r.is_current), attempt.revision)
    return services.statuses_for(current_user, [(quiz, revision)], lessons_done=True)[0]


def _render_page(
    attempt: Attempt,
    page: int,
    form: AttemptPageForm,
    typed: dict[int, StoredAnswer] | None = None,
) -> str:
    shown = attempt_page(attempt, page, now=utcnow(), typed=typed)
    form.page.data = shown.number
    return render_template("assessments/attempt.html", page=shown, form=form)
