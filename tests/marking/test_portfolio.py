"""The portfolio of evidence (a ZIP of a PDF and a JSON file) and the hardened PDF renderer.

The journey is built through the services: submit, mark, moderate, appeal. The ZIP is then
opened as anyone would open it, the PDF read back with pypdf and the JSON compared with the
database.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from lms.assessments.models import Attempt
from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import appeals, moderation, services
from lms.marking.models import (
    Appeal,
    ModerationReview,
    OutcomeJudgement,
    ResponseMark,
    ReviewVerdict,
    Verdict,
)
from lms.marking.portfolio import portfolio_filename, portfolio_zip
from lms.marking.services import MarkingInput, OutcomeInput
from lms.pdf import RefusedURL, render_pdf, static_only_fetcher
from tests.conftest import UserFactory
from tests.marking.marking_steps import NOW, NYC, C, new_learner, submit_summative
from tests.pdf_checks import recording_server
from tests.quiz_files import QuizWorld

LEARNER_NAME = "Đặng Thị Ayşe Dlamini-Müller"
# An essay long enough to run over several lines, with a token too long for any line.
LONG_TOKEN = "ACD-" + "routing" * 20
ESSAY = (
    "A caller dials the contact centre; the IVR greets them and asks what they need. "
    "The ACD then routes the call to the longest-idle agent with the right skill. "
    f"Routing reference: {LONG_TOKEN}. " + "Queues are monitored on the wallboard. " * 12
).strip()
CONDUCT = "I explain politely that I cannot discuss the account until the caller is verified."
NYC_COMMENT = "Say what you do when the caller fails verification twice."
OVERTURN_REASON = "The answer never names the ACD: judge LO1 again."
CONFIRM_REASON = "The comment tells the learner what is missing."
APPEAL_REASON = "My second paragraph explains exactly what I do when verification fails."
UPHOLD_REASON = "The second paragraph meets the marking guide."
# A one-pixel transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@dataclass
class Journey:
    learner: User
    assessor: User
    attempt: Attempt


def iso(hours: float) -> str:
    """NOW plus `hours`, as the JSON writes times."""
    return (NOW + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def mark(assessor: User, attempt: Attempt, verdicts: dict[str, Verdict], *, hours: float) -> None:
    """Finalise with a score and comment per answer and evidence notes per outcome."""
    marking = services.open_marking(assessor, attempt, now=NOW + timedelta(hours=hours))
    responses = attempt.responses
    given = MarkingInput(
        version=marking.version,
        scores={responses[0].id: responses[0].max_points, responses[1].id: 0.0},
        comments={responses[0].id: "Clear on the IVR.", responses[1].id: "Too short."},
        outcomes={
            code: OutcomeInput(
                verdict,
                NYC_COMMENT if verdict is NYC else "Names the IVR and the ACD.",
                f"Evidence for {code}: essay answer, attempt {attempt.number}.",
            )
            for code, verdict in verdicts.items()
        },
    )
    services.finalise(marking, assessor, given, now=NOW + timedelta(hours=hours))
    db.session.commit()


def judgement_of(attempt: Attempt, code: str, *, from_appeal: bool = False) -> OutcomeJudgement:
    query = select(OutcomeJudgement).where(
        OutcomeJudgement.attempt_id == attempt.id, OutcomeJudgement.from_appeal == from_appeal
    )
    return next(j for j in db.session.scalars(query) if j.outcome.code == code)


def review(
    judgement: OutcomeJudgement, moderator: User, verdict: ReviewVerdict, reason: str, hours: float
) -> None:
    moderation.review(judgement, moderator, verdict, reason, now=NOW + timedelta(hours=hours))
    db.session.commit()


def open_zip(data: bytes) -> tuple[str, dict[str, Any]]:
    """The PDF's text without whitespace (lines wrap anywhere) and the parsed JSON."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["portfolio.json", "portfolio.pdf"]
        assert archive.testzip() is None
        pdf, document = archive.read("portfolio.pdf"), json.loads(archive.read("portfolio.json"))
    return squeezed(pdf_text(pdf)), document


def squeezed(text: str) -> str:
    return "".join(text.split())


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def in_request(app: Flask, app_context: None) -> Iterator[None]:
    """A request around the test: services link to pages when they tell someone."""
    with app.test_request_context():
        yield


