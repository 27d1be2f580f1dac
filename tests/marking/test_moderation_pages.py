"""The moderator's pages through the test client with real sign-in: the sample, checking a
judgement, appeals, and what they refuse (the report: test_moderation_report.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import appeals
from lms.marking.models import (
    Appeal,
    AppealStatus,
    JudgementStatus,
    Marking,
    MarkingState,
    SampleRule,
)
from lms.marking.models import OutcomeJudgement as Judgement
from tests.bad_input.conftest import (
    CSRF_MESSAGE,
    Fields,
    assert_error_page,
    assert_shown,
    post_form,
)
from tests.conftest import UserFactory, csrf_token
from tests.marking.marking_steps import (
    ESSAYS,
    NOW,
    as_user,
    new_learner,
)
from tests.marking.steps_marking import (
    HOUR,
    LO1,
    LO2,
    assign_to_a1,
    audit_trail,
    confirm_sample,
    database_state,
    judgement_on,
    notes_for,
    record_of,
    request_around_the_test,  # noqa: F401 - `in_request`
    statuses,
    user_with_roles,
)
from tests.marking.steps_moderation import (
    judgement_path,
    page_text,
    post_as,
    sampled,
    send,
    words,
)
from tests.quiz_files import QuizWorld

OVERTURN_REASON = "The answer never says what the ACD does."
APPEAL_REASON = "My answer names the ACD in its first sentence."
CONFIRM = {"decision": "confirmed"}
OVERTURN = {"decision": "overturned", "reason": OVERTURN_REASON}
TYPED = "Half a <thought>"


def appeal_path(appeal: Appeal) -> str:
    return f"/moderation/appeals/{appeal.id}"


@pytest.fixture
def appeal(
    in_request: None, assessor: User, moderator: User, learner: User, make_user: UserFactory
) -> Appeal:
    """An open appeal on LO2's final Not Yet Competent (confirmed by another moderator)."""
    attempt = sampled(learner, assessor)
    confirm_sample(user_with_roles(make_user, Role.MODERATOR, full_name="Lerato"), attempt)
    lodged = appeals.lodge(judgement_on(attempt, LO2), learner, APPEAL_REASON, now=NOW + 2 * HOUR)
    db.session.commit()
    return lodged


# --- The sample and a judgement ---------------------------------------------------------------


def test_the_queue_lists_a_sampled_judgement_with_its_rule_and_seed(
    app: Flask, assessor: User, moderator: User, learner: User
) -> None:
    """Each row names the learner, outcome, assessor, the rule that drew it and the pool's seed
    and place, oldest first, and links to its check; open appeals are counted."""
    attempt = sampled(learner, assessor)
    first, second = judgement_on(attempt, LO1), judgement_on(attempt, LO2)
    assert first.pool is not None

    response = as_user(app, moderator).get("/moderation/")
    page = page_text(response)

    assert "Thandi Mokoena" in page and "Priya Naidoo" in page
    assert SampleRule.FIRST_JUDGEMENTS.label in page
    assert SampleRule.NOT_YET_COMPETENT.label in page
    assert f"seed {first.pool.seed[:8]}…, judgement #1 of Priya Naidoo's pool" in words(response)
    assert page.index(f'href="{judgement_path(first)}"') < page.index(judgement_path(second))
    assert re.search(r'href="/moderation/appeals">Open appeals</a> <span class="badge">0<', page)


def test_the_judgement_page_shows_the_answers_serving_the_outcome_beside_their_guides(
    app: Flask, assessor: User, moderator: User, learner: User
) -> None:
    """LO1's page shows the essay serving LO1 and its marking guide (not the essay serving only
    LO2), the place in the pool, the full seed, and the decision as a radio group."""
    judgement = judgement_on(sampled(learner, assessor), LO1)
    assert judgement.pool is not None

    page = page_text(as_user(app, moderator).get(judgement_path(judgement)))

    assert ESSAYS["q1"] in page and "Names the IVR and the ACD." in page
    assert ESSAYS["q2"] not in page
    assert judgement.pool.seed in page and "Judgement #1 of Priya Naidoo's pool" in page
    assert '<fieldset id="decision">' in page and "<legend>Your decision</legend>" in page


# --- Checking a judgement ---------------------------------------------------------------------


def test_confirming_releases_the_judgement_to_the_learner(
    app: Flask, assessor: User, moderator: User, learner: User
) -> None:
    """Confirm: the judgement is final, the learner's record shows it, the check is audited, the
    moderator is back at the queue, and the page then shows the check read-only."""
    judgement = judgement_on(sampled(learner, assessor), LO1)
    client = as_user(app, moderator)

    response = send(client, judgement_path(judgement), {**CONFIRM, "reason": ""})

    assert (response.status_code, response.location) == (303, "/moderation/")
    assert judgement_on(judgement.attempt, LO1).status is JudgementStatus.FINAL
    assert statuses(record_of(learner))[LO1] == "competent"
    assert ("moderation.confirmed", moderator.id) in audit_trail(judgement)
    assert "can now see the decision on A1-LO1" in page_text(client.get("/moderation/"))
    shown = words(as_user(app, moderator).get(judgement_path(judgement)))
    assert "Checked by Johan van Wyk" in shown and "Decision Confirmed" in shown
    assert "Your decision" not in shown


