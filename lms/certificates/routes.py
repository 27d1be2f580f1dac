"""Certificate pages for signed-in users: downloads, and the register HR and administrators
keep (filters, a certificate's page, revocation, the CSV export and the ZIP of PDFs)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from lms import audit
from lms.auth.access import roles, signed_in
from lms.auth.roles import Role
from lms.certificates import register as certificate_register
from lms.certificates import revocation, services, storage
from lms.certificates.models import Certificate
from lms.certificates.register_forms import RegisterFilterForm, RevokeForm, ZipForm
from lms.certificates.zips import certificate_zip
from lms.database import utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.pagination import page_number, paginate
from lms.spreadsheets import csv_lines
from lms.urls import external_url

bp = Blueprint("certificates", __name__, url_prefix="/certificates")

REGISTER_KEEPERS = (Role.HR, Role.ADMIN)


@bp.get("/<code>.pdf")
@signed_in
def download(code: str) -> Response:
    """The stored PDF: the learner's own, or any for HR, admin and trainers.

    Its SHA-256 is its ETag, so a browser asking again gets 304 Not Modified. The file is read
    whole (certificates are tens of kilobytes): quicker than streaming it, on the busiest
    certificate path.
    """
    stored = services.stored_pdf_for(current_user, code)
    if stored is None:
        abort(404)
    try:
        pdf = storage.path_of(stored.pdf_name).read_bytes()
    except FileNotFoundError:
        abort(410)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename={stored.download_name}"
    response.set_etag(stored.sha256)
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/")
@roles(*REGISTER_KEEPERS)
def register() -> tuple[str, int]:
    """Every certificate, newest first, narrowed by the filters."""
    form = _filter_form(request.args)
    if not form.validate():
        return render_template("certificates/register.html", form=form, page=None), 400
    now = utcnow()
    query = certificate_register.register_query(form.criteria(_zone()), now=now)
    page = paginate(query, page_number(request.args.get("page")), current_app.config["PAGE_SIZE"])
    count, size = certificate_register.totals(query)
    return render_template(
        "certificates/register.html",
        form=form,
        page=page,
        count=count,
        size=size,
        now=now,
        zip_form=ZipForm(formdata=None),
        subject_label=certificate_register.subject_label,
    ), 200


@bp.get("/<code>")
@roles(*REGISTER_KEEPERS)
def detail(code: str) -> str:
    return _render_detail(_certificate_or_404(code), RevokeForm(formdata=None))


@bp.post("/<code>/revoke")
@roles(*REGISTER_KEEPERS)
def revoke(code: str) -> Response | tuple[str, int]:
    certificate = _certificate_or_404(code)
    form = RevokeForm()
    if not form.validate():
        return _render_detail(certificate, form), FORM_REJECTED
    try:
        revocation.revoke(certificate, current_user, form.reason.data or "", now=utcnow())
    except revocation.CertificateError as refused:
        db.session.rollback()
        if refused.field == "reason":
            form.reason.errors = [*form.reason.errors, str(refused)]
        else:
            form.form_errors.append(str(refused))
        return _render_detail(certificate, form), FORM_REJECTED
    db.session.commit()
    flash(f"Certificate {certificate.code} is revoked. It stays in the register.")
    return redirect(url_for(".detail", code=certificate.code), 303)


@bp.get("/export.csv")
@roles(*REGISTER_KEEPERS)
def export_csv() -> Response | tuple[str, int]:
    """The filtered register as CSV, streamed row by row; the export is audited."""
    form = _filter_form(request.args)
    if not form.validate():
        return render_template("certificates/register.html", form=form, page=None), 400
    now, zone = utcnow(), _zone()
    criteria = form.criteria(zone)
    query = certificate_register.register_query(criteria, now=now)
    rows, _size = certificate_register.totals(query)
    details = {"filters": criteria.described(), "rows": rows}
    audit.record("certificates.exported", actor=current_user, details=details)
    db.session.commit()
    lines = csv_lines(
        certificate_register.EXPORT_COLUMNS,
        certificate_register.export_rows(query, now=now, zone=zone),
    )
    filename = f"certificates-{now.astimezone(zone):%Y-%m-%d}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/download.zip")
@roles(*REGISTER_KEEPERS)
def download_zip() -> Response:
    """The stored PDFs of the ticked certificates, or of all that match the filters, as one
    streamed ZIP whose length is sent first (so a browser can show progress)."""
    form, filters = ZipForm(), _filter_form(request.form)
    back = redirect(url_for(".register", **_filled(filters.carried())), 303)
    if not form.validate() or (form.all.data and not filters.validate()):
        flash(_first_error(form) or _first_error(filters) or "Check the filters and try again.")
        return back
    if form.all.data:
        query = certificate_register.register_query(filters.criteria(_zone()), now=utcnow())
    else:
        query = certificate_register.chosen_query(form.code.data or [])
    archive = certificate_zip(db.session.scalars(query.execution_options(yield_per=500)))
    if archive.count == 0 and not archive.missing:
        flash("No certificates were chosen: tick some, or download all that match.")
        return back
    details = {"count": archive.count, "missing": archive.missing, "all": bool(form.all.data)}
    audit.record("certificates.downloaded", actor=current_user, details=details)
    db.session.commit()
    filename = f"certificates-{utcnow().astimezone(_zone()):%Y-%m-%d}.zip"
    return Response(
        archive.stream,
        mimetype="application/zip",
        headers={
            "Content-Length": str(len(archive)),
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.app_template_global()
def certificate_share_url(code: str) -> str:
    """The absolute address of a certificate's public verification page, to share."""
    return external_url("verification.verify_code", code=code)


def _render_detail(certificate: Certificate, form: RevokeForm) -> str:
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        status=certificate.status(utcnow()),
        form=form,
        subject=certificate_register.subject_label(certificate),
        stored=storage.path_of(certificate.pdf_name).is_file(),
    )


def _certificate_or_404(code: str) -> Certificate:
    certificate = services.find_by_code(code)
    if certificate is None:
        abort(404)
    return certificate


def _filter_form(values: MultiDict[str, str]) -> RegisterFilterForm:
    form = RegisterFilterForm(values)
    subjects = certificate_register.subject_choices()
    form.subject.choices = [SelectChoice("", "Any subject"), *(SelectChoice(*s) for s in subjects)]
    cohorts = certificate_register.cohort_choices()
    form.cohort.choices = [SelectChoice("", "Any cohort"), *(SelectChoice(*c) for c in cohorts)]
    return form


def _filled(values: dict[str, str]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value}


def _first_error(form: ZipForm | RegisterFilterForm) -> str | None:
    for field in form:
        if field.errors and field.name == "csrf_token":
            return "The form had expired or did not come from this site. Please try again."
        if field.errors:
            return f"{field.label.text}: {field.errors[0]}"
    return None


def _zone() -> tzinfo:
    return ZoneInfo(current_app.config["TIMEZONE"])