@pytest.fixture
def journey(
    in_request: None, world: QuizWorld, make_user: UserFactory, assessor: User, moderator: User
) -> Iterator[Journey]:
    """LO1 Competent and confirmed; LO2 Not Yet Competent, confirmed, appealed and upheld."""
    learner = new_learner(world, make_user, full_name=LEARNER_NAME, email="ayse@example.com")
    attempt = submit_summative(learner, {"q1": ESSAY, "q2": CONDUCT})
    mark(assessor, attempt, {"A1-LO1": C, "A1-LO2": NYC}, hours=1)
    review(judgement_of(attempt, "A1-LO1"), moderator, ReviewVerdict.CONFIRMED, "", 2)
    review(judgement_of(attempt, "A1-LO2"), moderator, ReviewVerdict.CONFIRMED, CONFIRM_REASON, 3)
    appeal = appeals.lodge(
        judgement_of(attempt, "A1-LO2"), learner, APPEAL_REASON, now=NOW + timedelta(hours=24)
    )
    db.session.commit()
    second = db.session.get(User, make_user(Role.MODERATOR, full_name="Zoë Ngcobo").id)
    assert second is not None
    appeals.decide(appeal, second, upheld=True, reason=UPHOLD_REASON, now=NOW + timedelta(hours=48))
    db.session.commit()
    yield Journey(learner, assessor, attempt)
    db.session.rollback()


def test_the_portfolio_pdf_shows_the_whole_record(journey: Journey) -> None:
    text, _ = open_zip(
        portfolio_zip(journey.learner, now=NOW + timedelta(days=3), as_learner=False)
    )
    for expected in (
        LEARNER_NAME,
        "A1-LO1",
        "A1-LO2",
        "Judged Not Yet Competent",
        "Judged Competent",
        "Moderation: Confirmed",
        "Appeal lodged",
        "Appeal upheld",
        NYC_COMMENT,
        "Evidence for A1-LO2: essay answer, attempt 1.",
        CONFIRM_REASON,
        APPEAL_REASON,
        UPHOLD_REASON,
        "Explain how a call reaches you.",
        CONDUCT,
        "Clear on the IVR.",
        "Priya Naidoo",
        "Johan van Wyk",
        "Zoë Ngcobo",
        "01 Dec 2026 11:00",  # submitted at 09:00 UTC, shown in Africa/Johannesburg
        "Page 1 of",
    ):
        assert squeezed(expected) in text
    assert squeezed(ESSAY) in text


def test_a_long_essay_wraps_inside_the_page(journey: Journey) -> None:
    with zipfile.ZipFile(
        io.BytesIO(portfolio_zip(journey.learner, now=NOW, as_learner=False))
    ) as z:
        raw = pdf_text(z.read("portfolio.pdf"))
    # Broken over lines, not run off the page: whole only once the line breaks are removed.
    assert LONG_TOKEN not in raw
    assert LONG_TOKEN in "".join(raw.split())


