"""Builders for the expected `as_json()` of questions, so the tables read like the format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


def question(kind: str, text: str, **fields: Any) -> Json:
    """A question's as_json(): the keys every type has, with their defaults, then `fields`."""
    return {
        "name": None,
        "type": kind,
        "text": text,
        "format": "moodle",
        "category": None,
        "general_feedback": None,
        **fields,
    }


def answer(text: str, fraction: float, feedback: str | None = None) -> Json:
    return {"text": text, "fraction": fraction, "feedback": feedback}


def right(text: str, feedback: str | None = None) -> Json:
    return answer(text, 100, feedback)


def wrong(text: str, feedback: str | None = None) -> Json:
    return answer(text, 0, feedback)


def number(
    value: float, tolerance: float = 0, fraction: float = 100, feedback: str | None = None
) -> Json:
    return {"value": value, "tolerance": tolerance, "fraction": fraction, "feedback": feedback}


def pair(prompt: str, match: str) -> Json:
    return {"question": prompt, "answer": match}


def verdict(
    correct: bool, feedback_true: str | None = None, feedback_false: str | None = None
) -> Json:
    return {"correct": correct, "feedback_true": feedback_true, "feedback_false": feedback_false}


@dataclass(frozen=True)
class GiftCase:
    """A GIFT text and what reading it gives: each question's as_json() with its line, and
    the errors as "line: message"."""

    id: str
    gift: str
    questions: list[tuple[int, Json]]
    errors: list[str] = field(default_factory=list)
