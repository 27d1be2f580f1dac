"""HR's completion records with filters and paging, their CSV and XLSX exports, and one
learner's transcript as a page and a PDF."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/records")
