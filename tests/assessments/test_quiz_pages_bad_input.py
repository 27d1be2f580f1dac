"""What a forged or broken attempt form gets: a 4xx with a message, nothing saved, never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.assessments.quiz_pages import (
    RIGHT_ANSWERS,
    Learner,
    StoredAttempt,
    attempt_path,
    errors,
    location,
    post_page,
    published_world,  # noqa: F401 - the `world` fixture
    ready_learner,  # noqa: F401 - the `learner` fixture
    republish,
    start_attempt,
    stored_attempt,
    take,
    token,
)
from tests.quiz_files import QuizWorld

UNKNOWN_DESTINATION = "Go: Unknown destination."
NOT_A_CHOICE = "Question 1: the answer sent is not one of the choices."
FORBIDDEN_CHARACTERS = (
    "Question 4: the answer contained characters that are not allowed; they are removed below, "
    "so check the answer and save again."
)


def _nothing_saved(stored: StoredAttempt) -> bool:
    return (
        stored.state == "in_progress"
        and stored.page == 1
        and stored.last_saved_at is None
        and all(answer is None for answer in stored.answers.values())
    )


@pytest.mark.parametrize(
    ("page", "answers", "message"),
    [
        (1, {"q1": "9"}, NOT_A_CHOICE),
        (1, {"q1": "0"}, NOT_A_CHOICE),
        (1, {"q1": "blue"}, NOT_A_CHOICE),
        (1, {"q1": ["1", "2"]}, "Question 1: choose only one answer."),
        (2, {"q2": ["1", "4"]}, "Question 2: the answer sent is not one of the choices."),
        (3, {"q3": "yes"}, "Question 3: the answer must be True or False."),
        (4, {"q4": "call\x00er"}, FORBIDDEN_CHARACTERS),
        (4, {"q4": "\x1b[31mred"}, FORBIDDEN_CHARACTERS),
        (4, {"q4": "next\x85line"}, FORBIDDEN_CHARACTERS),
        (4, {"q4": "x" * 20_001}, "Question 4: an answer may be at most 20000 characters."),
        (4, {"q4": ["one", "two"]}, "Question 4: give only one answer."),
        (6, {"q6-0": "4"}, "Question 6: the answer sent is not one of the choices."),
    ],
    ids=[
        "choice-9",
        "choice-0",
        "choice-text",
        "two-radios",
        "checkbox-5",
        "true-false-yes",
        "nul",
        "escape",
        "c1-control",
        "over-20000",
        "two-texts",
        "matching-4",
    ],
)
def test_an_answer_no_form_could_send_is_refused_and_nothing_is_saved(
    app: Flask, learner: Learner, page: int, answers: dict[str, Any], message: str
) -> None:
    """The page comes back with 422 and "Question N: …", and no answer is stored."""
    attempt_id = start_attempt(learner.client)

    response = post_page(learner.client, attempt_id, page=page, go="next", answers=answers)

    assert response.status_code == 422
    assert errors(response) == [message]
    assert f"Question {page}" in response.get_data(as_text=True)
    assert _nothing_saved(stored_attempt(app, attempt_id))


def test_every_problem_on_a_page_is_named_and_no_answer_is_saved(
    app: Flask, world: QuizWorld, learner: Learner
) -> None:
    """On an all-on-one-page quiz each bad answer gets its own line; the good ones are not kept."""
    republish(world, layout="all-on-one-page")
    attempt_id = start_attempt(learner.client)
    answers = {**RIGHT_ANSWERS, "q2": ["1", "7"], "q4": "bell\x07"}

    response = post_page(learner.client, attempt_id, page=1, go="finish", answers=answers)

    assert response.status_code == 422
    assert errors(response) == [
        "Question 2: the answer sent is not one of the choices.",
        FORBIDDEN_CHARACTERS,
    ]
    assert _nothing_saved(stored_attempt(app, attempt_id))


def test_a_refused_page_gives_back_what_the_learner_wrote(
    app: Flask, world: QuizWorld, learner: Learner
) -> None:
    """Nothing typed is lost: the refused page shows the good answers and the text without
    its control characters, ready to save again."""
    republish(world, layout="all-on-one-page")
    attempt_id = start_attempt(learner.client)
    answers = {"q1": "1", "q2": ["1", "7"], "q4": "verifi\x07cation", "q5": "84"}

    response = post_page(learner.client, attempt_id, page=1, go="finish", answers=answers)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="verification"' in page
    assert 'value="84"' in page
    assert re.search(r'name="q1"[^>]*value="1"[^>]*checked', page)
    assert _nothing_saved(stored_attempt(app, attempt_id))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"page": "1", "go": "somewhere"}, UNKNOWN_DESTINATION),
        ({"page": "1", "go": "0"}, UNKNOWN_DESTINATION),
        ({"page": "1", "go": "1000"}, UNKNOWN_DESTINATION),
        ({"page": "1", "go": "next "}, UNKNOWN_DESTINATION),
        ({"go": "next"}, "Page: This field is required."),
        ({"page": "", "go": "next"}, "Page: This field is required."),
        ({"page": "abc", "go": "next"}, "Page: Not a valid integer value."),
        ({"page": "1.5", "go": "next"}, "Page: Not a valid integer value."),
        ({"page": "0", "go": "next"}, "Page: Number must be between 1 and 999."),
        ({"page": "-3", "go": "next"}, "Page: Number must be between 1 and 999."),
        ({"page": "1000", "go": "next"}, "Page: Number must be between 1 and 999."),
        ({"page": "9" * 5000, "go": "next"}, "Page: Not a valid integer value."),
        ({"page": ["1", "2"], "go": "next"}, "Page: This was sent more than once."),
        ({"page": "1", "go": ["next", "finish"]}, "Go: This was sent more than once."),
        ({"page": "1\x0b", "go": "next"}, "Page: This contains characters that are not allowed."),
    ],
)
def test_a_broken_page_or_destination_is_refused(
    app: Flask, learner: Learner, fields: dict[str, Any], message: str
) -> None:
    """An unknown `go`, or a missing, malformed or repeated `page`, gives 422 and saves nothing."""
    attempt_id = start_attempt(learner.client)
    body = {"csrf_token": token(learner.client), "q1": "1", **fields}

    response = learner.client.post(attempt_path(attempt_id), data=body)

    assert response.status_code == 422
    assert message in errors(response)
    assert _nothing_saved(stored_attempt(app, attempt_id))


@pytest.mark.parametrize("action", ["", "autosave", "submit"])
def test_a_post_without_its_csrf_token_is_refused(
    app: Flask, learner: Learner, action: str
) -> None:
    """Saving, autosaving or submitting without the CSRF token is a 400 that changes nothing."""
    attempt_id = start_attempt(learner.client)
    fields = {"page": "1", "go": "next", "q1": "1"}

    response = learner.client.post(attempt_path(attempt_id, action), data=fields)

    assert response.status_code == 400
    assert _nothing_saved(stored_attempt(app, attempt_id))


def test_autosave_saves_and_reports_the_time(app: Flask, learner: Learner) -> None:
    """A good autosave answers 200 with when it saved, and stays on the page it was sent from."""
    attempt_id = start_attempt(learner.client)

    response = post_page(
        learner.client, attempt_id, page=1, go="next", answers={"q1": "1"}, action="autosave"
    )

    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True
    assert body["remaining_seconds"] is None  # this quiz has no time limit
    stored = stored_attempt(app, attempt_id)
    assert stored.answers[1] == {"choice": 0}
    assert stored.page == 1
    assert stored.last_saved_at is not None
    assert body["saved_at"] == stored.last_saved_at.isoformat()


def test_autosave_with_a_forged_answer_lists_the_problems(app: Flask, learner: Learner) -> None:
    """A forged value in an autosave gives 422 JSON naming the question, and saves nothing."""
    attempt_id = start_attempt(learner.client)

    response = post_page(
        learner.client, attempt_id, page=1, go="stay", answers={"q1": "7"}, action="autosave"
    )

    assert response.status_code == 422
    assert response.get_json() == {
        "error": "Some answers could not be read.",
        "problems": [NOT_A_CHOICE],
    }
    assert _nothing_saved(stored_attempt(app, attempt_id))


def test_autosave_on_a_submitted_attempt_points_to_its_review(app: Flask, learner: Learner) -> None:
    """Once submitted, an autosave (a late tab) gets 409 JSON with the review's address."""
    attempt_id = take(learner.client, RIGHT_ANSWERS)
    before = stored_attempt(app, attempt_id)

    response = post_page(
        learner.client, attempt_id, page=1, go="stay", answers={"q1": "2"}, action="autosave"
    )

    assert response.status_code == 409
    assert response.get_json() == {
        "error": "This attempt is already submitted.",
        "review": attempt_path(attempt_id, "review"),
    }
    assert stored_attempt(app, attempt_id) == before


