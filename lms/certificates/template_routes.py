"""Settings for the certificate's wording and logo, with a preview."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("certificate_template", __name__, url_prefix="/certificates/template")
