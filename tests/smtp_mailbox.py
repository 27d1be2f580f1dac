"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives, for the
tests of emails sent by the daily commands, and the app those commands run as."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.conftest import AppFactory

SITE = "https://academy.example.com"


class Mailbox:
    """An SMTP handler that keeps every message with its envelope recipients, refusing the
    addresses in `refuse`."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.port = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def take(self) -> list[tuple[list[str], EmailMessage]]:
        """The messages received since the last call."""
        taken, self.messages = self.messages, []
        return taken

    def subjects_to(self, address: str) -> list[str]:
        """The subjects of messages to `address` since the last take()."""
        return [str(m["Subject"]) for to, m in self.take() if to == [address]]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    box.port = port
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def mailing_app(make_app: AppFactory, mailbox: Mailbox) -> Flask:
    """The app as cron runs the daily commands: mail over SMTP, links on the public address."""
    return make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port, MAIL_USE_TLS=False, SITE_URL=SITE
    )
