"""A generated module with a knowledge check, in the real file formats, and the check's key.

The module (``01-bench-quiz``, code ``BQ``) holds three generated lessons
(generated_content.py). Its knowledge check (``assessments/BQ/knowledge-check.gift`` and
``.yml``) has a given number of questions cycling through the six automatically marked types:
single choice, multiple response, true/false, short answer, numerical and matching. Answers
are shuffled, questions are not, so question N is always on page N.

The key says, for each question number, the right answer as a learner sees it (the labels of
the choices, the text to type, the pairs to match), so a simulated learner answers by reading
the page, as a person would, and every attempt should score 100 %.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from generated_content import lesson_body, lesson_file, module_file, rng_for

MODULE_FOLDER = "01-bench-quiz"
MODULE_SLUG = "bench-quiz"
MODULE_CODE = "BQ"
QUIZ_SLUG = "knowledge-check"
LESSONS = 3
LESSON_WORDS = 300

QUEUES = ("Billing", "Faults", "Sales", "Complaints", "Collections", "Retentions")
TERMS = (
    ("IVR", "the phone menu"),
    ("ACD", "the router of queued calls"),
    ("AHT", "the average handle time"),
    ("FCR", "resolving the call the first time"),
    ("SLA", "the service level agreed with the client"),
)


@dataclass(frozen=True)
class RightAnswer:
    """Question N's right answer, in the words the learner's page shows."""

    type: str
    labels: tuple[str, ...] = ()  # choices to tick: one for single choice, several otherwise
    value: str = ""  # true/false's value, or the text to type
    matches: dict[str, str] = field(default_factory=dict)  # prompt -> answer, for matching


def _question(number: int) -> tuple[str, RightAnswer]:
    """Question `number` (1-based) in GIFT, and its right answer."""
    kind = (number - 1) % 6
    name, topic = f"q{number:02d}", QUEUES[number % len(QUEUES)]
    if kind == 0:
        wrong = [q for q in QUEUES if q != topic][:3]
        choices = " ".join([f"={topic}#Right.", *(f"~{q}#Not that queue." for q in wrong)])
        question = f"Which queue takes case {number}, a call about {topic.lower()}?"
        text = f"::{name}::{question} {{{choices}}}"
        return text, RightAnswer("multichoice", labels=(topic,))
    if kind == 1:
        text = (
            f"::{name}::Which two steps come first on call {number}? "
            "{~%50%Greet the caller ~%50%Verify the caller "
            "~%-100%Read the card number back ~%-100%Transfer the call}"
        )
        return text, RightAnswer("multiresponse", labels=("Greet the caller", "Verify the caller"))
    if kind == 2:
        truth = number % 2 == 1
        text = (
            f"::{name}::After-call work on shift {number} counts as busy time. "
            f"{{{'T' if truth else 'F'}#Check the adherence rules.#Right.}}"
        )
        return text, RightAnswer("truefalse", value="true" if truth else "false")
    if kind == 3:
        text = (
            f"::{name}::Name the stage, on call {number}, where you confirm who is calling. "
            "{=verification#Right. =%50%checking#Nearly.}"
        )
        return text, RightAnswer("shortanswer", value="Verification")
    if kind == 4:
        seconds = 10 + number
        text = f"::{name}::How many seconds may caller {number} wait, at most? {{#{seconds}:0}}"
        return text, RightAnswer("numerical", value=str(seconds))
    pairs = [TERMS[(number + k) % len(TERMS)] for k in range(3)]
    body = " ".join(f"={term} -> {meaning}" for term, meaning in pairs)
    text = f"::{name}::Match each term of set {number} with its meaning. {{{body}}}"
    return text, RightAnswer("matching", matches=dict(pairs))


def quiz_gift(questions: int) -> tuple[str, dict[int, RightAnswer]]:
    """The knowledge check's GIFT file and its key by question number."""
    blocks, key = ["$CATEGORY: Call handling"], {}
    for number in range(1, questions + 1):
        text, answer = _question(number)
        blocks.append(text)
        key[number] = answer
    return "\n\n".join(blocks) + "\n", key


def quiz_settings() -> str:
    """The knowledge check's settings file: one page per question, answers shuffled."""
    values = {
        "title": "Bench quiz: knowledge check",
        "module": MODULE_CODE,
        "kind": "knowledge-check",
        "pass_mark": 75,
        "attempts": 3,
        "time_limit": 30,
        "layout": "one-per-page",
        "shuffle_questions": False,
        "shuffle_answers": True,
        "feedback": "after-each-attempt",
        "outcomes": {"categories": {"Call handling": [f"{MODULE_CODE}-LO1"]}},
    }
    return yaml.safe_dump(values, sort_keys=False)


def write_programme(root: Path, questions: int) -> dict[int, RightAnswer]:
    """Write `root/content` (one module of three lessons) and `root/assessments`; the key."""
    folder = root / "content" / MODULE_FOLDER
    folder.mkdir(parents=True)
    intro = "A module generated so the attempts benchmark has a knowledge check to take."
    (folder / "module.md").write_text(
        module_file(MODULE_CODE, "Bench quiz", 1, 1, intro), encoding="utf-8"
    )
    for order in range(1, LESSONS + 1):
        body, count = lesson_body(rng_for(f"bench-quiz-{order}"), LESSON_WORDS)
        text = lesson_file(f"Bench lesson {order}", order, body, count, f"{MODULE_CODE}-LO1")
        (folder / f"{order:02d}-bench-lesson-{order}.md").write_text(text, encoding="utf-8")
    quizzes = root / "assessments" / MODULE_CODE
    quizzes.mkdir(parents=True)
    gift, key = quiz_gift(questions)
    (quizzes / f"{QUIZ_SLUG}.gift").write_text(gift, encoding="utf-8")
    (quizzes / f"{QUIZ_SLUG}.yml").write_text(quiz_settings(), encoding="utf-8")
    return key


@contextlib.contextmanager
def quiz_programme(questions: int) -> Iterator[tuple[Path, dict[int, RightAnswer]]]:
    """A temporary folder holding `content/` and `assessments/`, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="lms-bench-quiz-"))
    try:
        yield root, write_programme(root, questions)
    finally:
        shutil.rmtree(root, ignore_errors=True)
