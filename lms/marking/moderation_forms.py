"""Forms of the moderator's pages: checking a sampled judgement and deciding an appeal."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import Length

from lms.forms import Form
from lms.marking.appeals import REASON_LIMIT
from lms.marking.models import ReviewVerdict

UPHOLD, DISMISS = "upheld", "dismissed"


def _reason(label: str, description: str) -> TextAreaField:
    # Whether a reason is needed depends on the decision: the service says so, at this field.
    return TextAreaField(
        label,
        validators=[Length(max=REASON_LIMIT)],
        description=f"{description} At most {REASON_LIMIT} characters.",
        render_kw={"rows": 6},
    )


class ReviewForm(Form):
    """Confirm or overturn a sampled judgement; an overturn needs a reason."""

    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice(ReviewVerdict.CONFIRMED.value, "Confirm: the judgement stands"),
            SelectChoice(
                ReviewVerdict.OVERTURNED.value, "Overturn: return it to the assessor to judge again"
            ),
        ],
        invalid_choice_message="Choose Confirm or Overturn.",
    )
    reason = _reason("Reason", "Required when you overturn: the assessor reads it.")

    @property
    def verdict(self) -> ReviewVerdict:
        return ReviewVerdict(self.decision.data)


class AppealDecisionForm(Form):
    """Uphold or dismiss a learner's appeal, always with a reason the learner reads."""

    decision = RadioField(
        "Your decision",
        choices=[
            SelectChoice(UPHOLD, "Uphold: the outcome becomes Competent"),
            SelectChoice(DISMISS, "Dismiss: the Not Yet Competent stands"),
        ],
        invalid_choice_message="Choose Uphold or Dismiss.",
    )
    reason = _reason("Reason for the learner", "The learner reads this with your decision.")

    @property
    def upheld(self) -> bool:
        return self.decision.data == UPHOLD
