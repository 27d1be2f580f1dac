"""A learner's portfolio of evidence: a ZIP of `portfolio.pdf` and `portfolio.json`.

It covers every module in which the learner submitted a summative attempt: each outcome's
status and history, and every submitted attempt with the assessor's marks. The PDF is for
people (times in the app's TIMEZONE); the JSON is for systems and keeps this shape. Keys may
be added, never renamed or removed; times are ISO 8601 in UTC (`2026-11-23T07:30:00Z`) and
"by" is a person's full name:

    {"format": "portfolio-of-evidence", "version": 1,
     "audience": "staff" | "learner", "generated_at": time,
     "learner": {"name": str, "email": str},
     "modules": [{"code": str, "title": str,
       "outcomes": [{"code": str, "statement": str, "status": str, "status_label": str,
         "history": [entry, ...]}],            # oldest first; each entry is one of
           # {"kind": "judgement", "at", "by", "attempt": int, "verdict": str, "status": str,
           #  "comment", "evidence", "sampled": str | null, "from_appeal": bool}
           # {"kind": "moderation", "at", "by", "verdict": "confirmed" | "overturned", "reason"}
           # {"kind": "appeal", "at", "by", "reason"}
           # {"kind": "appeal-decision", "at", "by", "decision": "upheld" | "dismissed",
           #  "reason"}
       "attempts": [{"number": int, "quiz": str, "submitted_at": time, "state": str,
         "answers": [{"question": str, "answer": str, "score": float | null,
                      "max_score": float, "comment": str}]}]}]}

`status` is an OutcomeStatus value, `verdict` a Verdict value, `state` an AttemptState value.
`score` is the assessor's score, or an auto-marked question's points. The learner's own copy
(`as_learner=True`) leaves out what they may not see yet, as their record page does:
judgements waiting for or overturned by moderation (with those reviews), the sampling rule,
and per-question marks until the attempt is marked.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import nh3
from flask import current_app, render_template
from sqlalchemy import select

from lms.assessments.attempts import parsed_question
from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.models import Attempt, AttemptState, Quiz, QuizRevision, Response
from lms.assessments.question_types import kind_of
from lms.assessments.services import SUMMATIVE
from lms.assessments.text import question_html
from lms.auth.models import User
from lms.content.models import Module
from lms.extensions import db
from lms.marking.models import (
    Appeal,
    AppealStatus,
    OutcomeJudgement,
    ResponseMark,
    ReviewVerdict,
    SampleRule,
    Verdict,
)
from lms.marking.record import OutcomeRecord, appeals_of, decisions_of, module_record
from lms.marking.services import marks_by_response
from lms.pdf import render_pdf

FORMAT, VERSION = "portfolio-of-evidence", 1

# Words for the PDF, by the JSON's values.
LABELS: dict[str, str] = {
    **{verdict.value: verdict.label for verdict in Verdict},
    **{verdict.value: verdict.value.capitalize() for verdict in ReviewVerdict},
    **{status.value: status.value.capitalize() for status in AppealStatus},
    **{state.value: state.value.replace("_", " ").capitalize() for state in AttemptState},
    **{rule.value: rule.label for rule in SampleRule},
}

# Letters that Unicode does not decompose into an ASCII letter and a mark (\u0131: dotless i).
_ASCII_LETTERS = str.maketrans(
    {"Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "ß": "ss", "Æ": "AE"}
    | {"æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "\u0131": "i"}
)


def portfolio_filename(learner: User, now: datetime) -> str:
    """`portfolio-thandi-mokoena-2026-11-23.zip`: ASCII only, dated in the app's time zone."""
    folded = unicodedata.normalize("NFKD", learner.full_name.translate(_ASCII_LETTERS))
    plain = folded.encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "learner"
    return f"portfolio-{name}-{_local(now):%Y-%m-%d}.zip"


