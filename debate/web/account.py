"""The signed-in member's own pages: settings, password, data download, deletion."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from debate import ratelimit
from debate.errors import ValidationError
from debate.i18n import LANGUAGES, known
from debate.i18n.selection import from_address
from debate.services import privacy
from debate.services.accounts import credentials as accounts
from debate.services.accounts import language, roles
from debate.services.equality import answers as equality_answers
from debate.web.helpers import attempt

bp = Blueprint("account", __name__, url_prefix="/account")


def _settings(error=None, status=200, form=None):
    return render_template(
        "account/settings.html",
        error=error,
        form=form or {},
        kinds=roles.KIND_LABELS,
        role_names=roles.ROLE_LABELS,
        languages=LANGUAGES,
        chosen_language=language.of(current_user),
        equality_invitation=equality_answers.invitation_due(current_user),
    ), status


@bp.get("/")
@login_required
def settings():
    return _settings()


@bp.post("/name")
@login_required
@ratelimit.limited(accounts.RENAME)
def rename():
    _result, error = attempt(lambda: accounts.rename(current_user, request.form.get("display_name")))
    if error is not None:
        return _settings(error, error.http_status, request.form)
    flash(_("Your display name has been changed."), "success")
    return redirect(url_for("account.settings"))


@bp.post("/password")
@login_required
@ratelimit.limited(accounts.PASSWORD_CHECK)
def change_password():
    f = request.form
    _result, error = attempt(
        lambda: accounts.change_password(
            current_user, f.get("current"), f.get("password"), f.get("confirm"), session.get("login_nonce")
        )
    )
    if error is not None:
        return _settings(error, 400)
    flash(_("Your password has been changed. Other browsers signed in to your account were signed out."), "success")
    return redirect(url_for("account.settings"))


@bp.post("/language")
@login_required
def choose_language():
    """Record the language the member's pages, emails and notifications use; the settings page then speaks it."""
    code = known(request.form.get("language"))
    if code is None:
        return _settings(ValidationError(_("Choose one of the languages listed."), "language"), 400)
    language.record(current_user._get_current_object(), code)
    with force_locale(code):
        flash(_("Your language is saved: pages, emails and notifications now use it."), "success")
    return redirect(_in_language(code, url_for("account.settings")))


def _in_language(code: str, path: str) -> str:
    """This site's `path` at language `code`'s own address (the page's own prefix replaced)."""
    here = from_address()
    if here and path.startswith(f"/{here}/"):
        path = path.removeprefix(f"/{here}")
    return f"/{code}{path}"


@bp.post("/representative")
@login_required
def request_representative():
    f = request.form
    _result, error = attempt(
        lambda: roles.request_representative(current_user, f.get("kind"), f.get("title"), f.get("area"), f.get("party"))
    )
    if error is not None:
        return _settings(error, error.http_status, f)
    flash(_("Thank you. An admin will check your details and verify your account."), "success")
    return redirect(url_for("account.settings"))


@bp.get("/data")
@login_required
def download_data():
    """Everything the site holds about you, as a JSON file."""
    body = json.dumps(privacy.export_user(current_user), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="common-ground-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@ratelimit.limited(accounts.PASSWORD_CHECK)
def delete_account():
    if request.method == "GET":
        return render_template("account/delete.html", error=None)
    password = request.form.get("password") or ""
    if request.form.get("confirm") != "yes":
        error = ValidationError(_("Tick the box to confirm that you want to delete your account."), "confirm")
        return render_template("account/delete.html", error=error), 400
    ok = accounts.password_matches(current_user, password)
    remove = request.form.get("remove_content") == "yes"
    _result, error = attempt(lambda: privacy.delete_user(current_user._get_current_object(), ok, remove))
    if error is not None:
        return render_template("account/delete.html", error=error), 400
    logout_user()
    session.clear()
    flash(_("Your account has been deleted. Thank you for taking part."), "success")
    return redirect(url_for("main.index"))
