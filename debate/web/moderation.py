"""Moderators' pages: the review queue, one item, decisions, sanctions, appeals, the audit log, settings.

Residents and representatives get 403 on every page here. Each view parses the
form, calls one service and renders; the live queue (debate/realtime/staff.py)
calls the same services.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

import moderation as engine
from debate.errors import ValidationError
from debate.models.base import utcnow
from debate.permissions import Permission, has, require
from debate.ratelimit import limited
from debate.services.moderation import appeals as moderation_appeals
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.moderation import settings as moderation_settings
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.settings import TERM_LANGUAGES
from debate.services.moderation.text import (
    ACTION_LABELS,
    APPEAL_OUTCOMES,
    CATEGORY_CHOICES,
    FLAG_OUTCOMES,
    ROLE_LABELS,
    SANCTION_LABELS,
    STATE_LABELS,
    category_label,
    reason_label,
    reason_message,
)
from debate.web.helpers import attempt, flash_error

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
CATEGORIES = CATEGORY_CHOICES
# The audit log's actions, as a moderator reads them (the stored value, in words).
AUDIT_ACTIONS = {
    "approve": _l("approve"),
    "hide": _l("hide"),
    "remove": _l("remove"),
    "edit": _l("edit"),
    "auto_hide": _l("auto hide"),
    "withdraw": _l("withdraw"),
    "restore": _l("restore"),
    "sanction": _l("sanction"),
    "lift_sanction": _l("lift sanction"),
    "appeal_filed": _l("appeal filed"),
    "appeal_decided": _l("appeal decided"),
    "merge": _l("merge"),
    "out_of_order": _l("out of order"),
    "put_back": _l("put back"),
    "policy_changed": _l("policy changed"),
    "order_rule": _l("order of questions changed"),
}


def shown(labels):  # noqa: ANN001, ANN201
    """Lazy labels as text in the reader's language, so the page escapes them like any other text."""
    if isinstance(labels, dict):
        return {key: str(value) for key, value in labels.items()}
    return [(value, str(label)) for value, label in labels]


@bp.before_request
@login_required
def moderators_only():
    if not has(current_user, Permission.MODERATE):
        abort(403)


@bp.context_processor
def labels() -> dict:
    return {
        "cause_labels": shown(moderation_queue.CAUSE_LABELS),
        "category_label": category_label,
        "state_labels": shown(STATE_LABELS),
        "action_labels": shown(ACTION_LABELS),
        "appeal_outcomes": shown(APPEAL_OUTCOMES),
        "flag_outcomes": shown(FLAG_OUTCOMES),
        "role_labels": shown(ROLE_LABELS),
        "term_languages": shown(TERM_LANGUAGES),
        "reason_message": reason_message,
        "audit_action_label": lambda a: str(AUDIT_ACTIONS.get(a, a.replace("_", " "))),
    }


@bp.app_template_global("reason_label")
def _reason_label(code: str | None) -> str:
    return reason_label(code) if code else ""


def _id(name: str) -> int:
    value = request.form.get(name, "")
    if not value.isdigit() or len(value) > 9:
        abort(400)
    return int(value)


# --------------------------------------------------------------------------- the queue


def _queue_page(results=None, error=None, form=None, status: int = 200):
    return render_template(
        "moderation/queue.html",
        entries=moderation_queue.open_items(current_user),
        waiting=moderation_queue.open_count(),
        sanction_appeals=moderation_appeals.open_sanction_appeals(current_user),
        categories=shown(CATEGORIES),
        results=results,
        error=error,
        form=form or {},
    ), status


@bp.get("/")
def queue():
    return _queue_page()


@bp.get("/queue/list")
def queue_list():
    """The queue's list alone: the live page fetches it when an item is added or changes."""
    return render_template(
        "moderation/_queue_list.html",
        entries=moderation_queue.open_items(current_user),
        waiting=moderation_queue.open_count(),
        sanction_appeals=moderation_appeals.open_sanction_appeals(current_user),
    )


