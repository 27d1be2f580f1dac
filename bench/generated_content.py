"""Generated course content for the benchmarks, in the real file format (docs/CONTENT.md).

Lessons are built from a bank of contact-centre sentences with numbers, names and systems
filled in, so every lesson reads differently and hashes differently, yet the same seed always
gives the same text. A lesson has ``##`` sections (enough for a table of contents), a list, a
table and an admonition, and is filled to a given number of words as the platform counts them
(``count_words`` in lms/content/rendering.py): within a word or two of the target.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lms.content.rendering import count_words

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_MODULES = REPO_ROOT / "content" / "modules"
REVIEWED = "2026-11-20"


def _items(*lines: str) -> tuple[str, ...]:
    """A word bank written compactly: items separated by `|`, over several lines."""
    return tuple("|".join(lines).split("|"))


NAMES = _items("Thandi|Sipho|Priya|Johan|Lerato|Ayesha|Musa|Naledi|Kabelo|Zanele|Pieter|Fatima")
TOPICS = _items(
    "a late payment|a billing dispute|a password reset|a missing delivery|"
    "a change of address|a cancelled order|a roaming charge|a duplicate debit|"
    "a faulty router|an upgrade request|a refund|a contract renewal"
)
TOOLS = _items(
    "the CRM|the knowledge base|the ticketing system|the softphone|the call notes screen|"
    "the escalation form|the wrap-up list"
)
TEAMS = _items(
    "the billing team|second-line support|the retentions desk|the team leader on duty|"
    "the quality team|workforce management"
)
SENTENCES = (
    "When a caller rings about {topic}, {name} confirms their identity before opening {tool}.",
    "Read the account history in {tool} first, because the customer may already have called "
    "about {topic} this week.",
    "If you cannot resolve {topic} within {minutes} minutes, note what you have tried and "
    "transfer the call to {team}.",
    "{name} keeps a short checklist beside the keyboard so that no step is missed on a busy shift.",
    "A warm transfer means you stay on the line, introduce the caller to {team} and sum up the "
    "problem in one or two sentences.",
    "Customers rarely mind a short hold when you tell them why you need it and how long it takes.",
    "Write your notes as if a colleague who has never met the customer will pick up the case "
    "tomorrow morning.",
    "Last month the team answered {percent}% of calls within 20 seconds, just above the target "
    "agreed with the client.",
    "Quality assessors listen to about {few} calls per agent each month and score them against "
    "the same scorecard.",
    "Never read a full card number back to the caller; confirm only the last four digits.",
    "If a caller becomes abusive, give one clear warning, and end the call politely if the "
    "behaviour continues.",
    "Check {tool} for an open ticket before you create a new one, so the customer does not "
    "receive two reference numbers.",
    "Use the caller's name once or twice during the call, but not in every sentence.",
    "After-call work is part of the job: updating {tool} properly saves the next agent several "
    "minutes.",
    "{name} found that summing up the agreed next step at the end of each call cut repeat calls "
    "by almost {small}%.",
    "The knowledge base changes every week, so look up the current process rather than relying "
    "on memory.",
    "Escalate to {team} straight away when the caller mentions legal action, a regulator or a "
    "threat to their safety.",
    "Speak slowly when you give a reference number, and ask the caller to read it back to you.",
    "Schedule adherence matters because the forecast assumes you are available at the times on "
    "your roster.",
    "A call about {topic} often hides a second question, so ask whether there is anything else "
    "before you close.",
    "Mute is not a substitute for hold, because the caller can sometimes still hear the room.",
    "Record the wrap-up code that matches the main reason for the call, not the last thing "
    "discussed.",
    "If {tool} is slow, tell the caller you are waiting for the system rather than leaving a "
    "long silence.",
    "Team leaders go through the previous day's figures at a {minutes}-minute huddle before the "
    "morning shift.",
    "Empathy does not mean agreeing with everything; it means showing that you understand why "
    "the caller is upset.",
    "Offer a callback when the fix needs another department, and book that callback in {tool}.",
    "On an average day {name}'s team handles about {many} calls, with the busiest hour just "
    "after lunch.",
    "Before a break, set your status to unavailable so that no new call is routed to your desk.",
    "Confirm the customer's preferred contact number at the start, in case the call drops.",
    "Personal information stays in {tool}; never copy it into chat messages or onto paper.",
    "A first-contact resolution rate of {percent}% means that most callers do not need to phone "
    "back.",
    "Ask open questions to understand {topic}, then closed questions to confirm the details.",
    "If you promise to do something, note it in {tool} with the date you promised it.",
    "New agents listen in on {few} calls with an experienced colleague before taking calls alone.",
    "Complaints are logged even when they are resolved on the call, so trends show up early.",
    "Tone carries more than words on the phone, so smile when you answer; the caller hears it.",
    "When the queue is long, keep calls focused, but never rush a vulnerable customer.",
    "Every transfer should come with notes, so the caller does not have to repeat the story.",
    "Your team leader can play back a recording with you and point out what went well as well "
    "as what to change.",
    "{name} handled {few} calls about {topic} on Monday and needed {team} for only one of them.",
)
SHORT_SENTENCES = _items(
    "Ask if you are unsure.|That saves everyone time.|Keep it simple.|Notes matter.|"
    "Check first.|Stay calm.|Thank the caller."
)
SHORT = [(count_words(text), text) for text in SHORT_SENTENCES]
HEADINGS = _items(
    "Before the call|Opening the call|Understanding the problem|Finding the answer|"
    "Putting the caller on hold|Transfers and escalations|Keeping good notes|"
    "Closing the call|After-call work|Protecting personal information|"
    "Handling difficult calls|Your figures and the team's|"
    "Working with the knowledge base|Breaks and schedule adherence|Quality reviews|"
    "Callbacks and follow-ups|Common mistakes|Putting it into practice"
)
LIST_ITEMS = _items(
    "Confirm the caller's identity.|Check for an open ticket.|"
    "Sum up the next step before you close.|Choose the right wrap-up code.|"
    "Book any callback you promised.|Update the contact number if it changed.|"
    "Give the reference number slowly.|Ask whether there is anything else.|"
    "Set your status before you leave the desk.|Note the date of every promise."
)
SITUATIONS = (
    ("The caller disputes a charge", "Open a billing query", "the billing team"),
    ("The router keeps dropping", "Run the line test", "second-line support"),
    ("The caller wants to cancel", "Listen for the reason first", "the retentions desk"),
    ("The caller is abusive", "Give one clear warning", "the team leader on duty"),
    ("A refund is overdue", "Check the payment date", "the billing team"),
    ("The caller mentions a regulator", "Escalate at once", "the team leader on duty"),
    ("The system is down", "Take details for a callback", "workforce management"),
)
ADMONITIONS = (
    ("tip", "Write notes for the next agent"),
    ("warning", "Personal information"),
    ("note", "When in doubt, ask"),
    ("important", "Promises are recorded"),
)
LESSON_TITLES = _items(
    "Handling {topic}|Notes that help the next agent|Holds and transfers|"
    "Escalating the right way|Reading your daily figures|Difficult callers|"
    "Callbacks that happen|Protecting customer data|Wrap-up codes|"
    "The first thirty seconds|Closing a call well|Quality scorecards|"
    "Working the knowledge base|Breaks and adherence|Questions that work|"
    "Calls about {topic}"
)


def rng_for(seed: str) -> random.Random:
    """A generator of text, not of secrets: the same seed always gives the same lesson."""
    return random.Random(seed)  # noqa: S311


def words(text: str) -> int:
    return count_words(text)


Piece = tuple[str, int]  # a Markdown block and the words a reader sees in it


class _Writer:
    """Makes the blocks of one lesson, keeping count of the words written so far."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.total = 0

    def piece(self, block: str, visible: str) -> Piece:
        count = words(visible)
        self.total += count
        return block, count

    def number(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))  # randint, several times faster

    def sentence(self) -> str:
        pick, number = self.rng.choice, self.number
        return pick(SENTENCES).format(
            name=pick(NAMES),
            topic=pick(TOPICS),
            tool=pick(TOOLS),
            team=pick(TEAMS),
            minutes=number(5, 20),
            percent=number(60, 95),
            small=number(5, 30),
            few=number(4, 12),
            many=number(150, 900),
        )

    def paragraph(self, limit: int, exact: bool = False) -> Piece | None:
        """Random sentences that fit in `limit` words; when `exact`, the last ones are picked to
        leave at most a word unused."""
        chosen: list[str] = []
        used = 0
        while limit - used > 1:
            gap = limit - used
            opened = {text[:20] for text in chosen}  # no sentence twice in a paragraph
            tries = 12 if exact and gap <= 40 else 1
            fits = [(words(s), s) for s in (self.sentence() for _ in range(tries))]
            fits = [(n, s) for n, s in fits if n <= gap and s[:20] not in opened]
            if exact:
                fits = fits or [(n, s) for n, s in SHORT if n <= gap and s not in chosen]
            if not fits:
                break
            count, text = max(fits)
            chosen.append(text)
            used += count
        if not chosen:
            return None
        body = " ".join(chosen)
        return self.piece(body, body)

    def prose_until(self, goal: int) -> list[Piece]:
        """Paragraphs of 45 to 75 words until the lesson holds `goal` words, give or take one."""
        paragraphs = []
        while goal - self.total > 1:
            left = goal - self.total
            last = left < 100
            paragraph = self.paragraph(left if last else self.rng.randint(45, 75), exact=last)
            if paragraph is None:
                break
            paragraphs.append(paragraph)
        return paragraphs

    def heading(self, title: str) -> Piece:
        return self.piece(f"## {title}", title)

    def bullet_list(self) -> Piece:
        items = self.rng.sample(LIST_ITEMS, self.rng.randint(3, 5))
        return self.piece("\n".join(f"- {item}" for item in items), " ".join(items))

    def table(self) -> Piece:
        header: tuple[str, ...]
        if self.rng.random() < 0.5:
            header = ("Situation", "First step", "Who can help")
            rows = [list(row) for row in self.rng.sample(SITUATIONS, 3)]
        else:
            header = ("Interval", "Calls offered", "Answered in 20 s", "Service level")
            rows = []
            for hour in range(8, 8 + self.rng.randint(3, 4)):
                offered = self.rng.randint(80, 220)
                answered = self.rng.randint(offered * 6 // 10, offered)
                share = round(100 * answered / offered)
                rows.append([f"{hour:02d}h00", str(offered), str(answered), f"{share}%"])
        lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        visible = " ".join([*header, *(cell for row in rows for cell in row)])
        return self.piece("\n".join(lines), visible)

    def admonition(self) -> Piece:
        kind, title = self.rng.choice(ADMONITIONS)
        text = f"{self.sentence()} {self.sentence()}"
        return self.piece(f'!!! {kind} "{title}"\n    {text}', f"{title} {text}")


def lesson_body(rng: random.Random, target_words: int) -> tuple[str, int]:
    """Markdown of about `target_words` words: an introduction, then `##` sections, the first
    three holding a list, a table and an admonition. Returns the text and its word count as the
    platform will count it."""
    writer = _Writer(rng)
    sections = max(3, target_words // 160)
    intro = writer.paragraph(40)
    headings = [writer.heading(title) for title in rng.sample(HEADINGS, sections)]
    extras = [writer.bullet_list(), writer.table(), writer.admonition()]
    fixed = writer.total
    share = max(0, target_words - fixed) / sections
    pieces = [intro] if intro else []
    for index, heading in enumerate(headings):
        prose = writer.prose_until(round(fixed + share * (index + 1)))
        extra = [extras[index]] if index < len(extras) else []
        pieces += [heading, *prose[:1], *extra, *prose[1:]]
    return "\n\n".join(block for block, _ in pieces) + "\n", writer.total


def paragraph(rng: random.Random, target_words: int) -> str:
    """One paragraph of about `target_words` words (for edits to a lesson)."""
    piece = _Writer(rng).paragraph(target_words, exact=True)
    return piece[0] if piece else ""


def lesson_title(rng: random.Random) -> str:
    return rng.choice(LESSON_TITLES).format(topic=rng.choice(TOPICS))


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def module_file(code: str, title: str, order: int, outcomes: int, intro: str) -> str:
    lines = ["---", f"title: {_yaml(title)}", f"code: {code}"]
    lines += [f"summary: {_yaml(f'Generated for the benchmarks: {title.lower()}.')}"]
    lines += ["estimated_minutes: 60", f"reviewed: {REVIEWED}", f"order: {order}", "outcomes:"]
    for number in range(1, outcomes + 1):
        lines += [f"  - code: {code}-LO{number}"]
        lines += [f"    statement: {_yaml(f'Apply part {number} of {title} on live calls.')}"]
        lines += ["    criteria:", "      - Follows the steps in order.", "      - Keeps notes."]
    return "\n".join([*lines, "---", "", intro, ""])


def lesson_file(title: str, order: int, body: str, word_count: int, outcome: str) -> str:
    minutes = max(1, round(word_count / 200))
    lines = ["---", f"title: {_yaml(title)}", f"order: {order}", f"estimated_minutes: {minutes}"]
    lines += [f"outcomes: [{outcome}]", "---", "", body]
    return "\n".join(lines)


# --- The HTTP benchmark's reading lesson ------------------------------------------------------

READING_FOLDER = "99-bench-reading"
READING_CODE = "BENCH"
READING_TITLE = "Handling a billing complaint from start to finish"
READING_WORDS = 900


@dataclass(frozen=True)
class ReadingLesson:
    """The generated lesson the HTTP benchmark reads: where it is and what it holds."""

    path: str  # /learn/<module-slug>/<lesson-slug>
    title: str
    words: int  # as the platform counts them


@contextlib.contextmanager
def reading_content() -> Iterator[tuple[Path, ReadingLesson]]:
    """A temporary content folder: the shipped modules plus one module with a 900-word lesson.

    The shipped modules are copied too, because a sync retires the modules it does not find.
    """
    root = Path(tempfile.mkdtemp(prefix="lms-bench-content-"))
    try:
        shutil.copytree(SHIPPED_MODULES, root, dirs_exist_ok=True)
        folder = root / READING_FOLDER
        folder.mkdir()
        intro = "A long lesson, generated so the HTTP benchmark has a realistic page to read."
        text = module_file(READING_CODE, "Bench reading", 99, 1, intro)
        (folder / "module.md").write_text(text, encoding="utf-8")
        body, count = lesson_body(rng_for("bench-reading"), READING_WORDS)
        lesson_slug = slug(READING_TITLE)
        text = lesson_file(READING_TITLE, 1, body, count, f"{READING_CODE}-LO1")
        (folder / f"01-{lesson_slug}.md").write_text(text, encoding="utf-8")
        module_slug = READING_FOLDER.split("-", 1)[1]
        yield root, ReadingLesson(f"/learn/{module_slug}/{lesson_slug}", READING_TITLE, count)
    finally:
        shutil.rmtree(root, ignore_errors=True)
