"""Registration, email verification, sign-in and -out, password reset."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup, escape

from debate.ratelimit import limited
from debate.services.accounts import credentials as accounts
from debate.web.helpers import attempt, safe_next

bp = Blueprint("auth", __name__)


def _page_language() -> str | None:
    """The language the page speaks (its address's, or the reader's choice): recorded at registration."""
    locale = get_locale()
    return locale.language if locale else None


def with_names(message: str, **names: str) -> Markup:
    """A translated sentence (`gettext` of the msgid, not yet formatted) with members' names put in, each
    isolated in <bdi> (bidi) and escaped: `with_names(_("Signed in as %(name)s."), name=user.display_name)`."""
    return escape(message) % {key: Markup("<bdi>%s</bdi>") % value for key, value in names.items()}


def sign_in(user) -> None:
    """Start a fresh session (no fixation) tied to a login row the server can end."""
    session.clear()
    login = accounts.start_login_session(user, request.headers.get("User-Agent", ""))
    session["login_nonce"] = login.nonce
    session.permanent = True
    login_user(user)


@bp.route("/register", methods=["GET", "POST"])
@limited(accounts.REGISTER)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if request.method == "POST":
        f = request.form
        address, error = attempt(
            lambda: accounts.register(
                f.get("display_name"), f.get("email"), f.get("password"), f.get("confirm"), _page_language()
            )
        )
        if error is None:  # the same page whether the address was new or already had an account
            return render_template(
                "auth/message.html",
                title=_("Check your email"),
                text=_(
                    "We have sent an email to %(address)s: follow the link in it to carry on. It can take a few "
                    "minutes to arrive; if it does not, look in your spam folder.",
                    address=address,
                ),
                sign_in=True,
            )
        return render_template("auth/register.html", error=error, form=f), 400
    return render_template("auth/register.html", error=None, form={})


@bp.get("/verify/<token>")
def verify_email(token: str):
    user, error = attempt(lambda: accounts.verify_email(token))
    if error is not None:
        return render_template(
            "auth/message.html", title=_("Email not confirmed"), text=error.message, resend=True
        ), 400
    if current_user.is_authenticated:
        flash(with_names(_("Thank you, %(name)s: your email address is confirmed."), name=user.display_name), "success")
        return redirect(url_for("account.settings"))
    flash(
        with_names(
            _("Thank you, %(name)s: your email address is confirmed. Sign in to carry on."), name=user.display_name
        ),
        "success",
    )
    return redirect(url_for("auth.login"))


@bp.post("/verify/resend")
@limited(accounts.CONFIRMATION)
def resend_verification():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("account.settings")))
    if current_user.email_verified_at is None:
        accounts.send_verification(current_user)
        flash(_("We have sent a new confirmation email."), "success")
    return redirect(url_for("account.settings"))


@bp.route("/login", methods=["GET", "POST"])
@limited(accounts.SIGN_IN)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if request.method == "POST":
        user, error = attempt(lambda: accounts.authenticate(request.form.get("email"), request.form.get("password")))
        if error is None:
            sign_in(user)
            flash(with_names(_("Signed in as %(name)s."), name=user.display_name), "success")
            return redirect(safe_next(url_for("main.index")))
        # A lock answers 429 with Retry-After, whether or not an account uses the address (sign_in_locks).
        retry_after = getattr(error, "retry_after", None)
        return (
            render_template("auth/login.html", error=error, email=(request.form.get("email") or "")[:254]),
            error.http_status,
            {"Retry-After": str(retry_after)} if retry_after else {},
        )
    return render_template("auth/login.html", error=None, email="")


@bp.post("/logout")
def logout():
    accounts.sign_out(session.get("login_nonce"))
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/forgot", methods=["GET", "POST"])
@limited(accounts.RESET_REQUEST)
def forgot_password():
    if request.method == "POST":
        _result, error = attempt(lambda: accounts.request_password_reset(request.form.get("email")))
        if error is None:
            return render_template(
                "auth/message.html",
                title=_("Check your email"),
                text=_("If an account uses that address, we have emailed it a link to reset the password."),
            )
        return render_template("auth/forgot.html", error=error), 400
    return render_template("auth/forgot.html", error=None)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limited(accounts.RESET)
def reset_password(token: str):
    _result, error = attempt(lambda: accounts.check_reset_token(token))
    if error is not None:
        return render_template(
            "auth/message.html", title=_("Reset link not valid"), text=error.message, forgot=True
        ), 400
    if request.method == "POST":
        user, error = attempt(
            lambda: accounts.reset_password(token, request.form.get("password"), request.form.get("confirm"))
        )
        if error is None:
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Please sign in with it."), "success")
            return redirect(url_for("auth.login"))
        return render_template("auth/reset.html", error=error, token=token), 400
    return render_template("auth/reset.html", error=None, token=token)
