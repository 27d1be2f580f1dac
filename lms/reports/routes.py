"""HR's completion records with filters and paging, their CSV and XLSX exports, and one
learner's transcript as a page and a PDF.

HR and administrators read every record; a trainer reads those of the learners placed in their
cohorts, and a transcript of a learner they do not reach answers 404 (so its existence is not
revealed). A learner reads only their own transcript, at /records/me.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from lms import audit
from lms.auth.access import roles
from lms.auth.models import User
from lms.auth.roles import Role
from lms.cohorts import services as cohorts
from lms.database import is_row_id, utcnow
from lms.extensions import db
from lms.pagination import page_number
from lms.reports import exports
from lms.reports.forms import RecordFilterForm
from lms.reports.records import (
    cohort_choices,
    iter_records,
    module_choices,
    records_page,
    scope_for,
)
from lms.reports.transcript import has_records, transcript_document, transcript_filename

bp = Blueprint("reports", __name__, url_prefix="/records")

RECORD_READERS = (Role.HR, Role.ADMIN, Role.TRAINER)


@bp.get("/")
@roles(*RECORD_READERS)
def records() -> tuple[str, int]:
    """The completion records, one row per learner and module, narrowed by the filters."""
    form = _filter_form(request.args)
    if not form.validate():
        return _render_records(form, page=None), 400
    now, zone = utcnow(), _zone()
    page = records_page(
        form.criteria(),
        scope_for(current_user),
        number=page_number(request.args.get("page")),
        size=current_app.config["PAGE_SIZE"],
        now=now,
        zone=zone,
    )
    return _render_records(form, page=page), 200


@bp.get("/export.csv")
@roles(*RECORD_READERS)
def export_csv() -> Response | tuple[str, int]:
    """The filtered records as CSV, streamed; audited with the rows sent when it ends."""
    return _export("csv")


@bp.get("/export.xlsx")
@roles(*RECORD_READERS)
def export_xlsx() -> Response | tuple[str, int]:
    """The filtered records as XLSX, written row by row and then streamed; audited."""
    return _export("xlsx")


@bp.get("/learners/<int:learner_id>")
@roles(*RECORD_READERS)
def transcript(learner_id: int) -> str:
    learner = _reachable_learner_or_404(learner_id)
    return _render_transcript(learner, own=False)


@bp.get("/learners/<int:learner_id>/transcript.pdf")
@roles(*RECORD_READERS)
def transcript_pdf(learner_id: int) -> Response:
    learner = _reachable_learner_or_404(learner_id)
    response = _transcript_pdf(learner)
    audit.record("transcript.exported", actor=current_user, target=learner)
    db.session.commit()
    return response


@bp.get("/me")
@roles(Role.LEARNER)
def my_transcript() -> str:
    return _render_transcript(current_user, own=True)


@bp.get("/me/transcript.pdf")
@roles(Role.LEARNER)
def my_transcript_pdf() -> Response:
    return _transcript_pdf(current_user)


# --- Records ----------------------------------------------------------------------------------


def _filter_form(values: MultiDict[str, str]) -> RecordFilterForm:
    form = RecordFilterForm(values)
    form.offer(
        cohort_choices(current_user),
        module_choices(),
        self_paced=scope_for(current_user).everyone,
    )
    return form


def _render_records(form: RecordFilterForm, *, page: object) -> str:
    return render_template("reports/records.html", form=form, page=page, filled=form.carried())


def _export(fmt: str) -> Response | tuple[str, int]:
    form = _filter_form(request.args)
    if not form.validate():
        return _render_records(form, page=None), 400
    now, zone = utcnow(), _zone()
    criteria = form.criteria()
    rows = iter_records(criteria, scope_for(current_user), now=now, zone=zone)
    actor, today = current_user._get_current_object(), now.astimezone(zone).date()
    if fmt == "xlsx":
        return exports.xlsx_download(rows, criteria, actor=actor, today=today)
    return exports.csv_download(rows, criteria, actor=actor, today=today)


# --- Transcripts ------------------------------------------------------------------------------


def _reachable_learner_or_404(learner_id: int) -> User:
    """The learner, if the signed-in member of staff may read their records; else 404."""
    learner = db.session.get(User, learner_id) if is_row_id(learner_id) else None
    if learner is None or not has_records(learner):
        abort(404)
    if not cohorts.reaches_learner(current_user, learner.id):
        abort(404)
    return learner


def _render_transcript(learner: User, *, own: bool) -> str:
    document = transcript_document(learner, now=utcnow(), zone=_zone())
    return render_template(
        "reports/transcript.html", transcript=document, learner_id=learner.id, own=own
    )


def _transcript_pdf(learner: User) -> Response:
    # Imported here: PDF rendering loads WeasyPrint, which no other page needs.
    from lms.pdf import PdfUnavailable, render_pdf

    now, zone = utcnow(), _zone()
    html = render_template(
        "reports/transcript_pdf.html",
        transcript=transcript_document(learner, now=now, zone=zone),
        timezone=current_app.config["TIMEZONE"],
    )
    try:
        pdf = render_pdf(html)
    except PdfUnavailable as missing:
        abort(503, description=str(missing))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{transcript_filename(learner, now, zone)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])
