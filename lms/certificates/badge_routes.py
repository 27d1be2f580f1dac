"""Open Badges 2.0 hosted assertions: each certificate as a badge a backpack can check."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("badges", __name__, url_prefix="/badges")
