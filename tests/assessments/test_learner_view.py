"""What a learner's page receives: the question and its choices, never the key.

Every feedback text and every right answer below is a marker that appears nowhere else, so
finding one in the rendered view means the key leaked.
"""

from __future__ import annotations

from typing import Any

import pytest

from lms.assessments.formats.questions import (
    QUESTION_TYPES,
    TEXT_FORMATS,
    Answer,
    NumericalAnswer,
    Pair,
    ParsedQuestion,
    QuestionType,
    TextFormat,
    TrueFalse,
)
from lms.assessments.question_types import QUESTION_KINDS, LearnerQuestion, kind_of
from lms.assessments.text import question_html

GENERAL = "General-feedback-marker-q8h2"

QUESTIONS: dict[QuestionType, ParsedQuestion] = {
    "multichoice": ParsedQuestion(
        type="multichoice",
        text="Which greeting opens a call?",
        general_feedback=GENERAL,
        answers=(
            Answer("Alpha choice", 100, "Feedback-marker-mc-right"),
            Answer("Beta choice", 37.5, "Feedback-marker-mc-partial"),
            Answer("Gamma choice", -62.5, "Feedback-marker-mc-wrong"),
        ),
    ),
    "multiresponse": ParsedQuestion(
        type="multiresponse",
        text="Which details may be read back to a caller?",
        general_feedback=GENERAL,
        answers=(
            Answer("Alpha choice", 50, "Feedback-marker-mr-1"),
            Answer("Beta choice", 50, "Feedback-marker-mr-2"),
            Answer("Gamma choice", -100, "Feedback-marker-mr-3"),
            Answer("Delta choice", 0, "Feedback-marker-mr-4"),
        ),
    ),
    "truefalse": ParsedQuestion(
        type="truefalse",
        text="Calls are recorded.",
        general_feedback=GENERAL,
        truefalse=TrueFalse(
            True, feedback_true="Feedback-marker-tf-true", feedback_false="Feedback-marker-tf-false"
        ),
    ),
    "shortanswer": ParsedQuestion(
        type="shortanswer",
        text="Which word comes first?",
        general_feedback=GENERAL,
        answers=(
            Answer("Accepted-marker-zanzibar", 100, "Feedback-marker-sa-1"),
            Answer("partial-marker-quokka*", 50, "Feedback-marker-sa-2"),
        ),
    ),
    "numerical": ParsedQuestion(
        type="numerical",
        text="How many seconds may a caller wait?",
        general_feedback=GENERAL,
        numerical=(
            NumericalAnswer(98765.4321, 0.0123, 100, "Feedback-marker-num-1"),
            NumericalAnswer(424242, 0, 50, "Feedback-marker-num-2"),
        ),
    ),
    "matching": ParsedQuestion(
        type="matching",
        text="Match each queue to its team.",
        general_feedback=GENERAL,
        pairs=(
            Pair("Alpha prompt", "Alpha choice"),
            Pair("Beta prompt", "Beta choice"),
            Pair("", "Gamma choice"),
        ),
    ),
    "essay": ParsedQuestion(
        type="essay", text="Describe a difficult call.", general_feedback=GENERAL
    ),
    "description": ParsedQuestion(
        type="description", text="The next part is about refunds.", general_feedback=GENERAL
    ),
}

# Besides GENERAL and every feedback, what each type's view must never contain.
KEY_ONLY_TEXT: dict[QuestionType, tuple[str, ...]] = {
    "multichoice": ("37.5", "62.5", "100"),
    "multiresponse": ("50", "-100"),
    "truefalse": (),
    "shortanswer": ("zanzibar", "quokka"),
    "numerical": ("98765", "4321", "0.0123", "424242"),
    "matching": (),
    "essay": (),
    "description": (),
}
# Attribute names that would mean a key-bearing value was passed through whole.
KEY_FIELD_NAMES = ("fraction", "feedback", "tolerance", "correct", "pairs", "answers")

# A saved answer for each type that is not the right one (a right typed answer would show).
WRONG_ANSWERS: dict[QuestionType, dict[str, Any] | None] = {
    "multichoice": {"choice": 2},
    "multiresponse": {"choices": [2, 3]},
    "truefalse": {"value": False},
    "shortanswer": {"text": "a wrong guess"},
    "numerical": {"text": "12"},
    "matching": {"matches": {"0": 1}},
    "essay": {"text": "I stayed calm."},
    "description": None,
}


