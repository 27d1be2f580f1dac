"""Outgoing mail: .eml files in development, real SMTP when a server is configured."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from lms.mail import send_email


class Mailbox:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


def test_without_a_server_mail_is_written_to_the_outbox(app: Flask, outbox: Path) -> None:
    """Development mail lands as a readable .eml file with a plain-text part."""
    with app.app_context():
        send_email("learner@example.com", "Welcome", "Hello Thandi")
    [path] = outbox.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == "learner@example.com"
    assert message["Subject"] == "Welcome"
    assert message.get_payload(decode=True) == b"Hello Thandi\n"


def test_with_a_server_mail_goes_over_smtp(
    app: Flask, outbox: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    """With LMS_MAIL_SERVER set, the message reaches the SMTP server with both parts."""
    mailbox, port = smtp_server
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False}
    saved = {key: app.config[key] for key in settings}
    app.config.update(settings)
    try:
        with app.app_context():
            send_email("hr@example.com", "Report ready", "Plain text", html="<p>Rich text</p>")
    finally:
        app.config.update(saved)
    [message] = mailbox.messages
    assert message["To"] == "hr@example.com"
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    assert list(outbox.glob("*.eml")) == []
