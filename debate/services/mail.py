"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise written to the log.

Tests read `outbox()`, which records every message in TESTING mode.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("commonground.mail")


def send(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text message; failures are logged, never shown to the user.

    `headers` adds fields such as List-Unsubscribe (notification emails).
    """
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = f"[{cfg['SITE_NAME']}] {subject}"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if current_app.testing:
        outbox().append(msg)
    if not cfg["MAIL_SERVER"]:
        log.info("Email (no MAIL_SERVER set, so logged, not sent)\nTo: %s\nSubject: %s\n\n%s", to, msg["Subject"], body)
        return
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send email with subject %r", subject)


def outbox() -> list[EmailMessage]:
    """Messages sent in this app while TESTING (the test suite's inbox)."""
    return current_app.extensions.setdefault("mail_outbox", [])
