"""The moderator's pages: the sample to check, appeals to decide, and the report per assessor."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.auth.access import roles
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.database import is_row_id, utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED, Form
from lms.marking import appeals, moderation, sampling
from lms.marking.models import (
    Appeal,
    AppealStatus,
    JudgementStatus,
    OutcomeJudgement,
)
from lms.marking.moderation_forms import AppealDecisionForm, ReviewForm
from lms.marking.pages import AnswerView, answers_of
from lms.marking.sampling import BLOCK, SamplingRules
from lms.marking.services import MarkingError, marks_by_response
from lms.pagination import page_number, paginate

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

# A form posted for something decided in the meantime (another tab, another moderator).
ALREADY_CHECKED = "This judgement was already checked; the page shows the result."
ALREADY_DECIDED = "This appeal was already decided; the page shows the decision."
CONFLICT = 409


def get_judgement_or_404(judgement_id: int) -> OutcomeJudgement:
    """A sampled judgement the moderator may see; 404 for their own, unknown or unsampled ones."""
    judgement = (
        moderation.sampled_judgement(current_user, judgement_id)
        if is_row_id(judgement_id)
        else None
    )
    if judgement is None:
        abort(404)
    return judgement


def get_appeal_or_404(appeal_id: int) -> Appeal:
    """An appeal the moderator may decide; 404 for one on their own judgement or work."""
    appeal = appeals.appeal_for_moderator(current_user, appeal_id) if is_row_id(appeal_id) else None
    if appeal is None:
        abort(404)
    return appeal


@bp.get("/")
@roles(Role.MODERATOR)
def sample() -> str:
    page = paginate(
        moderation.sample_query(current_user),
        page_number(request.args.get("page")),
        current_app.config["PAGE_SIZE"],
    )
    appeal_count = appeals.open_appeal_count(current_user)
    return render_template("moderation/sample.html", page=page, appeal_count=appeal_count)


@bp.route("/judgements/<int:judgement_id>", methods=["GET", "POST"])
@roles(Role.MODERATOR)
def judgement(judgement_id: int) -> Response | tuple[str, int]:
    judgement = get_judgement_or_404(judgement_id)
    form = ReviewForm()
    if request.method == "GET":
        return _judgement_page(judgement, form), 200
    if judgement.status is not JudgementStatus.IN_SAMPLE:
        form.form_errors.append(ALREADY_CHECKED)
        return _judgement_page(judgement, form), CONFLICT
    reviewed = _apply(
        form,
        lambda: moderation.review(
            judgement, current_user, form.verdict, form.reason.data or "", now=utcnow()
        ),
    )
    if not reviewed:
        return _judgement_page(judgement, form), FORM_REJECTED
    db.session.commit()
    flash(_reviewed_message(judgement), "success")
    return redirect(url_for(".sample"), 303)


@bp.get("/appeals", endpoint="appeals")
@roles(Role.MODERATOR)
def appeals_list() -> str:
    page = paginate(
        appeals.open_appeals_query(current_user),
        page_number(request.args.get("page")),
        current_app.config["PAGE_SIZE"],
    )
    return render_template("moderation/appeals.html", page=page)


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@roles(Role.MODERATOR)
def appeal(appeal_id: int) -> Response | tuple[str, int]:
    appeal = get_appeal_or_404(appeal_id)
    form = AppealDecisionForm()
    if request.method == "GET":
        return _appeal_page(appeal, form), 200
    if appeal.status is not AppealStatus.OPEN:
        form.form_errors.append(ALREADY_DECIDED)
        return _appeal_page(appeal, form), CONFLICT
    decided = _apply(
        form,
        lambda: appeals.decide(
            appeal, current_user, upheld=form.upheld, reason=form.reason.data or "", now=utcnow()
        ),
    )
    if not decided:
        return _appeal_page(appeal, form), FORM_REJECTED
    db.session.commit()
    flash(_decided_message(appeal), "success")
    return redirect(url_for(".appeals"), 303)


@bp.get("/report")
@roles(Role.MODERATOR)
def report() -> str:
    rules = SamplingRules.from_config()
    checks = sampling.pool_checks(rules)
    return render_template(
        "moderation/report.html",
        figures=moderation.assessor_report(),
        rules=rules,
        block=BLOCK,
        checks=checks,
        cohort_names=cohorts.names_by_id([check.pool.cohort_key for check in checks]),
    )


def _apply(form: Form, action: Callable[[], object]) -> bool:
    """Run a service action for a valid form; show a refusal at its field. True if it ran."""
    if not form.validate():
        return False
    try:
        action()
    except MarkingError as error:
        db.session.rollback()
        if error.field and error.field in form:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            form.form_errors.append(str(error))
        return False
    return True


def _reviewed_message(judgement: OutcomeJudgement) -> str:
    learner, code = judgement.learner.full_name, judgement.outcome.code
    if judgement.status is JudgementStatus.FINAL:
        return f"Confirmed: {learner} can now see the decision on {code}."
    return f"Overturned: {code} for {learner} is back with {judgement.assessor.full_name}."


def _decided_message(appeal: Appeal) -> str:
    learner, code = appeal.learner.full_name, appeal.judgement.outcome.code
    if appeal.status is AppealStatus.UPHELD:
        return f"Appeal upheld: {code} is now Competent for {learner}, who has been told."
    return f"Appeal dismissed: {learner} has been told, with your reason."


def _judgement_page(judgement: OutcomeJudgement, form: ReviewForm) -> str:
    return render_template(
        "moderation/judgement.html",
        judgement=judgement,
        answers=answers_for(judgement),
        form=form,
    )


def _appeal_page(appeal: Appeal, form: AppealDecisionForm) -> str:
    return render_template(
        "moderation/appeal.html",
        appeal=appeal,
        judgement=appeal.judgement,
        answers=answers_for(appeal.judgement),
        form=form,
    )


def answers_for(judgement: OutcomeJudgement) -> list[AnswerView]:
    """The answers to the questions serving the judged outcome (every answer when no question
    names it), each beside its marking guide and the assessor's mark."""
    attempt = judgement.attempt
    answers = [
        view
        for view in answers_of(attempt, marks_by_response(attempt))
        if view.response.question.qtype != "description"
    ]
    serving = [view for view in answers if judgement.outcome.code in view.outcome_codes]
    return serving or answers