def view_of(
    type_: QuestionType, answer: dict[str, Any] | None = None, order: tuple[int, ...] = ()
) -> LearnerQuestion:
    """The learner's view of the sample question of `type_`, in `order` (written by default)."""
    question = QUESTIONS[type_]
    kind = kind_of(question)
    order = order or tuple(range(kind.choice_count(question)))
    return kind.learner_view(question, number=3, field="q3", order=order, answer=answer)


def rendered(view: LearnerQuestion) -> str:
    """Everything the page receives, as one string: the dataclass and each piece of HTML."""
    pieces = [repr(view), view.html, view.text]
    pieces += [choice.html for choice in view.choices]
    pieces += [prompt.html for prompt in view.prompts]
    return "\n".join(pieces)


def secrets(question: ParsedQuestion) -> list[str]:
    """The general feedback, every per-answer feedback and the key-only text of a question."""
    found = [question.general_feedback or ""]
    found += [answer.feedback or "" for answer in question.answers]
    found += [number.feedback or "" for number in question.numerical]
    if question.truefalse:
        found += [question.truefalse.feedback_true or "", question.truefalse.feedback_false or ""]
    return [text for text in found if text] + list(KEY_ONLY_TEXT[question.type])


def test_every_question_type_has_a_kind_and_a_sample_here() -> None:
    """A new question type fails here until its learner view is checked for leaks."""
    assert set(QUESTION_KINDS) == set(QUESTION_TYPES) == set(QUESTIONS) == set(KEY_ONLY_TEXT)


@pytest.mark.parametrize("answered", [False, True], ids=["unanswered", "answered"])
@pytest.mark.parametrize("type_", QUESTION_TYPES)
def test_learner_view_reveals_no_feedback_fraction_or_right_answer(
    type_: QuestionType, answered: bool
) -> None:
    """No feedback, general feedback, weight or right-answer-only text reaches the page."""
    view = view_of(type_, WRONG_ANSWERS[type_] if answered else None)
    page = rendered(view).casefold()
    assert QUESTIONS[type_].text.casefold() in page  # the view is not simply empty
    assert [secret for secret in secrets(QUESTIONS[type_]) if secret.casefold() in page] == []
    assert [name for name in KEY_FIELD_NAMES if name in page] == []


def test_matching_prompts_carry_only_their_field_and_text() -> None:
    """A matching prompt says nothing about which answer goes with it."""
    assert [(p.field, str(p.html), p.selected) for p in view_of("matching").prompts] == [
        ("q3-0", "Alpha prompt", ""),
        ("q3-1", "Beta prompt", ""),
    ]


@pytest.mark.parametrize(
    ("type_", "order", "expected"),
    [
        ("multichoice", (2, 0, 1), ["Gamma choice", "Alpha choice", "Beta choice"]),
        (
            "multiresponse",
            (3, 1, 0, 2),
            ["Delta choice", "Beta choice", "Alpha choice", "Gamma choice"],
        ),
        ("matching", (1, 2, 0), ["Beta choice", "Gamma choice", "Alpha choice"]),
    ],
)
def test_choices_come_in_the_given_order_numbered_from_1(
    type_: QuestionType, order: tuple[int, ...], expected: list[str]
) -> None:
    """Choices follow `order` and are valued by shown position, hiding the written order."""
    choices = view_of(type_, order=order).choices
    assert [(choice.value, str(choice.html)) for choice in choices] == [
        (str(shown), text) for shown, text in enumerate(expected, start=1)
    ]


def test_truefalse_offers_true_then_false() -> None:
    """A true/false question always shows True, then False, whichever is right."""
    choices = view_of("truefalse").choices
    assert [(choice.value, str(choice.html)) for choice in choices] == [
        ("true", "True"),
        ("false", "False"),
    ]


@pytest.mark.parametrize("type_", ["shortanswer", "numerical", "essay", "description"])
def test_typed_and_description_views_offer_no_choices(type_: QuestionType) -> None:
    """Typed answers and descriptions have nothing to choose from."""
    view = view_of(type_)
    assert (view.choices, view.prompts, view.text, view.answered) == ((), (), "", False)


@pytest.mark.parametrize(
    ("type_", "order", "answer", "selected"),
    [
        ("multichoice", (2, 0, 1), {"choice": 0}, ["2"]),
        ("multichoice", (2, 0, 1), None, []),
        ("multiresponse", (3, 2, 1, 0), {"choices": [0, 2]}, ["2", "4"]),
        ("multiresponse", (3, 2, 1, 0), None, []),
        ("truefalse", (), {"value": True}, ["true"]),
        ("truefalse", (), {"value": False}, ["false"]),
        ("truefalse", (), None, []),
    ],
)
def test_saved_choices_are_shown_selected(
    type_: QuestionType, order: tuple[int, ...], answer: dict[str, Any] | None, selected: list[str]
) -> None:
    """The saved answer comes back selected, at its shown position, and only it."""
    view = view_of(type_, answer, order)
    assert [choice.value for choice in view.choices if choice.selected] == selected
    assert view.answered is bool(selected)