def test_overturning_with_a_reason_returns_the_judgement_to_the_assessor(
    app: Flask, assessor: User, moderator: User, learner: User
) -> None:
    """Overturn with a reason: the judgement is overturned, the marking is the assessor's draft
    again, the assessor is told why, and the learner sees no Competent."""
    attempt = sampled(learner, assessor)
    judgement = judgement_on(attempt, LO1)

    response = post_as(app, moderator, judgement_path(judgement), OVERTURN)

    assert response.status_code == 303
    assert judgement_on(attempt, LO1).status is JudgementStatus.OVERTURNED
    assert judgement.reviews[-1].reason == OVERTURN_REASON
    [note] = notes_for(assessor)
    assert note.subject == "A1-LO1: a moderator returned your judgement"
    assert OVERTURN_REASON in note.body
    assert ("moderation.overturned", moderator.id) in audit_trail(judgement)
    marking = db.session.scalars(select(Marking).where(Marking.attempt_id == attempt.id)).one()
    assert marking.state is MarkingState.DRAFT
    assert statuses(record_of(learner))[LO1] != "competent"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"decision": "overturned", "reason": " "},
            "reason",
            "Give the assessor your reason for overturning.",
            id="overturn-without-reason",
        ),
        pytest.param({"reason": TYPED}, "decision", "Choose Confirm or Overturn.", id="no-choice"),
        pytest.param({"decision": "maybe"}, "decision", "Choose Confirm or Overturn.", id="forged"),
        pytest.param(
            {"decision": "overturned", "reason": "x" * 4001},
            "reason",
            "Field cannot be longer than 4000 characters.",
            id="too-long",
        ),
        pytest.param(
            {"decision": "overturned", "reason": "Bad\x00"},
            "reason",
            "This contains characters that are not allowed.",
            id="nul",
        ),
    ],
)
def test_a_refused_check_shows_why_at_the_field_and_changes_nothing(
    app: Flask,
    assessor: User,
    moderator: User,
    learner: User,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    """An overturn without a reason (the service's rule), no or a forged choice, an overlong or
    control-character reason: 422, the message at the field and tied to it, what was chosen and
    typed kept, nothing changed."""
    judgement = judgement_on(sampled(learner, assessor), LO1)
    before = database_state()

    response = post_as(app, moderator, judgement_path(judgement), fields)

    assert response.status_code == 422
    assert_shown(response, field, message)
    page = response.get_data(as_text=True)
    assert re.search(rf'aria-describedby="[^"]*{field}-error"', page)
    if fields.get("reason") == TYPED:
        assert "Half a &lt;thought&gt;</textarea>" in page
    if fields.get("decision") == "overturned":
        assert '<input checked id="decision-1"' in page
    assert database_state() == before


def test_a_second_check_of_the_same_judgement_changes_nothing(
    app: Flask, assessor: User, moderator: User, learner: User, make_user: UserFactory
) -> None:
    """A form posted after another moderator checked the judgement: 409, the result shown."""
    judgement = judgement_on(sampled(learner, assessor), LO1)
    other = user_with_roles(make_user, Role.MODERATOR, full_name="Lerato Khumalo")
    post_as(app, other, judgement_path(judgement), CONFIRM)
    before = database_state()

    response = post_as(app, moderator, judgement_path(judgement), OVERTURN)

    assert response.status_code == 409
    assert_shown(response, None, "This judgement was already checked")
    assert "Lerato Khumalo" in page_text(response)
    assert database_state() == before


# --- Appeals ----------------------------------------------------------------------------------


def test_open_appeals_are_listed_counted_and_shown(
    app: Flask, moderator: User, appeal: Appeal
) -> None:
    """The appeals page lists the open appeal, the sample page counts it, and its page shows the
    learner's reason beside the answer and guide the judgement was made on."""
    client = as_user(app, moderator)
    listed = page_text(client.get("/moderation/appeals"))
    assert "Thandi Mokoena" in listed and f'href="{appeal_path(appeal)}"' in listed
    sample = page_text(client.get("/moderation/"))
    assert re.search(r'Open appeals</a> <span class="badge">1<', sample)
    page = page_text(client.get(appeal_path(appeal)))
    assert APPEAL_REASON in page and ESSAYS["q2"] in page and "Refuses." in page


@pytest.mark.parametrize(
    ("decision", "status", "record", "shown"),
    [
        ("upheld", AppealStatus.UPHELD, "competent", "Upheld: the outcome became Competent"),
        ("dismissed", AppealStatus.DISMISSED, "not-yet-competent", "Decision Dismissed"),
    ],
)
def test_deciding_an_appeal_tells_the_learner(
    app: Flask,
    moderator: User,
    learner: User,
    appeal: Appeal,
    decision: str,
    status: AppealStatus,
    record: str,
    shown: str,
) -> None:
    """Upheld (LO2 becomes Competent) or dismissed (the NYC stands), with a reason: audited, the
    learner told, and the appeal's page then read-only."""
    fields = {"decision": decision, "reason": "The ACD is named; see the first sentence."}

    response = post_as(app, moderator, appeal_path(appeal), fields)

    assert (response.status_code, response.location) == (303, "/moderation/appeals")
    db.session.expire_all()
    assert appeal.status is status and appeal.moderator_id == moderator.id
    assert statuses(record_of(learner))[LO2] == record
    assert any(f"your appeal was {decision}" in note.subject for note in notes_for(learner))
    assert (f"appeal.{decision}", moderator.id) in audit_trail(appeal)
    page = words(as_user(app, moderator).get(appeal_path(appeal)))
    assert shown in page and "Your decision" not in page


def test_an_appeal_decision_needs_a_reason(app: Flask, moderator: User, appeal: Appeal) -> None:
    """No reason: 422 at the reason field, the appeal still open."""
    before = database_state()

    response = post_as(app, moderator, appeal_path(appeal), {"decision": "upheld"})

    assert response.status_code == 422
    assert_shown(response, "reason", "Give the learner the reason for your decision.")
    assert database_state() == before


# --- Refusals ---------------------------------------------------------------------------------


def test_a_moderator_never_sees_their_own_judgement_nor_an_appeal_against_it(
    app: Flask,
    in_request: None,
    world: QuizWorld,
    learner: User,
    moderator: User,
    make_user: UserFactory,
) -> None:
    """The judgement's own assessor, also a moderator, gets 404 for its check and its appeal
    (their existence is not confirmed) and finds neither listed."""
    both = assign_to_a1(user_with_roles(make_user, Role.ASSESSOR, Role.MODERATOR, full_name="Sam"))
    attempt = sampled(learner, both)
    judgement = judgement_on(attempt, LO2)
    client = as_user(app, both)
    assert client.get(judgement_path(judgement)).status_code == 404
    token = csrf_token(client, "/moderation/")
    post = client.post(judgement_path(judgement), data={**CONFIRM, "csrf_token": token})
    assert post.status_code == 404
    assert "Thandi Mokoena" not in page_text(client.get("/moderation/"))

    confirm_sample(moderator, attempt)
    lodged = appeals.lodge(judgement_on(attempt, LO2), learner, APPEAL_REASON, now=NOW + 2 * HOUR)
    db.session.commit()
    client = as_user(app, both)
    assert client.get(appeal_path(lodged)).status_code == 404
    assert "Thandi Mokoena" not in page_text(client.get("/moderation/appeals"))


@pytest.mark.parametrize(
    "path",
    [
        "/moderation/judgements/999999",
        f"/moderation/judgements/{2**40}",
        "/moderation/appeals/999999",
        f"/moderation/appeals/{2**63}",
    ],
)
def test_forged_ids_are_404(app: Flask, moderator: User, path: str) -> None:
    """Unknown ids, however large, are 404 to GET and to a POST with a valid token."""
    client = as_user(app, moderator)
    assert client.get(path).status_code == 404
    token = csrf_token(client, "/moderation/")
    assert client.post(path, data={**CONFIRM, "csrf_token": token}).status_code == 404


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ASSESSOR])
def test_learners_and_assessors_get_403_on_every_moderation_page(
    app: Flask, moderator: User, appeal: Appeal, make_user: UserFactory, role: Role
) -> None:
    """Every moderation page and form refuses a user without the moderator role."""
    client = as_user(app, user_with_roles(make_user, role, full_name="Not A Moderator"))
    judgement = f"/moderation/judgements/{db.session.scalar(select(func.min(Judgement.id)))}"
    pages = ["/moderation/", judgement, "/moderation/appeals", appeal_path(appeal)]
    for path in [*pages, "/moderation/report"]:
        assert client.get(path).status_code == 403, path
    app.config["WTF_CSRF_ENABLED"] = False  # about roles: the token has its own tests
    try:
        for path in (judgement, appeal_path(appeal)):
            assert client.post(path, data=CONFIRM).status_code == 403, path
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_posts_without_the_csrf_token_are_refused(
    app: Flask,
    world: QuizWorld,
    assessor: User,
    moderator: User,
    appeal: Appeal,
    make_user: UserFactory,
) -> None:
    """Without this session's token a check or an appeal decision is a 400; nothing changes."""
    judgement = judgement_on(sampled(new_learner(world, make_user), assessor), LO1)
    client = as_user(app, moderator)
    csrf_token(client, "/moderation/")
    before = database_state()
    fields: Fields = {"decision": "upheld", "reason": "Because."}
    for path in (judgement_path(judgement), appeal_path(appeal)):
        for token in (None, "", "forged"):
            assert_error_page(post_form(client, path, fields, token=token), 400, CSRF_MESSAGE)
    assert database_state() == before
