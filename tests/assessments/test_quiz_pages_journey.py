"""Taking a quiz with plain HTML forms: start, page by page, the summary, submit, the result."""

from __future__ import annotations

from flask import Flask

from tests.assessments.quiz_pages import (
    RIGHT_ANSWERS,
    Learner,
    answers_on,
    attempt_path,
    attempt_rows,
    checked,
    location,
    module_path,
    post_page,
    published_world,  # noqa: F401 - the `world` fixture
    question_headings,
    quiz_path,
    ready_learner,  # noqa: F401 - the `learner` fixture
    republish,
    start_attempt,
    stored_attempt,
    submissions_recorded,
    submit,
    text_of,
    words,
)
from tests.quiz_files import QuizWorld


def test_a_learner_takes_a_one_per_page_quiz_page_by_page(app: Flask, learner: Learner) -> None:
    """Next, Previous and page numbers move between pages; the summary counts what is answered;
    submitting shows the score and the verdict."""
    client = learner.client
    assert "Start" in words(client.get(quiz_path()))
    attempt_id = start_attempt(client)

    first = client.get(attempt_path(attempt_id))
    assert "Attempt 1 · page 1 of 6" in words(first)
    assert question_headings(first) == ["Question 1"]
    assert "0 of 6 questions answered" in words(first)

    moves = [
        (1, "next", f"{attempt_path(attempt_id)}?page=2"),
        (2, "previous", f"{attempt_path(attempt_id)}?page=1"),
        (1, "3", f"{attempt_path(attempt_id)}?page=3"),
        (3, "next", f"{attempt_path(attempt_id)}?page=4"),
        (4, "next", f"{attempt_path(attempt_id)}?page=5"),
        (5, "next", f"{attempt_path(attempt_id)}?page=6"),  # question 5 left blank
        (6, "finish", attempt_path(attempt_id, "finish")),
    ]
    for page, go, destination in moves:
        answers = {} if page == 5 else answers_on(page, RIGHT_ANSWERS)
        response = post_page(client, attempt_id, page=page, go=go, answers=answers)
        assert (response.status_code, location(response)) == (303, destination), (page, go)

    summary = client.get(attempt_path(attempt_id, "finish"))
    assert "5 of 6 questions answered" in words(summary)
    assert "Some questions have no answer." in words(summary)
    assert "Page 5 · not answered" in words(summary)
    assert f'href="{attempt_path(attempt_id)}?page=5"' in text_of(summary)

    fifth = client.get(f"{attempt_path(attempt_id)}?page=5")
    assert question_headings(fifth) == ["Question 5"]
    answers = answers_on(5, RIGHT_ANSWERS)
    response = post_page(client, attempt_id, page=5, go="finish", answers=answers)
    assert location(response) == attempt_path(attempt_id, "finish")
    assert "6 of 6 questions answered" in words(client.get(location(response)))

    response = submit(client, attempt_id)

    assert (response.status_code, location(response)) == (303, attempt_path(attempt_id, "review"))
    review = words(client.get(location(response)))
    assert "100% 6 of 6 points · pass mark 75%" in review
    assert "Passed." in review
    assert stored_attempt(app, attempt_id).state == "marked"
    assert "Passed · 100%" in words(client.get(module_path()))
    quiz = client.get(quiz_path())
    assert "You have passed this quiz." in words(quiz)
    [row] = attempt_rows(quiz)
    assert row.startswith("1 ") and row.endswith("Marked 100% · passed Review attempt 1")
    assert f'href="{attempt_path(attempt_id, "review")}"' in text_of(quiz)