def test_saved_matches_are_shown_selected_by_shown_position() -> None:
    """Each matched prompt's menu shows the shown position of the saved answer."""
    view = view_of("matching", {"matches": {"1": 0}}, order=(2, 1, 0))
    assert [prompt.selected for prompt in view.prompts] == ["", "3"]
    assert view.answered


@pytest.mark.parametrize("type_", ["shortanswer", "numerical", "essay"])
def test_saved_typed_answer_is_filled_in(type_: QuestionType) -> None:
    """The saved text is put back in the box."""
    view = view_of(type_, {"text": "what I typed"})
    assert (view.text, view.answered) == ("what I typed", True)


@pytest.mark.parametrize(
    ("type_", "order", "answer"),
    [
        ("multichoice", (2, 0, 1), {"choice": 1}),
        ("multiresponse", (3, 2, 1, 0), {"choices": [0, 3]}),
        ("truefalse", (), {"value": False}),
        ("matching", (2, 0, 1), {"matches": {"0": 2, "1": 0}}),
    ],
)
def test_selected_values_posted_back_read_as_the_same_answer(
    type_: QuestionType, order: tuple[int, ...], answer: dict[str, Any]
) -> None:
    """What the page shows selected, sent unchanged, is stored as the answer it came from."""
    view = view_of(type_, answer, order)
    posted = {view.field: [choice.value for choice in view.choices if choice.selected]}
    posted.update({prompt.field: [prompt.selected] for prompt in view.prompts})
    question = QUESTIONS[type_]
    stored = kind_of(question).read_answer(lambda name: posted.get(name, []), "q3", question, order)
    assert stored == answer


def test_choice_text_goes_through_the_sanitiser() -> None:
    """Answer texts are rendered like question text: scripts never reach the page."""
    question = ParsedQuestion(
        type="multichoice",
        text="Pick one.",
        format="html",
        answers=(Answer("<b>Bold</b><script>alert(1)</script>", 100), Answer("Plain", 0)),
    )
    view = kind_of(question).learner_view(question, number=1, field="q1", order=(0, 1), answer=None)
    assert str(view.choices[0].html) == "<b>Bold</b>"


# Question text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">link</a>',
    ],
    ids=["script", "event-handler", "javascript-url"],
)
@pytest.mark.parametrize("text_format", TEXT_FORMATS)
def test_question_html_never_lets_script_through(text_format: TextFormat, attack: str) -> None:
    """Whatever the format, no script tag, event handler or javascript: link survives."""
    html = str(question_html(f"Before {attack} after", text_format))
    assert "<script" not in html
    assert "<img" not in html or "onerror" not in html
    assert 'href="javascript:' not in html
    assert "Before" in html
    assert "after" in html


@pytest.mark.parametrize(
    ("text_format", "expected"),
    [
        ("html", "Say <b>hello</b>."),
        ("moodle", "Say <b>hello</b>."),
        ("markdown", "<p>Say <b>hello</b>.</p>"),
        ("plain", "Say &lt;b&gt;hello&lt;/b&gt;."),
    ],
)
def test_question_html_keeps_bold_tags_except_in_plain_text(
    text_format: TextFormat, expected: str
) -> None:
    """Allowed tags stay in HTML, Moodle and Markdown text; plain text shows them literally."""
    assert str(question_html("Say <b>hello</b>.", text_format)).strip() == expected


@pytest.mark.parametrize(
    ("text_format", "expected"),
    [
        ("markdown", "<p>Say <strong>hello</strong>.</p>"),
        ("html", "Say **hello**."),
        ("moodle", "Say **hello**."),
        ("plain", "Say **hello**."),
    ],
)
def test_question_html_renders_markdown_only_in_markdown(
    text_format: TextFormat, expected: str
) -> None:
    """`**bold**` is bold in Markdown text and literal stars elsewhere."""
    assert str(question_html("Say **hello**.", text_format)).strip() == expected


@pytest.mark.parametrize(
    ("text_format", "expected"),
    [("moodle", "One<br>two"), ("plain", "One<br>two"), ("html", "One\ntwo")],
)
def test_question_html_keeps_line_breaks_in_moodle_and_plain_text(
    text_format: TextFormat, expected: str
) -> None:
    """Moodle's auto-format and plain text keep the author's line breaks; HTML leaves them."""
    assert str(question_html("One\ntwo", text_format)) == expected
