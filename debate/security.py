"""Security headers and friendly error pages for every response."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError

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

CSRF_HOW = "Send the token from a page's csrf-token meta tag in an X-CSRFToken header, with the session cookie."

ERROR_TEXT = {
    400: ("Something was wrong with that request", "Please go back, check what you entered and try again."),
    403: ("You cannot do that", "Your account does not have permission to see this page or do this."),
    404: ("Page not found", "We could not find that page. It may have moved or been removed."),
    405: ("That did not work", "That kind of request is not allowed here."),
    413: ("That was too large", "What you sent was too large. Please shorten it and try again."),
    429: ("Please slow down", "You have done that too many times in a short while. Wait a minute and try again."),
    500: ("Something went wrong on our side", "Sorry: we have logged the problem. Please try again shortly."),
}


class QuietAssetSessionInterface(SecureCookieSessionInterface):
    """Never re-send the session cookie with static files or the favicon.

    A browser fetches these in parallel with the page; refreshing the cookie on
    them writes back the copy the request started with, which can undo what the
    page just did to the session (a flash message shown, then restored, or lost).
    """

    def should_set_cookie(self, app: Flask, session) -> bool:
        if request.endpoint in ("static", "main.favicon"):
            return False
        return super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.session_interface = QuietAssetSessionInterface()

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
        return render_error(400, "This form has expired. Please go back, reload the page and try again.")

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


def render_error(status: int, detail: str | None = None):
    title, text = ERROR_TEXT.get(status, ERROR_TEXT[400])
    if _wants_json():
        return jsonify({"ok": False, "error": {"code": str(status), "message": detail or text}}), status
    return render_template("error.html", status=status, title=title, text=detail or text), status
