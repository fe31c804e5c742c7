"""The signed-in member's own pages: settings, password, data download, deletion."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from debate import ratelimit
from debate.errors import ValidationError
from debate.services import privacy
from debate.services.accounts import credentials as accounts
from debate.services.accounts import roles
from debate.web.helpers import attempt

bp = Blueprint("account", __name__, url_prefix="/account")


def _settings(error=None, status=200, form=None):
    return render_template("account/settings.html", error=error, form=form or {}, kinds=roles.KIND_LABELS), status


@bp.get("/")
@login_required
def settings():
    return _settings()


@bp.post("/name")
@login_required
@ratelimit.limited(accounts.RENAME)
def rename():
    _, error = attempt(lambda: accounts.rename(current_user, request.form.get("display_name")))
    if error is not None:
        return _settings(error, error.http_status, request.form)
    flash("Your display name has been changed.", "success")
    return redirect(url_for("account.settings"))


@bp.post("/password")
@login_required
@ratelimit.limited(accounts.PASSWORD_CHECK)
def change_password():
    f = request.form
    _, error = attempt(
        lambda: accounts.change_password(
            current_user, f.get("current"), f.get("password"), f.get("confirm"), session.get("login_nonce")
        )
    )
    if error is not None:
        return _settings(error, 400)
    flash("Your password has been changed. Other browsers signed in to your account were signed out.", "success")
    return redirect(url_for("account.settings"))


@bp.post("/representative")
@login_required
def request_representative():
    f = request.form
    _, error = attempt(
        lambda: roles.request_representative(current_user, f.get("kind"), f.get("title"), f.get("area"), f.get("party"))
    )
    if error is not None:
        return _settings(error, error.http_status, f)
    flash("Thank you. An admin will check your details and verify your account.", "success")
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
        error = ValidationError("Tick the box to confirm that you want to delete your account.", "confirm")
        return render_template("account/delete.html", error=error), 400
    ok = accounts.password_matches(current_user, password)
    remove = request.form.get("remove_content") == "yes"
    _, error = attempt(lambda: privacy.delete_user(current_user._get_current_object(), ok, remove))
    if error is not None:
        return render_template("account/delete.html", error=error), 400
    logout_user()
    session.clear()
    flash("Your account has been deleted. Thank you for taking part.", "success")
    return redirect(url_for("main.index"))
