"""The attempt page's form: where to go next, plus the answers, read per question type."""

from __future__ import annotations

from flask import request
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from lms.assessments.question_types import InvalidAnswer
from lms.forms import CONTROL_CHARACTERS, Form

MAX_PAGES = 999
# "next", "previous", "stay", "finish" (the summary before submitting), "submit" (sent by the
# page's clock when time runs out) or a page number.
DESTINATION = r"^(next|previous|stay|finish|submit|[1-9][0-9]{0,2})$"


class AttemptPageForm(Form):
    """The page being saved and where the learner asked to go; answers are read separately."""

    page = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_PAGES)])
    go = StringField(validators=[Optional(), Regexp(DESTINATION, message="Unknown destination.")])

    def answer_values(self, name: str) -> list[str]:
        """The posted values of one answer field; control characters are refused."""
        values = request.form.getlist(name)
        if any(CONTROL_CHARACTERS.search(value) for value in values):
            raise InvalidAnswer(
                "the answer contained characters that are not allowed; they are removed below, "
                "so check the answer and save again"
            )
        return values

    def answer_values_cleaned(self, name: str) -> list[str]:
        """The posted values without control characters: what to show back on a refused page."""
        return [CONTROL_CHARACTERS.sub("", value) for value in request.form.getlist(name)]

    def destination(self, page_count: int) -> int | str:
        """The page to show next, or "finish" or "submit"."""
        current, go = self.page.data or 1, self.go.data or "stay"
        if go in ("finish", "submit"):
            return go
        if go == "next":
            return min(current + 1, page_count)
        if go == "previous":
            return max(current - 1, 1)
        if go == "stay":
            return current
        return min(int(go), page_count)


class SubmitAttemptForm(Form):
    """ "Submit all and finish": a CSRF-protected button and nothing else."""