def test_saving_a_submitted_attempt_changes_nothing(app: Flask, learner: Learner) -> None:
    """A page posted after submitting (the back button) goes to the review, answers unchanged."""
    attempt_id = take(learner.client, RIGHT_ANSWERS)
    before = stored_attempt(app, attempt_id)

    response = post_page(learner.client, attempt_id, page=1, go="next", answers={"q1": "2"})

    assert response.status_code == 303
    assert response.headers["Location"] == attempt_path(attempt_id, "review")
    assert stored_attempt(app, attempt_id) == before


# Bodies a learner could send to /attempts/<id> or its autosave, and the status each must get.
MALFORMED_BODIES: list[tuple[str, dict[str, Any], int]] = [
    ("blank-answers", {"page": "1", "go": "next", "q1": ""}, 303),
    ("unknown-fields", {"page": "1", "go": "next", "q99": "1", "q1-7": "2", "x": "y"}, 303),
    ("page-beyond-the-last", {"page": "999", "go": "next"}, 303),
    ("go-beyond-the-last", {"page": "1", "go": "999"}, 303),
    ("same-checkbox-twice", {"page": "2", "go": "next", "q2": ["1", "1"]}, 303),
    ("exactly-20000", {"page": "4", "go": "next", "q4": "x" * 20_000}, 303),
    ("unicode", {"page": "4", "go": "next", "q4": "Überprüfung ✓ 確認 \U0001f600"}, 303),
    ("matching-text", {"page": "6", "go": "next", "q6-0": "the phone menu"}, 422),
    ("matching-twice", {"page": "6", "go": "next", "q6-0": ["1", "2"]}, 422),
    ("long-go", {"page": "1", "go": "9" * 5000}, 422),
    ("negative-go", {"page": "1", "go": "-1"}, 422),
    ("page-with-spaces", {"page": " 2 ", "go": "next"}, 303),
    ("a-megabyte", {"page": "4", "go": "next", "q4": "x" * 1_000_000}, 422),
]