@bp.post("/bulk")
@limited(moderation_decisions.DECIDE)
def bulk():
    ids = [int(v) for v in request.form.getlist("items") if v.isdigit() and len(v) < 10]
    f = request.form
    results, error = attempt(
        lambda: moderation_decisions.decide_many(current_user, ids, f.get("action"), f.get("category"), f.get("note"))
    )
    if error is not None:
        return _queue_page(None, error, f, error.http_status)
    done = sum(1 for r in results if r.error is None)
    flash(
        _("Decided %(done)s of %(total)s items.", done=done, total=len(results)),
        "success" if done == len(results) else "error",
    )
    return _queue_page(results, None, f)


# --------------------------------------------------------------------------- one item


def _item_page(item_id: int, error=None, form=None, status: int = 200):
    entry = moderation_queue.get(current_user, item_id)
    appeal = moderation_queue.open_appeal(entry.item)
    appeal_decision, appeal_sanction = moderation_appeals.about(appeal) if appeal else (None, None)
    return render_template(
        "moderation/item.html",
        entry=entry,
        flags=moderation_queue.flags_of(entry.item),
        decisions=moderation_queue.decisions_of(entry.item),
        appeal=appeal,
        appeal_decision=appeal_decision,
        appeal_sanction=appeal_sanction,
        sanctions=moderation_standing.sanctions_of(entry.author.id) if entry.author else [],
        categories=shown(CATEGORIES),
        kinds=shown(SANCTION_LABELS),
        durations={k: (str(label), span) for k, (label, span) in moderation_sanctions.DURATIONS.items()},
        readers_see=moderation_queue.readers_see(entry.item),
        allowed=moderation_queue.allowed(entry),
        error=error,
        form=form or {},
        now=utcnow(),
    ), status


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    return _item_page(item_id)


@bp.post("/items/<int:item_id>/claim")
@limited(moderation_queue.CLAIM)
def claim(item_id: int):
    _done, error = attempt(lambda: moderation_queue.claim(current_user, item_id))
    if error:
        flash_error(error)
    else:
        flash(_("You have claimed this item. Other moderators see that you are on it."), "success")
    return redirect(url_for("moderation.item", item_id=item_id))


@bp.post("/items/<int:item_id>/release")
@limited(moderation_queue.CLAIM)
def release(item_id: int):
    _done, error = attempt(lambda: moderation_queue.release(current_user, item_id))
    if error:
        flash_error(error)
    else:
        flash(_("You have released this item back to the queue."), "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/items/<int:item_id>/decide")