def portfolio_zip(learner: User, *, now: datetime, as_learner: bool = True) -> bytes:
    """The learner's portfolio of evidence as ZIP bytes.

    The learner's own copy unless `as_learner=False`, which staff downloads pass for the full
    record: the safe side is the default.
    """
    document = portfolio_document(learner, now=now, as_learner=as_learner)
    html = render_template(
        "marking/portfolio_pdf.html",
        portfolio=document,
        labels=LABELS,
        timezone=current_app.config["TIMEZONE"],
    )
    members: dict[str, bytes | str] = {
        "portfolio.pdf": render_pdf(html),
        "portfolio.json": json.dumps(document, default=_iso, ensure_ascii=False, indent=2),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            entry = zipfile.ZipInfo(name, date_time=_local(now).timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()


def portfolio_document(learner: User, *, now: datetime, as_learner: bool) -> dict[str, Any]:
    """The portfolio as a plain dict (times as aware datetimes), the shape documented above."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "audience": "learner" if as_learner else "staff",
        "generated_at": now,
        "learner": {"name": learner.full_name, "email": learner.email},
        "modules": [
            _module(learner, module, now=now, as_learner=as_learner)
            for module in _assessed_modules(learner)
        ],
    }


def _assessed_modules(learner: User) -> Sequence[Module]:
    """Modules in which the learner submitted a summative attempt, in programme order."""
    submitted = (
        select(Quiz.module_id)
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .join(QuizRevision, QuizRevision.id == Attempt.revision_id)
        .where(
            Attempt.user_id == learner.id,
            Attempt.state != AttemptState.IN_PROGRESS,
            QuizRevision.kind == SUMMATIVE,
        )
    )
    query = select(Module).where(Module.id.in_(submitted)).order_by(Module.position, Module.code)
    return db.session.scalars(query).all()


def _module(learner: User, module: Module, *, now: datetime, as_learner: bool) -> dict[str, Any]:
    record = module_record(learner, module, as_learner=as_learner, now=now)
    judgements = decisions_of(learner, [o.outcome.id for o in record.outcomes])
    appeals = appeals_of([j.id for j in judgements])
    return {
        "code": module.code,
        "title": module.title,
        "outcomes": [
            _outcome(
                outcome,
                [j for j in judgements if j.outcome_id == outcome.outcome.id],
                appeals,
                as_learner=as_learner,
            )
            for outcome in record.outcomes
        ],
        "attempts": [_attempt(attempt, as_learner=as_learner) for attempt in record.attempts],
    }


def _outcome(
    record: OutcomeRecord,
    judgements: list[OutcomeJudgement],
    appeals: dict[int, Appeal],
    *,
    as_learner: bool,
) -> dict[str, Any]:
    history: list[dict[str, Any]] = []
    for judgement in judgements:
        if as_learner and not judgement.visible_to_learner:
            continue
        history += _judgement_entries(judgement, appeals.get(judgement.id), as_learner=as_learner)
    return {
        "code": record.outcome.code,
        "statement": record.outcome.statement,
        "status": record.status.value,
        "status_label": record.status.label,
        "history": sorted(history, key=lambda entry: entry["at"]),  # stable: same-time order
    }


def _judgement_entries(
    judgement: OutcomeJudgement, appeal: Appeal | None, *, as_learner: bool
) -> list[dict[str, Any]]:
    """The judgement, its moderation reviews and its appeal, in the order they happened."""
    entries: list[dict[str, Any]] = [
        {
            "kind": "judgement",
            "at": judgement.finalised_at or judgement.created_at,
            "by": judgement.assessor.full_name,
            "attempt": judgement.attempt.number,
            "verdict": judgement.verdict.value if judgement.verdict else None,
            "status": judgement.status.value,
            "comment": judgement.comment,
            "evidence": judgement.evidence,
            "sampled": None
            if as_learner or judgement.sample_rule is None
            else judgement.sample_rule.value,
            "from_appeal": judgement.from_appeal,
        }
    ]
    entries += [
        {
            "kind": "moderation",
            "at": review.reviewed_at,
            "by": review.moderator.full_name,
            "verdict": review.verdict.value,
            "reason": review.reason,
        }
        for review in judgement.reviews
    ]
    if appeal is not None:
        entries.append(
            {
                "kind": "appeal",
                "at": appeal.lodged_at,
                "by": appeal.learner.full_name,
                "reason": appeal.reason,
            }
        )
    if appeal is not None and appeal.decided_at is not None and appeal.moderator is not None:
        entries.append(
            {
                "kind": "appeal-decision",
                "at": appeal.decided_at,
                "by": appeal.moderator.full_name,
                "decision": appeal.status.value,
                "reason": appeal.decision_reason,
            }
        )
    return entries


def _attempt(attempt: Attempt, *, as_learner: bool) -> dict[str, Any]:
    show_marks = not as_learner or attempt.state is AttemptState.MARKED
    marks = marks_by_response(attempt) if show_marks else {}
    answers = []
    for response in attempt.responses:
        parsed = parsed_question(response.question)
        if kind_of(parsed).counts:  # a description takes no answer
            answers.append(_answer(response, parsed, marks.get(response.id), show_marks))
    return {
        "number": attempt.number,
        "quiz": attempt.revision.title,
        "submitted_at": attempt.submitted_at,
        "state": attempt.state.value,
        "answers": answers,
    }


def _answer(
    response: Response, parsed: ParsedQuestion, mark: ResponseMark | None, show_marks: bool
) -> dict[str, Any]:
    score = mark.score if mark is not None and mark.score is not None else response.points
    return {
        "question": _plain_text(parsed),
        "answer": kind_of(parsed).describe_answer(parsed, response.answer),
        "score": score if show_marks else None,
        "max_score": response.max_points,
        "comment": mark.comment if mark is not None else "",
    }


def _plain_text(parsed: ParsedQuestion) -> str:
    """The question as the learner read it, without markup (the PDF escapes it as text)."""
    if parsed.format == "plain":
        return parsed.text
    html = re.sub(r"<br\s*/?>|</p>|</li>", "\n", str(question_html(parsed.text, parsed.format)))
    return unescape(nh3.clean(html, tags=set())).strip()


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def _iso(value: object) -> str:
    """JSON for the document's datetimes: ISO 8601 in UTC with a Z."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