def test_the_portfolio_json_matches_the_database(journey: Journey) -> None:
    _, document = open_zip(
        portfolio_zip(journey.learner, now=NOW + timedelta(days=3), as_learner=False)
    )
    assert document["format"] == "portfolio-of-evidence" and document["version"] == 1
    assert document["learner"] == {"name": LEARNER_NAME, "email": "ayse@example.com"}
    assert document["generated_at"] == iso(72)
    [module] = document["modules"]
    assert (module["code"], module["title"]) == ("A1", journey.attempt.quiz.module.title)
    outcomes = {o["code"]: o for o in module["outcomes"]}
    assert {code: o["status"] for code, o in outcomes.items()} == {
        "A1-LO1": "competent",
        "A1-LO2": "competent",
    }
    assert (
        outcomes["A1-LO1"]["statement"] == judgement_of(journey.attempt, "A1-LO1").outcome.statement
    )

    original = judgement_of(journey.attempt, "A1-LO2")
    replacement = judgement_of(journey.attempt, "A1-LO2", from_appeal=True)
    confirmation = db.session.scalars(
        select(ModerationReview).where(ModerationReview.judgement_id == original.id)
    ).one()
    appeal = db.session.scalars(select(Appeal).where(Appeal.judgement_id == original.id)).one()
    assert appeal.moderator is not None
    assert outcomes["A1-LO2"]["history"] == [
        {
            "kind": "judgement",
            "at": iso(1),
            "by": "Priya Naidoo",
            "attempt": 1,
            "verdict": "not_yet_competent",
            "status": original.status.value,
            "comment": original.comment,
            "evidence": original.evidence,
            "sampled": original.sample_rule.value if original.sample_rule else None,
            "from_appeal": False,
        },
        {
            "kind": "moderation",
            "at": iso(3),
            "by": confirmation.moderator.full_name,
            "verdict": "confirmed",
            "reason": confirmation.reason,
        },
        {"kind": "appeal", "at": iso(24), "by": LEARNER_NAME, "reason": appeal.reason},
        {
            "kind": "appeal-decision",
            "at": iso(48),
            "by": appeal.moderator.full_name,
            "decision": "upheld",
            "reason": appeal.decision_reason,
        },
        {
            "kind": "judgement",
            "at": iso(48),
            "by": "Zoë Ngcobo",
            "attempt": 1,
            "verdict": "competent",
            "status": replacement.status.value,
            "comment": replacement.comment,
            "evidence": "",
            "sampled": None,
            "from_appeal": True,
        },
    ]
    assert original.status.value == "superseded" and original.comment == NYC_COMMENT

    [attempt] = module["attempts"]
    assert attempt["number"] == 1 and attempt["submitted_at"] == iso(0)
    assert attempt["state"] == journey.attempt.state.value == "marked"
    marks = {
        m.response_id: m
        for m in db.session.scalars(
            select(ResponseMark).where(
                ResponseMark.response_id.in_([r.id for r in journey.attempt.responses])
            )
        )
    }
    assert attempt["answers"] == [
        {
            "question": question,
            "answer": response.answer["text"] if response.answer else None,
            "score": marks[response.id].score,
            "max_score": response.max_points,
            "comment": marks[response.id].comment,
        }
        for question, response in zip(
            (
                "Explain how a call reaches you.",
                "Explain what you do when a caller is not verified.",
            ),
            journey.attempt.responses,
            strict=True,
        )
    ]
    assert [a["answer"] for a in attempt["answers"]] == [ESSAY, CONDUCT]


def test_the_learners_copy_of_a_released_record_shows_every_step_but_the_sampling(
    journey: Journey,
) -> None:
    now = NOW + timedelta(days=3)
    _, staff = open_zip(portfolio_zip(journey.learner, now=now, as_learner=False))
    _, own = open_zip(portfolio_zip(journey.learner, now=now, as_learner=True))
    staff_history = staff["modules"][0]["outcomes"][1]["history"]
    own_history = own["modules"][0]["outcomes"][1]["history"]
    assert staff_history[0]["sampled"] == "not-yet-competent"
    assert own_history == [
        {**entry, "sampled": None} if entry["kind"] == "judgement" else entry
        for entry in staff_history
    ]
    assert own["modules"][0]["attempts"] == staff["modules"][0]["attempts"]


def test_the_learners_copy_leaves_out_what_moderation_has_not_released(
    in_request: None,
    world: QuizWorld,
    make_user: UserFactory,
    assessor: User,
    moderator: User,
) -> None:
    learner = new_learner(world, make_user, full_name="Nomvula Dlamini-Müller")
    attempt = submit_summative(learner, {"q1": ESSAY, "q2": CONDUCT})
    mark(assessor, attempt, {"A1-LO1": C, "A1-LO2": NYC}, hours=1)
    review(judgement_of(attempt, "A1-LO1"), moderator, ReviewVerdict.OVERTURNED, OVERTURN_REASON, 2)

    staff_text, staff = open_zip(
        portfolio_zip(learner, now=NOW + timedelta(hours=3), as_learner=False)
    )
    own_text, own = open_zip(portfolio_zip(learner, now=NOW + timedelta(hours=3)))  # the default

    staff_outcomes = {o["code"]: o for o in staff["modules"][0]["outcomes"]}
    assert [e["kind"] for e in staff_outcomes["A1-LO1"]["history"]] == ["judgement", "moderation"]
    assert staff_outcomes["A1-LO1"]["history"][1]["reason"] == OVERTURN_REASON
    assert staff_outcomes["A1-LO2"]["history"][0]["status"] == "in_sample"
    assert squeezed(OVERTURN_REASON) in staff_text and squeezed(NYC_COMMENT) in staff_text

    own_outcomes = {o["code"]: o for o in own["modules"][0]["outcomes"]}
    assert own["audience"] == "learner"
    assert {code: o["status"] for code, o in own_outcomes.items()} == {
        "A1-LO1": "awaiting-marking",
        "A1-LO2": "under-moderation",
    }
    assert all(o["history"] == [] for o in own_outcomes.values())
    answers = own["modules"][0]["attempts"][0]["answers"]
    assert [(a["answer"], a["score"], a["comment"]) for a in answers] == [
        (ESSAY, None, ""),
        (CONDUCT, None, ""),
    ]
    for unreleased in (OVERTURN_REASON, NYC_COMMENT, "Clear on the IVR."):
        assert squeezed(unreleased) not in own_text


