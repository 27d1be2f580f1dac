"""Cohort pages: list, create and edit cohorts; enrol, import, move and withdraw learners."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
