"""What the marking page shows: each answer beside its guide and outcomes, and the outcomes
to judge with whatever the assessor saved or decided before."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from lms.assessments.attempts import parsed_question
from lms.assessments.models import Attempt, Response
from lms.assessments.question_types import kind_of
from lms.assessments.text import guide_html, question_html
from lms.content.models import Outcome
from lms.marking import judging, services
from lms.marking.models import Marking, OutcomeJudgement, ResponseMark


@dataclass(frozen=True)
class AnswerView:
    response: Response
    number: int
    html: Markup
    answer: str
    guide: Markup | None
    outcome_codes: tuple[str, ...]
    mark: ResponseMark | None
    auto_marked: bool

    @property
    def position(self) -> int:
        return self.response.position


@dataclass(frozen=True)
class OutcomeView:
    outcome: Outcome
    draft: OutcomeJudgement | None  # what the assessor saved, not yet final
    decided: OutcomeJudgement | None  # already decided in this attempt (in sample or final)
    returned: OutcomeJudgement | None  # overturned by a moderator: the reason is in reviews
    earlier: list[OutcomeJudgement]  # decisions on this outcome in earlier attempts

    @property
    def open(self) -> bool:
        return self.decided is None


@dataclass(frozen=True)
class MarkingPage:
    attempt: Attempt
    marking: Marking | None
    answers: list[AnswerView]
    outcomes: list[OutcomeView]
    already_competent: list[Outcome]  # Competent from an earlier attempt: not judged again
    knowledge_check: Attempt | None
    earlier_attempts: list[Attempt]

    @property
    def open_outcomes(self) -> list[Outcome]:
        return [view.outcome for view in self.outcomes if view.open]


def answers_of(attempt: Attempt, marks: dict[int, ResponseMark]) -> list[AnswerView]:
    views, number = [], 0
    for response in attempt.responses:
        question = parsed_question(response.question)
        kind = kind_of(question)
        if kind.counts:
            number += 1
        views.append(
            AnswerView(
                response=response,
                number=number,
                html=question_html(question.text, question.format),
                answer=kind.describe_answer(question, response.answer),
                guide=guide_html(guide) if (guide := response.question.marking_guide) else None,
                outcome_codes=tuple(response.question.outcome_codes),
                mark=marks.get(response.id),
                auto_marked=kind.auto_marked or not kind.counts,
            )
        )
    return views


def marking_page(attempt: Attempt, marking: Marking | None) -> MarkingPage:
    to_judge = judging.outcomes_to_judge(attempt)
    judgements = judging.judgements_of_learner(
        attempt.user_id, [o.id for o in judging.quiz_outcomes(attempt)]
    )
    drafts, decided = judging.drafts_of(attempt), judging.decided(attempt)
    returned = {j.outcome_id: j for j in services.overturned_judgements(attempt)}
    outcomes = [
        OutcomeView(
            outcome,
            drafts.get(outcome.id),
            decided.get(outcome.id),
            returned.get(outcome.id),
            [
                j
                for j in judgements
                if j.outcome_id == outcome.id
                and j.attempt_id != attempt.id
                and j.finalised_at is not None
            ],
        )
        for outcome in to_judge
    ]
    judged_ids = {o.id for o in to_judge}
    return MarkingPage(
        attempt=attempt,
        marking=marking,
        answers=answers_of(attempt, services.marks_by_response(attempt)),
        outcomes=outcomes,
        already_competent=[o for o in judging.quiz_outcomes(attempt) if o.id not in judged_ids],
        knowledge_check=judging.knowledge_check_result(attempt),
        earlier_attempts=judging.earlier_attempts(attempt),
    )