def test_the_all_on_one_page_layout_shows_every_question_at_once(
    world: QuizWorld, learner: Learner
) -> None:
    """One page holds all six questions, with no page numbers; one post saves them all."""
    republish(world, layout="all-on-one-page")
    client = learner.client
    attempt_id = start_attempt(client)

    page = client.get(attempt_path(attempt_id))

    assert question_headings(page) == [f"Question {n}" for n in range(1, 7)]
    assert "page 1 of" not in words(page)
    assert 'class="page-links"' not in text_of(page)
    assert 'value="next"' not in text_of(page)
    response = post_page(client, attempt_id, page=1, go="finish", answers=RIGHT_ANSWERS)
    assert location(response) == attempt_path(attempt_id, "finish")
    summary = client.get(location(response))
    assert "6 of 6 questions answered" in words(summary)
    assert "Page 1" not in words(summary)
    review = client.get(location(submit(client, attempt_id)))
    assert "6 of 6 points" in words(review)


def test_answers_saved_without_javascript_are_there_on_coming_back(learner: Learner) -> None:
    """An answer saved by moving to another page is selected again on returning to it."""
    client = learner.client
    attempt_id = start_attempt(client)

    post_page(client, attempt_id, page=1, go="next", answers={"q1": "2"})
    post_page(client, attempt_id, page=2, go="4", answers={"q2": ["1", "3"]})
    post_page(client, attempt_id, page=4, go="previous", answers={"q4": "Checking the caller"})

    assert checked(client.get(f"{attempt_path(attempt_id)}?page=1"), "q1") == ["2"]
    assert checked(client.get(f"{attempt_path(attempt_id)}?page=2"), "q2") == ["1", "3"]
    fourth = text_of(client.get(f"{attempt_path(attempt_id)}?page=4"))
    assert 'name="q4" id="q4" value="Checking the caller"' in fourth
    assert checked(client.get(f"{attempt_path(attempt_id)}?page=3"), "q3") == []


def test_a_learner_resumes_at_the_last_page_visited(learner: Learner) -> None:
    """The quiz page offers "Continue your attempt", which reopens the page last moved to."""
    client = learner.client
    attempt_id = start_attempt(client)
    post_page(client, attempt_id, page=1, go="4", answers=answers_on(1, RIGHT_ANSWERS))

    quiz = client.get(quiz_path())

    assert "Continue your attempt" in words(quiz)
    assert "Start" not in words(quiz)
    assert f'<a class="button" href="{attempt_path(attempt_id)}">' in text_of(quiz)
    resumed = client.get(attempt_path(attempt_id))
    assert "page 4 of 6" in words(resumed)
    assert question_headings(resumed) == ["Question 4"]
    assert "1 of 6 questions answered" in words(resumed)


def test_the_clock_at_zero_saves_the_page_and_submits(app: Flask, learner: Learner) -> None:
    """go=submit (what the page's clock sends when time is up) saves the answers, then submits."""
    client = learner.client
    attempt_id = start_attempt(client)
    for page in range(1, 6):
        post_page(client, attempt_id, page=page, go="next", answers=answers_on(page, RIGHT_ANSWERS))

    response = post_page(
        client, attempt_id, page=6, go="submit", answers=answers_on(6, RIGHT_ANSWERS)
    )

    assert (response.status_code, location(response)) == (303, attempt_path(attempt_id, "review"))
    stored = stored_attempt(app, attempt_id)
    assert (stored.state, stored.percent, stored.auto_submitted) == ("marked", 100.0, False)
    assert stored.answers[6] == {"matches": {"0": 0, "1": 1, "2": 2}}
    assert "6 of 6 points" in words(client.get(location(response)))


def test_submitting_twice_counts_as_one_submission(app: Flask, learner: Learner) -> None:
    """A double click on "Submit all and finish" submits once; both presses show the review."""
    client = learner.client
    attempt_id = start_attempt(client)
    post_page(client, attempt_id, page=1, go="finish", answers=answers_on(1, RIGHT_ANSWERS))

    first = submit(client, attempt_id)
    submitted_at = stored_attempt(app, attempt_id).submitted_at
    second = submit(client, attempt_id)

    review = attempt_path(attempt_id, "review")
    assert [(r.status_code, location(r)) for r in (first, second)] == [(303, review)] * 2
    assert stored_attempt(app, attempt_id).submitted_at == submitted_at
    assert submissions_recorded(app, attempt_id) == 1
    assert client.get(review).status_code == 200
