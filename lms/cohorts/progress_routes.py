"""A cohort's progress: the matrix of learners and modules, completion over time, who is
overdue and who is floor ready."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cohort_progress", __name__, url_prefix="/cohorts")
