"""The assessor's pages and the learner's record, through the test client with real sign-in."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lms.assessments.models import Attempt, AttemptState
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking.models import JudgementStatus, Marking, OutcomeJudgement
from tests.conftest import UserFactory, csrf_token
from tests.marking.marking_steps import NYC, as_user, finalise, module_a1, submit_summative

NYC_COMMENT = "Name the ACD and say what it does."


def assessor_client(app: Flask, assessor: User) -> FlaskClient:
    return as_user(app, assessor)


def take(client: FlaskClient, attempt: Attempt) -> None:
    token = csrf_token(client, f"/marking/attempts/{attempt.id}")
    response = client.post(f"/marking/attempts/{attempt.id}/take", data={"csrf_token": token})
    assert response.status_code == 303


def marking_form(client: FlaskClient, attempt: Attempt, **fields: str) -> dict[str, str]:
    page = client.get(f"/marking/attempts/{attempt.id}").get_data(as_text=True)
    token = csrf_token(client, f"/marking/attempts/{attempt.id}")
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    return {"csrf_token": token, "version": version, **fields}


def judgement_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutcomeJudgement)) or 0


def taken(app: Flask, assessor: User, learner: User) -> tuple[FlaskClient, Attempt]:
    """The learner's submitted summative, taken by the assessor in their client."""
    attempt = submit_summative(learner)
    client = assessor_client(app, assessor)
    take(client, attempt)
    return client, attempt


def post_marking(client: FlaskClient, attempt: Attempt, **fields: str) -> TestResponse:
    """Send the marking form as the page builds it (token and version), with `fields`."""
    return client.post(
        f"/marking/attempts/{attempt.id}", data=marking_form(client, attempt, **fields)
    )


