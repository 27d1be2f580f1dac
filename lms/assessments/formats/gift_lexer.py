"""GIFT's lexical layer: lines into question blocks, escapes hidden, and where each character is.

Moodle's importer (question/format/gift/format.php with qformat_default::readquestions) reads a
file this way, and so does this module:

- the lines are trimmed (spaces, tabs, NUL and vertical tab, as PHP's trim()); a blank line
  ends a question, so a question never holds a blank line (write `\\n` for a line break);
- a line that starts with `//` is a comment and is left out;
- before anything is parsed, the escapes `\\~ \\= \\# \\{ \\} \\:` are swapped for placeholders,
  so an escaped character is never syntax; `\\\\` is one backslash and `\\n` a line break. Any
  other backslash is kept as it is (LaTeX's `\\(` stays `\\(`).

The placeholders are Unicode noncharacters (U+FDD0 to U+FDD5), reserved for exactly this kind
of internal use; a file that contains one is told so instead of being misread.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from lms.assessments.formats.questions import TEXT_FORMATS, TextFormat
from lms.content.frontmatter import SourceError

# What PHP's trim() removes: Moodle trims with it, so a non-breaking space is text, not blank.
BLANKS = " \t\n\r\x00\x0b"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_HIDDEN = {
    ":": "\ufdd0",
    "#": "\ufdd1",
    "=": "\ufdd2",
    "{": "\ufdd3",
    "}": "\ufdd4",
    "~": "\ufdd5",
    "\\": "\\",
    "n": "\n",
}
_RESTORE = str.maketrans({hidden: char for char, hidden in _HIDDEN.items() if char not in "\\n"})
_RESERVED = re.compile("[\ufdd0-\ufdd5]")
_FORMAT_WORD = re.compile(r"[A-Za-z]+")
FORMAT_CHOICES = "[moodle], [html], [plain] or [markdown]"


@dataclass(frozen=True)
class Line:
    """One non-blank, non-comment line of a question: its number in the file and its text."""

    number: int
    text: str


def question_blocks(text: str, file: str, errors: list[SourceError]) -> Iterator[list[Line]]:
    """The file's questions as runs of non-blank lines, comment lines dropped, escapes hidden."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reserved = _RESERVED.search(text) is not None
    block: list[Line] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = raw.strip(BLANKS)
        if not line:
            if block:
                yield block
                block = []
            continue
        if line.startswith("//"):
            continue
        if reserved and (found := _RESERVED.search(line)):
            code = f"U+{ord(found.group()):04X}"
            errors.append(SourceError(file, number, f"the line holds {code}, a noncharacter"))
            line = _RESERVED.sub("\ufffd", line)
        if "\\" in line:
            line = _ESCAPE.sub(_hide, line)
        block.append(Line(number, line))
    if block:
        yield block


def _hide(match: re.Match[str]) -> str:
    return _HIDDEN[match.group(1)]


_ESCAPE_TABLE = str.maketrans({char: "\\" + char for char in "\\:#={}~"} | {"\n": "\\n", "\r": ""})


def escape_text(text: str) -> str:
    """Text written for GIFT: backslash and control characters escaped, line breaks as `\\n`."""
    return text.translate(_ESCAPE_TABLE)


class GiftSource:
    """One question's text with its escapes hidden, able to say which line any character is on.

    Readers take spans of `text`; `error()` records a problem at the line of a position and
    marks the question as failed, so reading can go on and report every problem it finds.
    """

    def __init__(self, lines: list[Line], file: str, errors: list[SourceError]) -> None:
        self.text = "\n".join(line.text for line in lines)
        self.first_line = lines[0].number
        self.file = file
        self.format: TextFormat = "moodle"
        self.failed = False
        self._errors = errors
        self._numbers = [line.number for line in lines]
        self._starts = [0, *accumulate(len(line.text) + 1 for line in lines[:-1])]

    def line_at(self, position: int) -> int:
        """The file line that the character at `position` of `text` came from."""
        return self._numbers[bisect_right(self._starts, position) - 1]

    def error(self, position: int, message: str) -> None:
        """Record a problem at the line of `position`; the question will not be kept."""
        self._errors.append(SourceError(self.file, self.line_at(position), message))
        self.failed = True

    def strip_span(self, start: int, end: int) -> tuple[int, int]:
        """The span without the blanks at either end."""
        while start < end and self.text[start] in BLANKS:
            start += 1
        while end > start and self.text[end - 1] in BLANKS:
            end -= 1
        return start, end

    def text_of(self, start: int, end: int) -> str:
        """A span as Moodle stores it: its format tag checked and removed, escapes restored."""
        start, end = self.strip_span(start, end)
        return self.clean(self.text[start:end], start)

    def clean(self, raw: str, position: int, *, formatted: bool = True) -> str:
        """Trimmed text with escapes restored; `formatted` text may start with a format tag.

        A tag must name the question's own format: this platform keeps one format a question,
        and the tag would otherwise be dropped in silence.
        """
        raw = raw.strip(BLANKS)
        if formatted and raw.startswith("["):
            tag, length = self.format_tag(raw, position)
            if tag is not None and tag != self.format:
                self.error(
                    position,
                    f"[{tag}] is not the question's format [{self.format}]: "
                    "a question has one text format",
                )
            raw = raw[length:]
        return raw.translate(_RESTORE).strip(BLANKS)

    def format_tag(self, raw: str, position: int) -> tuple[TextFormat | None, int]:
        """The format named by a leading `[tag]` and the tag's length; (None, 0) when none.

        Moodle keeps an unknown `[...]` as text; a single unknown word (`[htm]`, `[HTML]`) is
        almost surely a misspelt tag, so it is reported. Text that must start with such a word
        in brackets can put its format first: `[moodle][Note] ...`.
        """
        close = raw.find("]")
        if close < 0:
            return None, 0
        name = raw[1:close]
        for known in TEXT_FORMATS:
            if name == known:
                return known, close + 1
        if _FORMAT_WORD.fullmatch(name):
            self.error(position, f"unknown text format [{name}]: use {FORMAT_CHOICES}")
        return None, 0
