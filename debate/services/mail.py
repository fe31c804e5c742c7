"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise written to the log.

Tests read `outbox()`, which records every message in TESTING mode.
"""

from __future__ import annotations

import logging
import smtplib
from contextlib import nullcontext
from email.message import EmailMessage
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from debate.extensions import socketio
from debate.i18n import known

log = logging.getLogger("commonground.mail")


def send(
    to: str,
    subject: object,
    body: object,
    headers: dict[str, str] | None = None,
    *,
    wait: bool = True,
    lang: str | None = None,
) -> None:
    """Send one plain-text message; failures are logged, never shown to the user.

    `lang` is the recipient's language (`accounts.language.of(user)`): the subject, its "[Site]" prefix and
    the body (which may be lazy strings) are rendered in it, whatever language the sending request speaks.

    `headers` adds fields such as List-Unsubscribe (notification emails). With `wait=False` the message
    is built and sent over SMTP in the background, so the request takes no longer for having sent an
    email: account emails whose sending must not say whether an address has an account use it.
    """
    cfg = current_app.config
    with force_locale(known(lang) or "en") if lang else nullcontext():
        subject_line = _("[%(site)s] %(subject)s", site=cfg["SITE_NAME"], subject=str(subject))
        body = str(body)
    fields = {"From": cfg["MAIL_FROM"], "To": to, "Subject": subject_line, **(headers or {})}
    if current_app.testing:
        outbox().append(_message(fields, body))
    if not cfg["MAIL_SERVER"]:
        log.info("Email (no MAIL_SERVER set, so logged, not sent)\nTo: %s\nSubject: %s\n\n%s", to, subject_line, body)
        return
    smtp = {name: cfg[name] for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD")}
    if wait:
        _deliver(smtp, fields, body)
    else:
        socketio.start_background_task(_deliver, smtp, fields, body)


def _message(fields: dict[str, str], body: str) -> EmailMessage:
    msg = EmailMessage()
    for name, value in fields.items():
        msg[name] = value
    msg.set_content(body)
    return msg


def _deliver(smtp: dict[str, Any], fields: dict[str, str], body: str) -> None:
    try:
        with smtplib.SMTP(smtp["MAIL_SERVER"], smtp["MAIL_PORT"], timeout=10) as server:
            if smtp["MAIL_USE_TLS"]:
                server.starttls()
            if smtp["MAIL_USERNAME"]:
                server.login(smtp["MAIL_USERNAME"], smtp["MAIL_PASSWORD"] or "")
            server.send_message(_message(fields, body))
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send email with subject %r", fields["Subject"])


def outbox() -> list[EmailMessage]:
    """Messages sent in this app while TESTING (the test suite's inbox)."""
    messages: list[EmailMessage] = current_app.extensions.setdefault("mail_outbox", [])
    return messages
