"""`lms demo` leaves learners at every stage of marking, on the shipped programme, once."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from lms.assessments.attempts import read_answers
from lms.assessments.models import Attempt, AttemptState, Question, Quiz, Response
from lms.assessments.question_types import kind_of
from lms.assessments.services import SUMMATIVE, knowledge_check_passed
from lms.auth.models import User
from lms.cli import main
from lms.cohorts.demo import COHORT_DEMO_ACCOUNTS
from lms.content.models import Module
from lms.database import utcnow
from lms.demo import DEMO_ACCOUNTS
from lms.extensions import db
from lms.marking import appeals, judging, marking_queue, moderation
from lms.marking.demo import MARKING_DEMO_LEARNERS
from lms.marking.demo_answers import LINDIWE, right_answer_form
from lms.marking.marking_queue import QueueFilter
from lms.marking.models import JudgementStatus, SampleRule, Verdict
from tests.programme import shipped


def run_demo(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(main, ["demo", *args])
    assert result.exit_code == 0, result.output
    return result


def user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None, email
    return found


def summatives_of(email: str) -> list[Attempt]:
    query = (
        select(Attempt)
        .join(Attempt.quiz)
        .join(Quiz.module)
        .where(Attempt.user_id == user(email).id, Module.code == "M1")
        .order_by(Attempt.number)
    )
    return [a for a in db.session.scalars(query) if a.revision.kind == SUMMATIVE]


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        return counts


def test_the_demo_leaves_work_at_every_stage_once(app: Flask) -> None:
    """One run of the command gives each role real work; a second run changes no row count.
    (The certificate demo adds two learners: tests/certificates/test_demo_certificates.py.)"""
    first = run_demo(app)
    with app.app_context():
        learners_passed_the_knowledge_check_by_its_key(first.output)
        the_assessor_has_a_first_submission_and_a_resubmission_waiting()
        the_resubmission_is_prefilled_and_judged_only_on_the_nyc_outcome()
        the_moderator_has_a_sample_and_an_appeal_to_decide()
        db.session.remove()
    counts = row_counts(app)
    assert counts["appeals"] == 1
    # + Naledi and Sibusiso (the certificate demo), and the cohort demo's people
    extra = 2 + len(COHORT_DEMO_ACCOUNTS)
    assert counts["users"] == len(DEMO_ACCOUNTS) + len(MARKING_DEMO_LEARNERS) + extra
    again = run_demo(app, "--json")
    assert json.loads(again.stdout)["content"]["created"] == 0
    assert row_counts(app) == counts


def learners_passed_the_knowledge_check_by_its_key(output: str) -> None:
    """The knowledge check opens the summative only when passed: the keyed answers did it."""
    assert "Marking demo: 4 learners at each marking stage" in output
    m1 = db.session.scalar(select(Module.id).where(Module.code == "M1"))
    assert m1 is not None
    for learner in MARKING_DEMO_LEARNERS:
        assert learner.email in output
        assert knowledge_check_passed(user(learner.email), m1)
        assert summatives_of(learner.email)[0].state is not AttemptState.IN_PROGRESS


def the_assessor_has_a_first_submission_and_a_resubmission_waiting() -> None:
    priya = user("assessor@example.com")
    now = utcnow()
    queue = list(db.session.scalars(marking_queue.queue_query(priya, QueueFilter(), now=now)))
    assert [(a.user.email, a.number) for a in queue] == [
        ("lindiwe@example.com", 2),  # resubmitted five days ago: oldest first
        ("kabelo@example.com", 1),
    ]
    older = QueueFilter(waiting_days=4)
    waiting = db.session.scalars(marking_queue.queue_query(priya, older, now=now)).all()
    assert [a.user.email for a in waiting] == ["lindiwe@example.com"]
    modules = db.session.scalar(select(func.count()).select_from(Module)) or 0
    assert len(marking_queue.assigned_module_ids(priya)) == modules


def the_resubmission_is_prefilled_and_judged_only_on_the_nyc_outcome() -> None:
    first, second = summatives_of("lindiwe@example.com")
    assert first.state is AttemptState.MARKED and first.passed is False
    assert second.state is AttemptState.AWAITING_MARKING
    before = {r.question.name: r.answer for r in first.responses}
    after = {r.question.name: r.answer for r in second.responses}
    revised = set(LINDIWE.revised)
    assert {name for name in after if after[name] != before[name]} == revised
    assert all(after[name] == {"text": LINDIWE.revised[name]} for name in revised)
    assert [o.code for o in judging.outcomes_to_judge(second)] == ["M1-LO2"]
    [nyc] = [j for j in judging.decided(first).values() if j.verdict is Verdict.NOT_YET_COMPETENT]
    assert nyc.status is JudgementStatus.FINAL and nyc.comment


def the_moderator_has_a_sample_and_an_appeal_to_decide() -> None:
    johan, priya = user("moderator@example.com"), user("assessor@example.com")
    sample = db.session.scalars(moderation.sample_query(johan)).all()
    assert {(j.learner.email, j.outcome.code) for j in sample} == {
        ("ayanda@example.com", "M1-LO1"),
        ("ayanda@example.com", "M1-LO2"),
    }
    assert {j.sample_rule for j in sample} == {SampleRule.FIRST_JUDGEMENTS}
    [appeal] = db.session.scalars(appeals.open_appeals_query(johan)).all()
    assert appeal.learner.email == "zanele@example.com"
    assert appeal.judgement.verdict is Verdict.NOT_YET_COMPETENT
    assert appeal.judgement.status is JudgementStatus.FINAL
    assert appeal.judgement.assessor_id == priya.id
    assert db.session.scalars(appeals.open_appeals_query(priya)).all() == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_keyed_form_earns_full_points_on_every_shipped_question(seed: int) -> None:
    """Read back as a posted form is read, in a shuffled order, every keyed answer is right and
    is the answer the key names (as tests/programme/shipped.keyed_answer stores it)."""
    rng = random.Random(seed)
    parsed_questions = [q.parsed for quiz in shipped.quizzes() for q in quiz.questions]
    auto_marked = [parsed for parsed in parsed_questions if parsed.auto_marked]
    assert len({parsed.type for parsed in auto_marked}) == 6  # every auto-marked type
    for position, parsed in enumerate(auto_marked, start=1):
        order = list(range(kind_of(parsed).choice_count(parsed)))
        rng.shuffle(order)
        question = Question(data=parsed.as_json(), qtype=parsed.type, source_line=0)
        response = Response(question=question, position=position, choice_order=order)
        answers, problems = read_answers([response], right_answer_form([response]))
        assert problems == []
        grade = kind_of(parsed).grade(parsed, answers[response.id], 1.0)
        assert grade.correct, parsed.name
        if parsed.type not in ("shortanswer", "numerical"):  # text: any accepted form will do
            assert answers[response.id] == shipped.keyed_answer(parsed), parsed.name
