"""Question types: one small class per type, looked up by name with `kind_of`.

Every type answers the same questions: how many choices it shuffles, what a learner's page
shows (never the key), how a submitted form becomes a stored answer, how that answer is
graded, and how the right answer reads on the review page.
"""

from lms.assessments.question_types.base import (
    MAX_TEXT_ANSWER,
    QUESTION_KINDS,
    Choice,
    FormValues,
    InvalidAnswer,
    LearnerQuestion,
    Prompt,
    QuestionKind,
    StoredAnswer,
    kind_of,
)
from lms.assessments.question_types.choices import matching_options
from lms.assessments.question_types.typed import normalise_words, read_number

__all__ = [
    "MAX_TEXT_ANSWER",
    "QUESTION_KINDS",
    "Choice",
    "FormValues",
    "InvalidAnswer",
    "LearnerQuestion",
    "Prompt",
    "QuestionKind",
    "StoredAnswer",
    "kind_of",
    "matching_options",
    "normalise_words",
    "read_number",
]
