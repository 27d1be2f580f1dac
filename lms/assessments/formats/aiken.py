"""Read the Aiken format: multiple choice questions with one right answer, as Moodle reads them.

    Which of these is a contact centre's first-contact resolution target?
    A. 50%
    B) 70%
    C. 100%
    ANSWER: B

Following Moodle's importer (question/format/aiken/format.php): lines are trimmed and lines
shorter than two characters are skipped, so blank lines do not matter; a line starting with a
capital letter then `.` or `)` is an option; `ANSWER:` then a letter ends the question. The
question text comes first (several lines are joined with line breaks, where Moodle would start
a new question at each line). Options must be lettered A, B, C... in order, so the letter after
ANSWER names the option that carries it (Moodle counts positions, whatever the labels say).

Aiken text is plain: Moodle imports it as HTML with the characters escaped, which is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lms.assessments.formats.questions import Answer, ParsedQuestion
from lms.assessments.formats.result import ParsedFile
from lms.content.frontmatter import SourceError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_OPTION = re.compile(r"([A-Z])[.)][ \t]?")
_ANSWER_LINE = "ANSWER:"
_MISSPELT_ANSWER = re.compile(r"answer\s*:", re.IGNORECASE)
_BLANKS = " \t\x00\x0b"


@dataclass
class _Draft:
    """A question being read: its first line, its text lines and its options so far."""

    line: int
    last: int  # the last line read into it, where a missing ANSWER line was due after
    text: list[str]
    options: list[Answer] = field(default_factory=list)
    failed: bool = False


class _AikenReader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[SourceError] = []
        self.questions: list[ParsedQuestion] = []
        self.draft: _Draft | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(SourceError(self.file, line, message))
        if self.draft is not None:
            self.draft.failed = True

    def read(self, number: int, line: str) -> None:
        if option := _OPTION.match(line):
            self.option(number, option.group(1), line[option.end() :].strip(_BLANKS))
        elif line.startswith(_ANSWER_LINE):
            self.answer(number, line[len(_ANSWER_LINE) :].strip(_BLANKS))
        elif _MISSPELT_ANSWER.match(line):
            # Taken as the question's answer line, so the question is not also "unfinished".
            self.error(number, "write the answer line as 'ANSWER: B' (capitals, then a colon)")
            self.draft = None
        else:
            self.text(number, line)

    def option(self, number: int, label: str, text: str) -> None:
        draft = self.draft
        if draft is None:
            self.errors.append(SourceError(self.file, number, f"option {label} has no question"))
            return
        expected = chr(ord("A") + len(draft.options))
        if label != expected:
            self.error(number, f"option {label} should be {expected}: letter options A, B, C...")
        if not text:
            self.error(number, f"option {label} has no text")
        draft.options.append(Answer(text, 0.0))
        draft.last = number

    def answer(self, number: int, letter: str) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            self.errors.append(SourceError(self.file, number, "ANSWER has no question before it"))
            return
        problem = _answer_problem(draft, letter)
        if problem:
            self.errors.append(SourceError(self.file, number, problem))
        if problem or draft.failed:
            return
        right = ord(letter) - ord("A")
        answers = tuple(
            Answer(option.text, 100.0 if index == right else 0.0)
            for index, option in enumerate(draft.options)
        )
        self.questions.append(
            ParsedQuestion(
                type="multichoice",
                text="\n".join(draft.text),
                format="plain",
                answers=answers,
                line=draft.line,
            )
        )

    def text(self, number: int, line: str) -> None:
        draft = self.draft
        if draft is not None and not draft.options:
            draft.text.append(line)
            draft.last = number
            return
        self.unfinished()
        self.draft = _Draft(number, number, [line])

    def unfinished(self) -> None:
        """Report the question being read, if any, as never given its ANSWER line."""
        draft = self.draft
        if draft is None:
            return
        if draft.options:
            message = f"the question on line {draft.line} has no 'ANSWER:' line after its options"
            self.errors.append(SourceError(self.file, draft.last + 1, message))
        else:
            self.errors.append(SourceError(self.file, draft.line, "the question has no options"))


def _answer_problem(draft: _Draft, letter: str) -> str | None:
    count = len(draft.options)
    last = chr(ord("A") + count - 1)
    if count < 2:
        return f"the question on line {draft.line} needs at least two options"
    if not re.fullmatch("[A-Z]", letter):
        return f"ANSWER must be one option letter, A to {last}"
    if ord(letter) - ord("A") >= count:
        return f"ANSWER {letter} is not an option: the options are A to {last}"
    return None


def parse_aiken(text: str, file: str = "<aiken>") -> ParsedFile:
    """Every question of an Aiken file, and every problem found, each with its line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _AikenReader(file)
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = raw.strip(_BLANKS)
        if len(line) >= 2:  # Moodle skips shorter lines, blank or not
            reader.read(number, line)
    reader.unfinished()
    return ParsedFile(tuple(reader.questions), tuple(sorted(reader.errors)))
