"""Security headers and friendly error pages for every response."""

from __future__ import annotations

import logging
import time

from flask import Flask, jsonify, render_template, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature

from debate.errors import CsrfFailed, ServiceError

log = logging.getLogger("commonground.security")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

CSRF_HOW = _l("Send the token from a page's csrf-token meta tag in an X-CSRFToken header, with the session cookie.")

ERROR_TEXT = {
    400: (_l("Something was wrong with that request"), _l("Please go back, check what you entered and try again.")),
    403: (_l("You cannot do that"), _l("Your account does not have permission to see this page or do this.")),
    404: (_l("Page not found"), _l("We could not find that page. It may have moved or been removed.")),
    405: (_l("That did not work"), _l("That kind of request is not allowed here.")),
    413: (_l("That was too large"), _l("What you sent was too large. Please shorten it and try again.")),
    429: (
        _l("Please slow down"),
        _l("You have done that too many times in a short while. Wait a minute and try again."),
    ),
    500: (_l("Something went wrong on our side"), _l("Sorry: we have logged the problem. Please try again shortly.")),
}


class TimedSession(SecureCookieSession):
    """The session, and when its cookie was signed (None for a session the browser has no cookie for)."""

    issued_at: float | None = None


class QuietSessionInterface(SecureCookieSessionInterface):
    """Send the session cookie when the session changed, or when the idle timeout needs it moved along.

    Sign-in makes the session permanent: the cookie (its expiry and the age its signature
    allows) ends a sign-in after SESSION_IDLE_MINUTES without a visit. Flask slides that along by
    re-sending the cookie with every response (SESSION_REFRESH_EACH_REQUEST), so every page and
    JSON answer carried a Set-Cookie, and two requests in flight could each write back the session
    they started with, the later undoing the earlier (a flash shown, then restored, or lost). An
    unchanged session is now re-sent only once its cookie is SESSION_REFRESH_MINUTES old (at most
    half the idle timeout): an active member stays signed in, and an idle one is signed out after
    the idle timeout less at most that interval.

    Static files and the favicon never send it: a browser fetches them in parallel with the page.
    """

    session_class = TimedSession

    def open_session(self, app: Flask, request) -> TimedSession | None:
        """Flask's own, keeping the signature's timestamp (it already checks that age against the timeout)."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()), return_timestamp=True
            )
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.issued_at = signed.timestamp()
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if request.endpoint in ("static", "main.favicon"):
            return False
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        issued = getattr(session, "issued_at", None)
        return issued is None or time.time() - issued >= refresh_seconds(app)


def refresh_seconds(app: Flask) -> float:
    """How old an unchanged session's cookie may get before it is re-sent: at most half the idle timeout."""
    idle = app.permanent_session_lifetime.total_seconds()
    return min(app.config["SESSION_REFRESH_MINUTES"] * 60, idle / 2)


def init_app(app: Flask) -> None:
    app.session_interface = QuietSessionInterface()

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    for status in ERROR_TEXT:
        app.register_error_handler(status, _error_page(status))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        """Flask-WTF checks every write before the view runs (before sign-in too), so a write without the token
        is a 400 even when nobody is signed in; the API says what to send (docs/api.md)."""
        if _wants_json():
            return service_error(CsrfFailed(f"{exc.description} {CSRF_HOW}"))
        return render_error(400, _("This form has expired. Please go back, reload the page and try again."))

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        if _wants_json():
            response = jsonify({"ok": False, "error": exc.as_dict()}), exc.http_status
        else:
            response = render_error(exc.http_status, exc.message)
        retry_after = getattr(exc, "retry_after", None)
        return response if retry_after is None else (*response, {"Retry-After": str(retry_after)})


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error_page(status: int):
    def handler(exc):
        if status == 500:
            log.exception("Unhandled error on %s", request.path)
        return render_error(status)

    return handler


def render_error(status: int, detail: object = None):
    """The error page (or JSON) for a status, in the reader's language; `detail` replaces the status's text."""
    title, text = (str(part) for part in ERROR_TEXT.get(status, ERROR_TEXT[400]))
    message = str(detail) if detail else text
    if _wants_json():
        return jsonify({"ok": False, "error": {"code": str(status), "message": message}}), status
    return render_template("error.html", status=status, title=title, text=message), status
