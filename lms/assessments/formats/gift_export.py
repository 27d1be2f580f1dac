"""Write questions as GIFT that Moodle imports and `parse_gift` reads back to equal questions.

The layout follows Moodle's own exporter (writequestion in question/format/gift/format.php):
one answer a line, weights as `%n%`, general feedback last as `####`, control characters
escaped and line breaks written `\\n`. Where the reader would take a piece of text for syntax,
the writer protects it: a text that starts with `[` or `%` (a format tag or a weight to the
reader) is preceded by the question's own format tag, and so is a question text that would
start its line with `//` (a comment). A missing-word question has its block written where its
blank is, so the file reads as its author wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lms.assessments.formats.gift import CATEGORY_MARK
from lms.assessments.formats.gift_lexer import BLANKS, escape_text
from lms.assessments.formats.questions import BLANK, ParsedQuestion, QuestionType


def export_gift(questions: Iterable[ParsedQuestion]) -> str:
    """GIFT for the questions, with a `$CATEGORY:` line wherever the category changes.

    Raises ValueError for a question GIFT cannot express (see the messages below).
    """
    parts = []
    category: str | None = None
    for number, question in enumerate(questions, start=1):
        if question.category != category:
            if question.category is None:
                raise ValueError(
                    f"question {number} has no category after questions that had one: "
                    "GIFT cannot go back to no category"
                )
            if "\n" in question.category or "\r" in question.category:
                raise ValueError(f"question {number}: a category cannot hold a line break")
            # Moodle reads a category's characters as they are, except `\\` for a backslash.
            path = question.category.replace("\\", "\\\\")
            parts.append(f"{CATEGORY_MARK} {path}\n")
            category = question.category
        parts.append(_question(question))
    return "\n".join(parts)


def _question(question: ParsedQuestion) -> str:
    head = "" if question.name is None else f"::{escape_text(question.name)}::"
    block = _BLOCKS[question.type](question)
    text = question.text
    before, blank, after = text.partition(BLANK)
    if blank and block and question.type != "essay" and after.strip(BLANKS):
        body = _lead(before, question, named=bool(head)) + block + escape_text(after)
    else:
        body = _lead(text, question, named=bool(head)) + block
    return head + body + "\n"


def _lead(text: str, question: ParsedQuestion, *, named: bool) -> str:
    """The question text with its format tag: always when not moodle, else when needed."""
    written = escape_text(text)
    needs_tag = written.startswith("[") or (not named and written.startswith("//"))
    if question.format != "moodle" or needs_tag:
        return f"[{question.format}]{written}"
    return written


def _piece(text: str, question: ParsedQuestion) -> str:
    """An answer or feedback; one starting with `[` or `%` gets the question's format tag."""
    written = escape_text(text)
    if written.startswith(("[", "%")):
        return f"[{question.format}]{written}"
    return written


def _feedback(feedback: str | None, question: ParsedQuestion) -> str:
    return "" if feedback is None else "#" + _piece(feedback, question)


def _general(question: ParsedQuestion) -> str:
    if question.general_feedback is None:
        return ""
    return "####" + _piece(question.general_feedback, question)


def _lines(lines: list[str], question: ParsedQuestion, opening: str = "{") -> str:
    """A block of one answer a line, then the general feedback, as Moodle writes them."""
    general = _general(question)
    rows = [f"\t{line}" for line in lines] + ([f"\t{general}"] if general else [])
    return opening + "\n" + "\n".join(rows) + "\n}"


def _weight(fraction: float) -> str:
    return f"%{_number(fraction)}%"


def _number(value: float) -> str:
    """The shortest text that reads back as the same float (1822, 3.1415, 83.33333)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _description(question: ParsedQuestion) -> str:
    if question.general_feedback is not None:
        raise ValueError(f"{question.text!r}: a description cannot have general feedback")
    return ""


def _essay(question: ParsedQuestion) -> str:
    return "{" + _general(question) + "}"


def _choices(question: ParsedQuestion) -> str:
    single = question.type == "multichoice"
    if single and not any(answer.fraction == 100 for answer in question.answers):
        raise ValueError(f"{question.text!r}: a multiple choice question needs a 100% answer")
    # The reader needs a '~' to see multiple choice: when every answer is right, all but the
    # first are written '~%100%', which Moodle reads the same.
    all_right = all(answer.fraction == 100 for answer in question.answers)
    rows = []
    for index, answer in enumerate(question.answers):
        if single and answer.fraction == 100 and not (all_right and index > 0):
            mark = "="
        elif answer.fraction == 0:
            mark = "~"
        else:
            mark = "~" + _weight(answer.fraction)
        rows.append(mark + _piece(answer.text, question) + _feedback(answer.feedback, question))
    return _lines(rows, question)


def _short_answers(question: ParsedQuestion) -> str:
    written = [
        _piece(answer.text, question) + _feedback(answer.feedback, question)
        for answer in question.answers
    ]
    if any("->" in row for row in written):
        # With '=' and '->' the reader would see a matching question. One answer worth 100%
        # can be written bare, as Moodle allows ({a -> b}); several cannot be told apart.
        if len(question.answers) != 1 or question.answers[0].fraction != 100:
            raise ValueError(f"{question.text!r}: short answers with '->' cannot be written")
        general = _general(question)
        return "{" + written[0] + (f" {general}" if general else "") + "}"
    rows = [
        "=" + ("" if answer.fraction == 100 else _weight(answer.fraction)) + row
        for answer, row in zip(question.answers, written, strict=True)
    ]
    return _lines(rows, question)


def _numbers(question: ParsedQuestion) -> str:
    rows = [
        "="
        + ("" if number.fraction == 100 else _weight(number.fraction))
        + f"{_number(number.value)}:{_number(number.tolerance)}"
        + _feedback(number.feedback, question)
        for number in question.numerical
    ]
    return _lines(rows, question, opening="{#")


def _pairs(question: ParsedQuestion) -> str:
    rows = []
    for pair in question.pairs:
        if "->" in pair.question:
            raise ValueError(f"{pair.question!r}: a matching prompt cannot contain '->'")
        rows.append(f"={_piece(pair.question, question)} -> {escape_text(pair.answer)}")
    return _lines(rows, question)


def _true_false(question: ParsedQuestion) -> str:
    # The reverse of the reader's mapping: the first feedback is for a wrong answer.
    verdict = question.truefalse
    if verdict is None:
        raise ValueError(f"{question.text!r}: a true/false question needs its answer")
    if verdict.correct:
        right, wrong = verdict.feedback_true, verdict.feedback_false
    else:
        right, wrong = verdict.feedback_false, verdict.feedback_true
    written = "TRUE" if verdict.correct else "FALSE"
    if wrong is not None or right is not None:
        written += "#" + ("" if wrong is None else _piece(wrong, question))
    if right is not None:
        written += "#" + _piece(right, question)
    return "{" + written + _general(question) + "}"


_BLOCKS: dict[QuestionType, Callable[[ParsedQuestion], str]] = {
    "multichoice": _choices,
    "multiresponse": _choices,
    "truefalse": _true_false,
    "shortanswer": _short_answers,
    "numerical": _numbers,
    "matching": _pairs,
    "essay": _essay,
    "description": _description,
}
