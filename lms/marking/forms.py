"""The marking form: a fixed part (version, action) and fields named after each answer and
outcome, read here into a `MarkingInput` with an error message per field."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from lms.content.models import Outcome
from lms.forms import CONTROL_CHARACTERS, Form, QueryForm
from lms.marking.models import Verdict
from lms.marking.services import MarkingInput, OutcomeInput

TEXT_LIMIT = 4000
VERDICTS = {"competent": Verdict.COMPETENT, "not-yet-competent": Verdict.NOT_YET_COMPETENT}

FormValues = Callable[[str], list[str]]  # every value posted under a field name


class MarkingForm(Form):
    version = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    action = StringField(validators=[InputRequired(), AnyOf(["save", "finalise"])])


class TakeForm(Form):
    """A button only (take or hand back a marking): its CSRF token is the whole form."""


class ReasonForm(Form):
    reason = TextAreaField(
        "Why you think the judgement is wrong",
        validators=[
            InputRequired(message="Say why you think the judgement is wrong."),
            Length(max=TEXT_LIMIT),
        ],
    )


class UnlockForm(Form):
    reason = TextAreaField(
        "Why one more attempt (optional)", validators=[Optional(), Length(max=TEXT_LIMIT)]
    )


class QueueFilterForm(QueryForm):
    module = SelectField("Module", coerce=str, default="")
    waiting = IntegerField(
        "Waiting at least (days)", validators=[Optional(), NumberRange(min=0, max=3650)]
    )


def score_field(position: int) -> str:
    return f"score-{position}"


def comment_field(name: str | int) -> str:
    return f"comment-{name}"


def verdict_field(code: str) -> str:
    return f"verdict-{code}"


def evidence_field(code: str) -> str:
    return f"evidence-{code}"


def read_marking(
    values: FormValues,
    posted: Iterable[str],
    version: int,
    responses: Sequence[tuple[int, int, float]],  # (response id, position, max points)
    outcomes: Sequence[Outcome],
) -> tuple[MarkingInput, dict[str, str]]:
    """The marking as given, and a message per field that could not be read.

    `posted` is every field name sent: a judgement of an outcome that is not open in this
    attempt (another module's, or one already decided) is refused, not ignored.
    """
    errors: dict[str, str] = {}
    open_codes = {outcome.code for outcome in outcomes}
    for name in posted:
        code = name.removeprefix("verdict-")
        if name.startswith("verdict-") and code not in open_codes:
            errors[""] = f"{code[:40]} is not an outcome to judge in this attempt."
    scores: dict[int, float | None] = {}
    comments: dict[int, str] = {}
    for response_id, position, max_points in responses:
        raw = _one(values, score_field(position), errors)
        scores[response_id] = _score(raw, max_points, score_field(position), errors)
        comments[response_id] = _text(values, comment_field(position), errors)
    judged: dict[str, OutcomeInput] = {}
    for outcome in outcomes:
        raw = _one(values, verdict_field(outcome.code), errors)
        if raw and raw not in VERDICTS:
            errors[verdict_field(outcome.code)] = "Choose Competent or Not Yet Competent."
        judged[outcome.code] = OutcomeInput(
            VERDICTS.get(raw),
            _text(values, comment_field(outcome.code), errors),
            _text(values, evidence_field(outcome.code), errors),
        )
    return MarkingInput(version, scores, comments, judged), errors


def _one(values: FormValues, name: str, errors: dict[str, str]) -> str:
    given = values(name)
    if len(given) > 1:
        errors[name] = "This was sent more than once."
        return ""
    text = given[0].strip() if given else ""
    if CONTROL_CHARACTERS.search(text):
        errors[name] = "This contains characters that are not allowed."
        return ""
    return text


def _text(values: FormValues, name: str, errors: dict[str, str]) -> str:
    text = _one(values, name, errors).replace("\r\n", "\n")
    if len(text) > TEXT_LIMIT:
        errors[name] = f"Keep this under {TEXT_LIMIT} characters."
    return text


def _score(raw: str, max_points: float, name: str, errors: dict[str, str]) -> float | None:
    if not raw:
        return None
    try:
        score = float(raw.replace(",", "."))
    except ValueError:
        errors[name] = "Give the score as a number, such as 1 or 0.5."
        return None
    if not math.isfinite(score) or not 0 <= score <= max_points:
        errors[name] = f"Give a score from 0 to {max_points:g}."
        return None
    return score
