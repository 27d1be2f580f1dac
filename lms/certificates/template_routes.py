"""Settings for the certificate's wording and logo, with a preview."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.auth.access import roles
from lms.auth.roles import Role
from lms.certificates import template_settings
from lms.certificates.models import CertificateTemplate
from lms.certificates.rendering import current_template, logo_url, render_certificate
from lms.certificates.template_forms import TemplateForm
from lms.database import utcnow
from lms.extensions import db
from lms.forms import FORM_REJECTED
from lms.pdf import PdfUnavailable

bp = Blueprint("certificate_template", __name__, url_prefix="/certificates/template")

TEMPLATE_EDITORS = (Role.TRAINER, Role.ADMIN)


@bp.route("", methods=["GET", "POST"])
@roles(*TEMPLATE_EDITORS)
def edit() -> Response | str | tuple[str, int]:
    template = current_template()
    if request.method == "GET":
        return _render_edit(TemplateForm(formdata=None, obj=template), template)
    form = TemplateForm()
    if not form.validate_with_upload(request.files):
        return _render_edit(form, template), FORM_REJECTED
    template_settings.save_template(
        form.wording(),
        logo=form.logo_upload,
        remove_logo=form.remove_logo.data,
        actor=current_user,
        now=utcnow(),
    )
    db.session.commit()
    flash("Certificate template saved. Certificates issued from now on use it.")
    return redirect(url_for(".edit"), 303)


@bp.get("/preview.pdf")
@roles(*TEMPLATE_EDITORS)
def preview() -> Response:
    """A specimen certificate with the saved wording and logo."""
    return _specimen_pdf(current_template())


@bp.post("/preview")
@roles(*TEMPLATE_EDITORS)
def preview_draft() -> Response | tuple[str, int]:
    """A specimen certificate with the wording as typed, saving nothing."""
    form = TemplateForm()
    if not form.validate():
        return _render_edit(form, current_template()), FORM_REJECTED
    return _specimen_pdf(template_settings.preview_template(form.wording(), current_template()))


def _specimen_pdf(template: CertificateTemplate) -> Response:
    values = template_settings.specimen_values(template, now=utcnow())
    try:
        pdf = render_certificate(values)
    except PdfUnavailable as missing:
        abort(503, description=f"The preview cannot be made on this server. {missing}")
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="certificate-specimen.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _render_edit(form: TemplateForm, template: CertificateTemplate) -> str:
    logo = logo_url(template)
    if not logo.startswith("data:"):
        logo = url_for("static", filename=logo)  # the PDF names it relative to static/
    return render_template(
        "certificates/template_edit.html", form=form, template=template, logo_src=logo
    )
