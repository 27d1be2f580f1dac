"""What a learner's attempt and review pages receive, built from explicit views.

The attempt page gets `LearnerQuestion`s (text and choices only); the review page gets right
answers and feedback only when the quiz's feedback setting allows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from markupsafe import Markup

from lms.assessments.attempts import field_name, parsed_question
from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.models import Attempt, AttemptState, QuizRevision, Response
from lms.assessments.question_types import LearnerQuestion, StoredAnswer, kind_of
from lms.assessments.services import QuizStatus, settings_of
from lms.assessments.text import guide_html, question_html


@dataclass(frozen=True)
class PageLink:
    number: int
    answered: bool
    current: bool


@dataclass(frozen=True)
class AttemptPage:
    attempt: Attempt
    number: int
    page_count: int
    questions: tuple[LearnerQuestion, ...]
    links: tuple[PageLink, ...]
    remaining_seconds: int | None
    question_count: int
    answered_count: int

    @property
    def last(self) -> bool:
        return self.number == self.page_count


def pages_of(attempt: Attempt) -> list[list[Response]]:
    """The attempt's responses grouped into pages, as the quiz's layout says."""
    responses = list(attempt.responses)
    if settings_of(attempt.revision).layout == "all-on-one-page" or not responses:
        return [responses]
    return [[response] for response in responses]


def clamp_page(attempt: Attempt, page: int) -> int:
    return min(max(page, 1), len(pages_of(attempt)))


def attempt_page(
    attempt: Attempt,
    page: int,
    *,
    now: datetime,
    typed: Mapping[int, StoredAnswer] | None = None,
) -> AttemptPage:
    """Page `page` (clamped to the pages there are) of an attempt in progress.

    `typed` (by response id) shows answers the learner sent but that were not saved, so a
    refused page gives back what they wrote rather than losing it.
    """
    pages = pages_of(attempt)
    page = clamp_page(attempt, page)
    numbers = question_numbers(attempt)
    counted = [r for r in attempt.responses if numbers[r.id]]
    links = tuple(
        PageLink(index, all(r.answer is not None for r in group if numbers[r.id]), index == page)
        for index, group in enumerate(pages, start=1)
    )
    return AttemptPage(
        attempt=attempt,
        number=page,
        page_count=len(pages),
        questions=tuple(
            learner_question(r, numbers[r.id], (typed or {}).get(r.id, r.answer))
            for r in pages[page - 1]
        ),
        links=links,
        remaining_seconds=attempt.remaining_seconds(now),
        question_count=len(counted),
        answered_count=sum(1 for r in counted if r.answer is not None),
    )


def question_numbers(attempt: Attempt) -> dict[int, int]:
    """Each response's question number; 0 for descriptions, which are not numbered."""
    numbers, count = {}, 0
    for response in attempt.responses:
        if response.question.qtype == "description":
            numbers[response.id] = 0
        else:
            count += 1
            numbers[response.id] = count
    return numbers


def learner_question(response: Response, number: int, answer: StoredAnswer) -> LearnerQuestion:
    """One question as the learner sees it: built from its text and choices, nothing else."""
    parsed = parsed_question(response.question)
    return kind_of(parsed).learner_view(
        parsed,
        number=number,
        field=field_name(response),
        order=response.choice_order,
        answer=answer,
    )


@dataclass(frozen=True)
class ReviewItem:
    number: int
    html: Markup
    type: str
    your_answer: str
    outcome: str | None
    points: float | None
    max_points: float
    right_answer: str | None = None
    feedback: tuple[Markup, ...] = ()
    general_feedback: Markup | None = None


@dataclass(frozen=True)
class AttemptReview:
    attempt: Attempt
    status: QuizStatus
    feedback_visible: bool
    items: tuple[ReviewItem, ...]
    overall_feedback: str | None

    @property
    def awaiting_marking(self) -> bool:
        return self.attempt.state is AttemptState.AWAITING_MARKING


def review_of(attempt: Attempt, status: QuizStatus) -> AttemptReview:
    """A finished attempt as its learner may see it now."""
    visible = status.feedback_visible(attempt)
    numbers = question_numbers(attempt)
    items = tuple(
        _review_item(response, numbers[response.id], visible) for response in attempt.responses
    )
    return AttemptReview(attempt, status, visible, items, _overall_feedback(attempt, status))


def _review_item(response: Response, number: int, visible: bool) -> ReviewItem:
    parsed = parsed_question(response.question)
    kind = kind_of(parsed)
    item = ReviewItem(
        number=number,
        html=question_html(parsed.text, parsed.format),
        type=parsed.type,
        your_answer=kind.describe_answer(parsed, response.answer) if kind.counts else "",
        outcome=response.outcome if kind.counts else None,
        points=response.points,
        max_points=response.max_points,
    )
    if not visible or not kind.counts:
        return item
    general = parsed.general_feedback
    return replace(
        item,
        right_answer=kind.right_answer(parsed),
        feedback=tuple(question_html(line, parsed.format) for line in response.feedback),
        general_feedback=question_html(general, parsed.format) if general else None,
    )


def _overall_feedback(attempt: Attempt, status: QuizStatus) -> str | None:
    if attempt.percent is None:
        return None
    bands = sorted(status.settings.overall_feedback, key=lambda band: band.min, reverse=True)
    return next((band.text for band in bands if attempt.percent >= band.min), None)


@dataclass(frozen=True)
class StaffQuestion:
    """A question with everything staff may see: key, feedback, outcomes, marking guide."""

    position: int
    question: ParsedQuestion
    html: Markup
    right_answer: str
    outcome_codes: tuple[str, ...]
    marking_guide: Markup | None


def staff_questions(revision: QuizRevision) -> list[StaffQuestion]:
    """The revision's questions as a trainer or assessor previews them."""
    shown = []
    for question in revision.questions:
        parsed = parsed_question(question)
        shown.append(
            StaffQuestion(
                position=question.position,
                question=parsed,
                html=question_html(parsed.text, parsed.format),
                right_answer=kind_of(parsed).right_answer(parsed),
                outcome_codes=tuple(question.outcome_codes),
                marking_guide=guide_html(guide) if (guide := question.marking_guide) else None,
            )
        )
    return shown
