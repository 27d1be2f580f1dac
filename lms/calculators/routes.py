"""The service-level calculator: a GET form, so it works without JavaScript and is linkable."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.datastructures import MultiDict

from lms.auth.access import signed_in
from lms.calculators import erlang
from lms.calculators.forms import ServiceLevelForm
from lms.calculators.planning import Plan, plan

bp = Blueprint("calculators", __name__, url_prefix="/tools")

# A Vela Mobile half hour from the service-level lessons: what the page shows at first.
EXAMPLE = MultiDict(
    {
        "calls": "240",
        "handle_seconds": "300",
        "interval_minutes": "30",
        "target_percent": "80",
        "target_seconds": "20",
    }
)


@bp.get("/service-level")
@signed_in
def service_level() -> tuple[str, int]:
    form = ServiceLevelForm(request.args if request.args else EXAMPLE)
    result: Plan | None = None
    problem = None
    if form.validate():
        try:
            result = plan(form.question())
        except erlang.TooManyAgents as error:
            problem = f"These figures need {error}; check the calls and the interval length."
    status = 200 if result else 422
    return render_template(
        "calculators/service_level.html", form=form, plan=result, problem=problem
    ), status