@limited(moderation_decisions.DECIDE)
def decide(item_id: int):
    f = request.form
    decision, error = attempt(
        lambda: moderation_decisions.decide(
            current_user, item_id, f.get("action"), f.get("category"), f.get("note"), f.get("text")
        )
    )
    if error is not None:
        return _item_page(item_id, error, f, error.http_status)
    flash(
        _(
            "Decision recorded: %(action)s. The author has been told.",
            action=ACTION_LABELS.get(decision.action, decision.action),
        ),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@bp.post("/members/<int:user_id>/sanctions")
def sanction(user_id: int):
    f = request.form
    item_id = _id("item_id")
    _done, error = attempt(
        lambda: moderation_sanctions.issue(
            current_user,
            user_id,
            f.get("kind"),
            f.get("sanction_category"),
            f.get("sanction_note"),
            f.get("duration"),
            url_for("moderation_public.notices"),
        )
    )
    if error is not None:
        return _item_page(item_id, error, f, error.http_status)
    flash(_("Sanction recorded. The member has been told, with the reason."), "success")
    return redirect(url_for("moderation.item", item_id=item_id))


@bp.post("/sanctions/<int:sanction_id>/lift")
def lift(sanction_id: int):
    item_id = _id("item_id")
    _done, error = attempt(lambda: moderation_sanctions.lift(current_user, sanction_id, request.form.get("note")))
    if error:
        flash_error(error)
    else:
        flash(_("Sanction lifted. The member has been told."), "success")
    return redirect(url_for("moderation.item", item_id=item_id))


# --------------------------------------------------------------------------- appeals


def _appeal_page(appeal_id: int, error=None, status: int = 200):
    appeal = moderation_appeals.get(current_user, appeal_id)
    decision, sanction = moderation_appeals.about(appeal)
    return render_template(
        "moderation/appeal.html",
        appeal=appeal,
        appeal_sanction=sanction,
        appeal_decision=decision,
        kinds=shown(SANCTION_LABELS),
        error=error,
    ), status


@bp.get("/appeals/<int:appeal_id>")
def appeal(appeal_id: int):
    return _appeal_page(appeal_id)


@bp.post("/appeals/<int:appeal_id>/decide")
def decide_appeal(appeal_id: int):
    f = request.form
    decided, error = attempt(
        lambda: moderation_appeals.decide(current_user, appeal_id, f.get("outcome"), f.get("note"))
    )
    if error is not None:
        return _appeal_page(appeal_id, error, error.http_status)
    flash(
        _(
            "Appeal %(outcome)s. The member has been told.",
            outcome=APPEAL_OUTCOMES.get(decided.outcome, decided.outcome),
        ),
        "success",
    )
    return redirect(url_for("moderation.queue"))


# --------------------------------------------------------------------------- audit log


def _date_arg(name: str) -> date | None:
    value = request.args.get(name, "")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError(_("Enter dates as YYYY-MM-DD."), name) from None


@bp.get("/audit")
def audit():
    require(current_user, Permission.VIEW_AUDIT_LOG)
    args = request.args
    actor = args.get("actor", "")
    page = args.get("page", "1")
    wanted, error = attempt(
        lambda: moderation_audit.AuditFilter(
            actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
            action=args.get("action") if args.get("action") in {a.value for a in engine.AuditAction} else None,
            since=_date_arg("since"),
            until=_date_arg("until"),
            target=(args.get("target") or "")[: moderation_audit.TARGET_MAX],
            page=int(page) if page.isdigit() and len(page) < 6 else 1,
        )
    )
    wanted = wanted or moderation_audit.AuditFilter()
    entries, more = moderation_audit.search(current_user, wanted)
    return render_template(
        "moderation/audit.html",
        entries=entries,
        more=more,
        wanted=wanted,
        args=args,
        error=error,
        staff=moderation_audit.staff(),
        actions=[a.value for a in engine.AuditAction],
        names=moderation_audit.actor_names(entries),
        items=moderation_audit.review_items(entries),
        change_lines=moderation_audit.change_lines,
    ), (400 if error else 200)


# --------------------------------------------------------------------------- settings


def _settings_page(values: dict, error=None, status: int = 200):
    return render_template(
        "moderation/settings.html",
        values=values,
        error=error,
        categories=shown(CATEGORIES),
        actions=[a.value for a in engine.TermAction],
        term_actions={"block": _("Block"), "hold": _("Hold"), "flag": _("Flag")},
        blank_terms=3,
    ), status


@bp.get("/settings")
def settings():
    require(current_user, Permission.MANAGE_MODERATION_SETTINGS)
    return _settings_page(moderation_settings.form_values(moderation_settings.current_policy()))


@bp.post("/settings")
def save_settings():
    require(current_user, Permission.MANAGE_MODERATION_SETTINGS)
    _done, error = attempt(lambda: moderation_settings.save_form(current_user, request.form))
    if error is not None:
        return _settings_page(moderation_settings.submitted_values(request.form), error, error.http_status)
    flash(_("Moderation settings saved. They apply to everything posted from now on."), "success")
    return redirect(url_for("moderation.settings"))
