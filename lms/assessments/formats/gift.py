"""Read Moodle's GIFT question format as Moodle's own importer reads it.

The reference is Moodle's documentation page "GIFT format" (docs.moodle.org/en/GIFT_format)
and its importer, question/format/gift/format.php. A question is a run of non-blank lines:

    // a comment line
    ::Name::[html]Question text {=right#feedback ~wrong ####general feedback}

`$CATEGORY: path` on its own sets the category of the questions after it. A question without
an answer block is a description; with the block inside the sentence it is a missing-word
question, whose text keeps BLANK ("_____") where the block stood.

Where Moodle would quietly store something its author did not mean (an unclosed name, a
second answer block, a weight it does not offer, a question it cannot mark), this reader
reports an error instead. It never raises: every problem is a SourceError with its line, and
the questions that were fine are returned beside them.
"""

from __future__ import annotations

from lms.assessments.formats.gift_answers import READERS, answer_type
from lms.assessments.formats.gift_lexer import BLANKS, GiftSource, Line, question_blocks
from lms.assessments.formats.questions import BLANK, ParsedQuestion, TextFormat
from lms.assessments.formats.result import ParsedFile
from lms.content.frontmatter import SourceError

CATEGORY_MARK = "$CATEGORY:"


def parse_gift(text: str, file: str = "<gift>") -> ParsedFile:
    """Every question of a GIFT file, and every problem found, each with its line."""
    errors: list[SourceError] = []
    questions: list[ParsedQuestion] = []
    category: str | None = None
    reported = 0
    for block in question_blocks(text, file, errors):
        # Errors the lexer found in this block's lines (a noncharacter) spoil its question.
        spoilt = len(errors) > reported
        category, question = _read_block(block, file, errors, category)
        if question is not None and not spoilt:
            questions.append(question)
        reported = len(errors)
    return ParsedFile(tuple(questions), tuple(sorted(errors)))


def _read_block(
    block: list[Line], file: str, errors: list[SourceError], category: str | None
) -> tuple[str | None, ParsedQuestion | None]:
    """The category in force after a block, and the block's question if it is a fine one."""
    source = GiftSource(block, file, errors)
    if source.text.startswith(CATEGORY_MARK):
        category, rest = _read_category(source, block, category)
        if not rest:
            return category, None
        source = GiftSource(rest, file, errors)
    try:
        return category, _read_question(source, category)
    except Exception as error:  # a reader's bug must not hide the file's other problems
        source.error(0, f"this question could not be read ({type(error).__name__})")
        return category, None


def _read_category(
    source: GiftSource, block: list[Line], current: str | None
) -> tuple[str | None, list[Line]]:
    """The category a `$CATEGORY:` line sets, and any lines wrongly run on after it."""
    first, rest = block[0], block[1:]
    name = source.clean(first.text[len(CATEGORY_MARK) :], 0, formatted=False)
    if rest:
        # Moodle would make the whole block the category's name.
        source.error(len(first.text) + 1, "put a blank line after the $CATEGORY line")
    if not name:
        source.error(0, "$CATEGORY needs a category path, such as $CATEGORY: induction/week 1")
    elif "\n" in name:
        source.error(0, "a category path cannot hold a line break (\\n)")
    else:
        return name, rest
    return current, rest


def _read_question(source: GiftSource, category: str | None) -> ParsedQuestion | None:
    text = source.text
    name, start = _read_name(source)
    if start is None:
        return None
    start, _ = source.strip_span(start, len(text))
    if start == len(text):
        source.error(0, "the question has a name but no text")
        return None
    block = _find_answer_block(source, start)
    if block is None:
        return None
    opening, closing = block
    if opening < 0:
        raw_text, after = text[start:], ""
    else:
        after = text[closing + 1 :]
        # Moodle: a block that ends the question leaves no blank behind (missing word form).
        blank = BLANK if after.strip(BLANKS) else ""
        raw_text = text[start:opening] + blank + after
    source.format, tag_length = _question_format(source, raw_text, start)
    question_text = source.clean(raw_text[tag_length:], start, formatted=False)
    if not question_text:
        source.error(start, "the question has no text")
    if opening < 0:
        if source.failed:
            return None
        return ParsedQuestion(
            type="description",
            text=question_text,
            name=name,
            format=source.format,
            category=category,
            line=source.first_line,
        )
    inner_end, general_feedback = _general_feedback(source, opening + 1, closing)
    inner_start, inner_end = source.strip_span(opening + 1, inner_end)
    kind = answer_type(text[inner_start:inner_end])
    if kind == "essay" and after.strip(BLANKS):
        source.error(closing, "an essay's {} must end the question: move the text before it")
    answers = READERS[kind](source, inner_start, inner_end, opening)
    if source.failed:
        return None
    return ParsedQuestion(
        type=kind,
        text=question_text,
        name=name,
        format=source.format,
        category=category,
        general_feedback=general_feedback,
        answers=answers.answers,
        numerical=answers.numerical,
        pairs=answers.pairs,
        truefalse=answers.truefalse,
        line=source.first_line,
    )


def _read_name(source: GiftSource) -> tuple[str | None, int | None]:
    """The `::name::` that opens a question, and where the text after it starts.

    The start is None when the name is not closed (Moodle would read on, name and all, as
    question text).
    """
    if not source.text.startswith("::"):
        return None, 0
    end = source.text.find("::", 2)
    if end < 0:
        source.error(0, "the question name is not closed with '::'")
        return None, None
    name = source.clean(source.text[2:end], 2, formatted=False)
    if not name:
        source.error(0, "the question name is empty: write ::name:: or leave it out")
    return name or None, end + 2


def _find_answer_block(source: GiftSource, start: int) -> tuple[int, int] | None:
    """Where `{` and `}` are: (-1, -1) for a description, None when the braces are wrong."""
    text = source.text
    opening, closing = text.find("{", start), text.find("}", start)
    if opening < 0 and closing < 0:
        return -1, -1
    if closing >= 0 and (opening < 0 or closing < opening):
        source.error(closing, "'}' has no '{' before it (write \\} for a literal brace)")
        return None
    if closing < 0:
        source.error(opening, "the answer block '{' is not closed with '}'")
        return None
    nested = text.find("{", opening + 1, closing)
    if nested >= 0:
        source.error(nested, "'{' inside an answer block (write \\{ for a literal brace)")
        return None
    extra = [at for at in (text.find("{", closing), text.find("}", closing + 1)) if at >= 0]
    if extra:
        source.error(
            min(extra),
            "a question has one answer block: write \\{ and \\} for literal braces, "
            "or put a blank line between two questions",
        )
        return None
    return opening, closing


def _question_format(source: GiftSource, raw_text: str, start: int) -> tuple[TextFormat, int]:
    """The question's format from a leading `[tag]` (Moodle's default: moodle)."""
    if not raw_text.startswith("["):
        return "moodle", 0
    tag, length = source.format_tag(raw_text, start)
    return tag or "moodle", length


def _general_feedback(source: GiftSource, start: int, end: int) -> tuple[int, str | None]:
    """Where the answers end, and the general feedback after the block's last `####`."""
    mark = source.text.rfind("####", start, end)
    if mark < 0:
        return end, None
    return mark, source.text_of(mark + 4, end) or None
