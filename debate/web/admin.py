"""Admin pages: verify representatives, appoint moderators, see which official content lacks its Welsh."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate import bounds
from debate.permissions import Permission, has
from debate.services import bilingual_gaps
from debate.services.accounts import roles
from debate.web.auth import with_names
from debate.web.helpers import attempt, flash_error

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def staff_only():
    if not (has(current_user, Permission.VERIFY_REPRESENTATIVES) or has(current_user, Permission.APPOINT_MODERATORS)):
        abort(403)


def _form_int(name: str) -> int:
    try:
        value = int(request.form.get(name, ""))
    except ValueError:
        abort(400)
    if not bounds.in_int_range(value):  # no id is that large: the database would fail on it (a 500)
        abort(400)
    return value


@bp.get("/")
def dashboard():
    query = (request.args.get("q") or "")[: roles.MEMBER_QUERY_MAX]
    return render_template(
        "admin/dashboard.html",
        pending=roles.pending_representatives(),
        verified=roles.verified_representatives(),
        members=roles.list_members(query),
        query=query,
        missing_welsh=bilingual_gaps.missing(),
        role_names=roles.ROLE_LABELS,
    )


@bp.post("/representatives/verify")
def verify_representative():
    profile, error = attempt(lambda: roles.verify_representative(current_user, _form_int("profile_id")))
    if error:
        flash_error(error)
    else:
        message = _("%(name)s is now a verified %(kind)s.", kind=roles.KIND_LABELS[profile.kind], name="%(name)s")
        flash(with_names(message, name=profile.user.display_name), "success")
    return redirect(url_for("admin.dashboard"))


@bp.post("/representatives/revoke")
def revoke_representative():
    user, error = attempt(lambda: roles.revoke_representative(current_user, _form_int("profile_id")))
    if error:
        flash_error(error)
    else:
        flash(with_names(_("%(name)s is no longer listed as a representative."), name=user.display_name), "success")
    return redirect(url_for("admin.dashboard"))


@bp.post("/moderators")
def set_moderator():
    appoint = request.form.get("action") == "appoint"
    user, error = attempt(lambda: roles.set_moderator(current_user, _form_int("user_id"), appoint))
    if error:
        flash_error(error)
    else:
        message = _("%(name)s is now a moderator.") if appoint else _("%(name)s is no longer a moderator.")
        flash(with_names(message, name=user.display_name), "success")
    return redirect(url_for("admin.dashboard"))