@pytest.mark.parametrize("action", ["", "autosave"])
@pytest.mark.parametrize(
    ("body", "status"),
    [(body, status) for _, body, status in MALFORMED_BODIES],
    ids=[name for name, _, _ in MALFORMED_BODIES],
)
def test_nothing_a_learner_sends_gives_a_server_error(
    learner: Learner, action: str, body: dict[str, Any], status: int
) -> None:
    """Odd but harmless bodies are saved, impossible ones refused, none answers 500."""
    attempt_id = start_attempt(learner.client)
    fields = {"csrf_token": token(learner.client), **body}

    response = learner.client.post(attempt_path(attempt_id, action), data=fields)

    expected = 200 if (action, status) == ("autosave", 303) else status
    assert response.status_code == expected


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-5", "page=0", "page=1.5", "page=" + "9" * 5000, "page=6&page=1"]
)
def test_an_odd_page_number_in_the_address_shows_a_page(learner: Learner, query: str) -> None:
    """A page number that is not one of the attempt's shows a page of it, never an error."""
    attempt_id = start_attempt(learner.client)

    response = learner.client.get(f"{attempt_path(attempt_id)}?{query}")

    assert response.status_code == 200
    assert "Question" in response.get_data(as_text=True)


def test_a_json_body_is_not_read_as_a_form(app: Flask, learner: Learner) -> None:
    """A JSON body with the token in a header is a form without fields: 422, nothing saved."""
    attempt_id = start_attempt(learner.client)
    headers = {"X-CSRFToken": token(learner.client)}

    response = learner.client.post(
        attempt_path(attempt_id), json={"page": 1, "go": "next", "q1": "1"}, headers=headers
    )

    assert response.status_code == 422
    assert _nothing_saved(stored_attempt(app, attempt_id))


def test_any_post_to_a_submitted_attempt_goes_to_its_review(app: Flask, learner: Learner) -> None:
    """Even a malformed page or autosave for a submitted attempt leads to the review, and
    changes nothing."""
    attempt_id = take(learner.client, RIGHT_ANSWERS)
    before = stored_attempt(app, attempt_id)
    client = learner.client

    page = client.post(attempt_path(attempt_id), data={"csrf_token": token(client), "go": "x"})
    autosave = client.post(attempt_path(attempt_id, "autosave"), data={"csrf_token": token(client)})

    assert page.status_code == 303
    assert location(page) == attempt_path(attempt_id, "review")
    assert autosave.status_code == 409
    assert autosave.get_json()["review"] == attempt_path(attempt_id, "review")
    assert stored_attempt(app, attempt_id) == before