def test_a_learner_without_a_summative_attempt_gets_an_empty_portfolio(
    app_context: None, world: QuizWorld, make_user: UserFactory
) -> None:
    learner = new_learner(world, make_user, full_name="Sipho Nkosi")
    text, document = open_zip(portfolio_zip(learner, now=NOW, as_learner=True))
    assert document["modules"] == []
    assert "SiphoNkosi" in text and squeezed("No summative assessment submitted yet.") in text


@pytest.mark.parametrize(
    ("name", "now", "expected"),
    [
        ("Thandi Mokoena", NOW, "portfolio-thandi-mokoena-2026-12-01.zip"),
        (LEARNER_NAME, NOW, "portfolio-dang-thi-ayse-dlamini-muller-2026-12-01.zip"),
        # 23:30 UTC is already the next day in Johannesburg.
        ("Zoë O'Brien", NOW.replace(hour=23, minute=30), "portfolio-zoe-o-brien-2026-12-02.zip"),
        ("王小明", NOW, "portfolio-learner-2026-12-01.zip"),
    ],
)
def test_the_file_name_is_ascii_and_dated_locally(
    app_context: None, name: str, now: Any, expected: str
) -> None:
    assert portfolio_filename(User(full_name=name, email="x@example.com"), now) == expected


# --- The renderer's URL fetcher -------------------------------------------------------------


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback that records every request it gets."""
    with recording_server() as server:
        yield server


@pytest.fixture
def static_app(tmp_path: Path) -> Iterator[Path]:
    """An app whose static folder is a temporary one, with a file outside it beside."""
    static, outside = tmp_path / "static", tmp_path / "outside"
    static.mkdir()
    outside.mkdir()
    (outside / "secret.css").write_text('body::after { content: "SECRET-FILE"; }')
    (static / "link.css").symlink_to(outside / "secret.css")
    (static / "logo.png").write_bytes(PNG)
    (static / "print.css").write_text('body::before { content: "STYLED-FROM-STATIC"; }')
    with Flask("pdf-test", static_folder=str(static)).app_context():
        yield tmp_path


def test_the_renderer_fetches_nothing_outside_data_urls_and_static_files(
    static_app: Path, local_server: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    server, requests = local_server
    secret = static_app / "outside" / "secret.css"
    refused = [
        f"{server}/style.css",
        f"{server}/x.png",
        "http://example.com/x.png",
        "https://example.com/x.png",
        "file:///etc/passwd",
        secret.as_uri(),
        (static_app / "static").as_uri() + "/../outside/secret.css",
        (static_app / "static").as_uri() + "/%2e%2e/outside/secret.css",
        "link.css",  # a link inside the static folder to a file outside it
    ]
    links = "".join(f'<link rel="stylesheet" href="{url}"><img src="{url}">' for url in refused)
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        text = pdf_text(render_pdf(f"<html><head>{links}</head><body>Still rendered</body></html>"))
    assert "Still rendered" in text
    assert "SECRET-FILE" not in text and "FROM-THE-NETWORK" not in text
    assert requests == []
    assert "/etc/passwd" in caplog.text and "RefusedURL" in caplog.text
    fetcher = static_only_fetcher()
    for url in refused[:-1]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_the_renderer_loads_data_urls_and_static_files(
    static_app: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    html = (
        '<html><head><link rel="stylesheet" href="print.css"></head><body>'
        f'<img src="{data_url}" width="20"><img src="logo.png" width="20"> Ayşe Đặng'
        "</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(html)
    assert caplog.records == []
    [page] = PdfReader(io.BytesIO(pdf)).pages
    assert "STYLED-FROM-STATIC" in page.extract_text() and "Ayşe Đặng" in page.extract_text()
    assert len(page.images) == 2