FINALISE_C_NYC = {"action": "finalise", "verdict-A1-LO1": "competent"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"verdict-A1-LO2": "not-yet-competent", "comment-A1-LO2": "  "},
            "a Not Yet Competent needs a comment",
        ),
        ({}, "A1-LO2: choose Competent or Not Yet Competent."),
        (
            {"verdict-A1-LO2": "competent", "verdict-M9-LO1": "competent"},
            "M9-LO1 is not an outcome to judge in this attempt.",
        ),
        ({"verdict-A1-LO2": "maybe"}, "Choose Competent or Not Yet Competent."),
    ],
    ids=["nyc-without-comment", "unjudged", "outcome-not-in-attempt", "unknown-verdict"],
)
def test_a_refused_finalisation_says_why_and_changes_nothing(
    app: Flask, assessor: User, learner: User, fields: dict[str, str], message: str
) -> None:
    client, attempt = taken(app, assessor, learner)
    response = post_marking(client, attempt, **FINALISE_C_NYC, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert judgement_count() == 0


def test_the_queue_lists_waiting_attempts_with_a_count_in_the_navigation(
    app: Flask, assessor: User, learner: User
) -> None:
    submit_summative(learner)
    page = assessor_client(app, assessor).get("/marking/").get_data(as_text=True)
    assert "Thandi Mokoena" in page
    assert 'class="nav-count">1<' in page
    assert "Not started" in page


def test_a_learner_cannot_reach_the_queue(app: Flask, learner: User) -> None:
    assert as_user(app, learner).get("/marking/").status_code == 403


def test_an_unassigned_assessor_gets_404_for_the_attempt(
    app: Flask, assessor: User, learner: User, make_user: UserFactory
) -> None:
    attempt = submit_summative(learner)
    other = make_user(Role.ASSESSOR)
    client = as_user(app, other)
    assert client.get(f"/marking/attempts/{attempt.id}").status_code == 404
    assert "Thandi" not in client.get("/marking/").get_data(as_text=True)


def test_a_draft_keeps_what_was_typed_and_a_stale_form_saves_nothing(
    app: Flask, assessor: User, learner: User
) -> None:
    attempt = submit_summative(learner)
    client = assessor_client(app, assessor)
    take(client, attempt)
    stale = marking_form(client, attempt, action="save", **{"comment-A1-LO1": "first"})
    fresh = marking_form(client, attempt, action="save", **{"comment-A1-LO1": "Good start."})
    assert client.post(f"/marking/attempts/{attempt.id}", data=fresh).status_code == 303
    assert "Good start." in client.get(f"/marking/attempts/{attempt.id}").get_data(as_text=True)
    response = client.post(f"/marking/attempts/{attempt.id}", data=stale)
    assert response.status_code == 303
    page = client.get(f"/marking/attempts/{attempt.id}").get_data(as_text=True)
    assert "changed since you opened it" in page
    assert "Good start." in page


def test_a_second_assessor_sees_who_holds_the_attempt_and_cannot_save(
    app: Flask, assessor: User, learner: User, make_user: UserFactory
) -> None:
    attempt = submit_summative(learner)
    take(assessor_client(app, assessor), attempt)
    second = db.session.get(User, make_user(Role.ASSESSOR, full_name="Kabelo Molefe").id)
    assert second is not None
    from lms.marking import marking_queue

    marking_queue.set_module_assessors(module_a1(), [assessor, second], actor=assessor)
    db.session.commit()
    client = as_user(app, second)
    page = client.get(f"/marking/attempts/{attempt.id}").get_data(as_text=True)
    assert "Priya Naidoo</strong> has been marking this attempt" in page
    token = csrf_token(client, "/marking/")
    response = client.post(
        f"/marking/attempts/{attempt.id}",
        data={"csrf_token": token, "version": "1", "action": "finalise"},
    )
    assert response.status_code == 303
    assert judgement_count() == 0


def test_finalising_records_judgements_and_the_learner_sees_final_decisions_only(
    app: Flask, assessor: User, learner: User, moderator: User
) -> None:
    attempt = submit_summative(learner)
    client = assessor_client(app, assessor)
    take(client, attempt)
    fields = {
        "action": "finalise",
        "score-1": "1",
        "comment-1": "Clear.",
        "verdict-A1-LO1": "competent",
        "verdict-A1-LO2": "not-yet-competent",
        "comment-A1-LO2": NYC_COMMENT,
    }
    response = client.post(
        f"/marking/attempts/{attempt.id}", data=marking_form(client, attempt, **fields)
    )
    assert response.status_code == 303
    statuses = [j.status for j in db.session.scalars(select(OutcomeJudgement))]
    assert statuses == [JudgementStatus.IN_SAMPLE] * 2  # the first 20 are all moderated
    own = as_user(app, learner)
    record = own.get("/my/record/alpha").get_data(as_text=True)
    assert record.count("Under moderation") == 2
    assert NYC_COMMENT not in record


def test_a_released_nyc_offers_resubmission_pre_filled(
    app: Flask, assessor: User, learner: User, moderator: User
) -> None:
    from lms.marking import moderation
    from lms.marking.models import ReviewVerdict
    from tests.marking.marking_steps import NOW, C, judgements_of

    attempt = submit_summative(learner)
    with app.test_request_context():
        finalise(assessor, attempt, {"A1-LO1": C, "A1-LO2": NYC})
        for judgement in judgements_of(attempt):
            moderation.review(judgement, moderator, ReviewVerdict.CONFIRMED, "", now=NOW)
        db.session.commit()
    assert attempt.state is AttemptState.MARKED and attempt.passed is False
    own = as_user(app, learner)
    record = own.get("/my/record/alpha").get_data(as_text=True)
    assert NYC_COMMENT in record
    assert "Resubmit the assessment" in record
    assert "Appeal this decision" in record
    token = csrf_token(own, "/my/record/alpha")
    response = own.post("/quizzes/alpha/summative/start", data={"csrf_token": token})
    assert response.status_code == 303
    second = db.session.scalars(select(Attempt).where(Attempt.number == 2)).one()
    assert [r.answer for r in second.responses] == [r.answer for r in attempt.responses]
    assert db.session.scalar(select(func.count()).select_from(Marking)) == 1


def test_a_score_beyond_the_points_is_refused_at_its_field(
    app: Flask, assessor: User, learner: User
) -> None:
    client, attempt = taken(app, assessor, learner)
    response = post_marking(client, attempt, action="save", **{"score-1": "7"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="score-1-error">Give a score from 0 to 1.' in page
    assert 'value="7"' in page  # what was typed comes back


def test_a_page_number_alone_is_a_valid_queue_address(
    app: Flask, assessor: User, learner: User
) -> None:
    """Links to a later page may carry no filter at all (past the end: the last page)."""
    submit_summative(learner)
    response = assessor_client(app, assessor).get("/marking/?page=2")
    assert response.status_code == 200
    assert "Thandi Mokoena" in response.get_data(as_text=True)


def test_an_unknown_module_filter_is_refused(app: Flask, assessor: User) -> None:
    response = assessor_client(app, assessor).get("/marking/?module=999999")
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
