"""Outgoing email: through SMTP when `LMS_MAIL_SERVER` is set, otherwise as .eml files.

In development every message lands in `instance/outbox/` as a file any mail program opens.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from lms.database import utcnow


def send_email(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """Send one message with a plain-text part (and an HTML part when given)."""
    message = _message(to, subject, text, html)
    if current_app.config["MAIL_SERVER"]:
        with _smtp() as smtp:
            smtp.send_message(message)
    else:
        _write_to_outbox(message)
    return message


def send_many(messages: Iterable[tuple[str, str, str]]) -> list[str]:
    """Send plain-text messages (to, subject, text) over one connection; return the addresses
    the server refused. Thousands of welcome emails would otherwise open thousands."""
    refused: list[str] = []
    if not current_app.config["MAIL_SERVER"]:
        for to, subject, text in messages:
            _write_to_outbox(_message(to, subject, text))
        return refused
    with _smtp() as smtp:
        for to, subject, text in messages:
            try:
                smtp.send_message(_message(to, subject, text))
            except smtplib.SMTPRecipientsRefused:
                refused.append(to)
    return refused


def _message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="lms.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


@contextmanager
def _smtp() -> Iterator[smtplib.SMTP]:
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, context=context, timeout=30)
    else:
        smtp = smtplib.SMTP(host, port, timeout=30)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        yield smtp


def _write_to_outbox(message: EmailMessage) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    recipient = "".join(ch if ch.isalnum() else "_" for ch in str(message["To"]))[:60]
    path = outbox / f"{stamp}-{recipient}.eml"
    path.write_bytes(bytes(message))
    return path
