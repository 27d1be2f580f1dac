"""A cohort's progress: the matrix of learners and modules, completion over time, who is
overdue and who is floor ready."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from lms.auth.access import roles
from lms.auth.roles import Role
from lms.cohorts import charts, services
from lms.cohorts.matrix import DayShare, Matrix, cohort_matrix
from lms.cohorts.models import Cohort
from lms.cohorts.standing import Stage
from lms.database import is_row_id, utcnow

bp = Blueprint("cohort_progress", __name__, url_prefix="/cohorts")

PROGRESS_READERS = (Role.TRAINER, Role.ASSESSOR, Role.HR, Role.ADMIN)
# Staff whose every look at one of the cohort's learners' records is allowed (an assessor
# reads only the modules they mark, so their matrix cells are not links).
CELL_LINK_ROLES = (Role.TRAINER, Role.HR, Role.ADMIN)


@bp.get("/<int:cohort_id>/progress")
@roles(*PROGRESS_READERS)
def progress(cohort_id: int) -> str:
    """The cohort's matrix, charts, overdue learners and floor readiness."""
    cohort = _visible_cohort_or_404(cohort_id)
    matrix = cohort_matrix(cohort, now=utcnow())
    series = matrix.completion_series()
    return render_template(
        "cohorts/progress.html",
        cohort=cohort,
        matrix=matrix,
        stages=list(Stage),
        series=series,
        completion_chart=_completion_chart(matrix, series),
        stage_chart=_stage_chart(matrix),
        link_cells=current_user.has_role(*CELL_LINK_ROLES),
        index_url=_optional_url("cohorts.index"),
        detail_url=_optional_url("cohorts.detail", cohort_id=cohort.id),
    )


def _visible_cohort_or_404(cohort_id: int) -> Cohort:
    cohort = services.find_cohort(cohort_id) if is_row_id(cohort_id) else None
    if cohort is None or not services.can_view(current_user, cohort):
        abort(404)
    return cohort


def _optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page that may not be part of this installation yet."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def _completion_chart(matrix: Matrix, series: list[DayShare]) -> Markup:
    points = [
        charts.Point(share.day, share.percent, f"{share.complete} of {share.total} complete")
        for share in series
    ]
    latest = f"{series[-1].percent:.0f}%" if series else "nothing yet"
    return charts.completion_chart(
        points,
        chart_id="completion-chart",
        title=f"{matrix.cohort.name}: modules complete over time",
        desc=(
            "The share of learner-module pairs complete at the end of each day since the "
            f"cohort started; today {latest}. The table below gives the numbers."
        ),
    )


def _stage_chart(matrix: Matrix) -> Markup:
    bars = [
        charts.Bar(column.module.code, column.module.title, counts)
        for column, counts in matrix.stage_counts()
    ]
    return charts.stage_bars(
        bars,
        chart_id="stage-chart",
        title=f"{matrix.cohort.name}: learners at each stage, per module",
        desc="; ".join(
            f"{bar.label} {bar.percent_complete}% complete: "
            + ", ".join(f"{bar.counts[s]} {s.label}" for s in Stage if bar.counts.get(s))
            for bar in bars
        ),
    )
