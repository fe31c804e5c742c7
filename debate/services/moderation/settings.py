"""The admin's moderation settings: the engine's Policy, stored as JSON in one row.

`current_policy` is what publishing asks for on every submission. The parsed
Policy is cached per process and keyed by the row's `revision`, which every
save replaces, so a change made through any server process is seen by all of
them on their next submission at the cost of one primary-key lookup.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import moderation
from debate.errors import ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderation import ModerationSettings
from debate.permissions import Permission, require
from debate.services.moderation import audit as moderation_audit
from debate.services.text import CODE_POINTS_PER_CHARACTER, length

log = logging.getLogger("commonground.moderation")
ROW_ID = 1
MAX_TERMS = 500
TERM_MAX = 100
_cache: tuple[str, moderation.Policy] | None = None


def current_policy() -> moderation.Policy:
    """The policy in force: the stored one, or the engine's defaults before an admin saved any."""
    global _cache
    revision = db.session.scalar(select(ModerationSettings.revision).where(ModerationSettings.id == ROW_ID))
    if revision is None:
        return moderation.Policy()
    if _cache is not None and _cache[0] == revision:
        return _cache[1]
    row = db.session.get(ModerationSettings, ROW_ID)
    assert row is not None  # its revision was just read
    try:
        policy = moderation.Policy.from_dict(row.policy)
    except moderation.PolicyError:
        log.exception("stored moderation settings are invalid; using the defaults")
        return moderation.Policy()
    _cache = (revision, policy)
    return policy


def save_form(admin: User, form: Mapping[str, str]) -> moderation.Policy:
    """Apply the settings form to the stored policy and save it."""
    require(admin, Permission.MANAGE_MODERATION_SETTINGS)
    data, term_rows = from_form(form, current_policy())
    return save_policy(admin, data, term_rows)


def save_policy(admin: User, data: Mapping[str, Any], term_rows: list[int] | None = None) -> moderation.Policy:
    """Validate with the engine, store, and audit what changed (section by section)."""
    global _cache
    require(admin, Permission.MANAGE_MODERATION_SETTINGS)
    try:
        policy = moderation.Policy.from_dict(data)
    except moderation.PolicyError as exc:
        field = _field_for(exc.path, term_rows or [], exc.problem)
        raise ValidationError(
            _("%(setting)s: %(problem)s", setting=_setting_name(exc.path), problem=exc.problem), field
        ) from None
    before = flat(current_policy().to_dict())
    after = flat(policy.to_dict())
    row = db.session.get(ModerationSettings, ROW_ID) or ModerationSettings(id=ROW_ID)
    row.policy = policy.to_dict()
    row.revision = uuid.uuid4().hex
    row.updated_at = utcnow()
    row.updated_by_id = admin.id
    db.session.add(row)
    changed = sorted(key for key in after if after[key] != before.get(key))
    moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(admin.id),
            action=moderation.AuditAction.POLICY_CHANGED,
            target_type="policy",
            target_id="policy",
            at=row.updated_at,
            note="Changed: " + (", ".join(changed) if changed else "nothing"),
            before={key: before.get(key) for key in changed},
            after={key: after[key] for key in changed},
        )
    )
    db.session.commit()
    _cache = (row.revision, policy)
    return policy


def flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Settings as dotted paths, so the audit log records only what changed ("flags.threshold": 3 → 1.5)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flat(value, path + "."))
        elif path == "watchlist.terms":
            out[path] = [
                f"{t['text']} ({t['action']}, {t['category']}{', ' + t['lang'] if t.get('lang') else ''})"
                for t in value
            ]
        else:
            out[path] = value
    return out


# --------------------------------------------------------------------------- the settings form

LABELS = {
    "watchlist": _l("Watched words"),
    "new_accounts.hold_first_posts": _l("Posts held for a new account"),
    "new_accounts.max_links": _l("Links allowed for a new account"),
    "new_accounts.links_action": _l("Too many links"),
    "duplicates.window": _l("Repeated posts window"),
    "rate_limits": _l("Rate limits"),
    "flags.threshold": _l("Flag threshold"),
}
# Which content a watched term is looked for in: "" every language; "en" / "cy" content marked so (or unmarked).
TERM_LANGUAGES = {"": _l("All languages"), "en": _l("English only"), "cy": _l("Welsh only")}


def form_values(policy: moderation.Policy) -> dict[str, Any]:
    """The editable settings as the form shows them (minutes, not seconds)."""
    return {
        "terms": [(t.text, t.action.value, t.category.value, t.lang) for t in policy.watchlist.terms],
        "hold_first_posts": policy.new_accounts.hold_first_posts,
        "max_links": policy.new_accounts.max_links,
        "links_action": policy.new_accounts.links_action.value,
        "duplicate_minutes": _minutes(policy.duplicates.window.total_seconds()),
        "rates": [(r.max_posts, _minutes(r.per.total_seconds())) for r in policy.rate_limits],
        "flag_threshold": _number(policy.flags.threshold),
    }


def submitted_values(form: Mapping[str, str]) -> dict[str, Any]:
    """What the admin typed, shaped like `form_values`, to show the form again with an error."""
    terms = [
        (
            form.get(f"term-{i}", ""),
            form.get(f"action-{i}", ""),
            form.get(f"category-{i}", ""),
            form.get(f"lang-{i}", ""),
        )
        for i in _indexes(form, "term")
    ]  # blank rows too, so each row keeps its number...
    while terms and not terms[-1][0].strip():
        terms.pop()  # ...except trailing ones: the page adds its own empty rows
    rates = [(form.get(f"rate-posts-{i}", ""), form.get(f"rate-minutes-{i}", "")) for i in _indexes(form, "rate-posts")]
    names = ("hold_first_posts", "max_links", "links_action", "duplicate_minutes", "flag_threshold")
    return {"terms": terms, "rates": rates, **{name: form.get(name, "") for name in names}}


def from_form(form: Mapping[str, str], base: moderation.Policy) -> tuple[dict[str, Any], list[int]]:
    """The stored policy with the form's settings applied, and the form row of each watched term.

    Errors the form can see (a number that isn't one) name the form field here;
    the engine's own checks come later, in `save_policy`.
    """
    data = base.to_dict()
    terms, rows = _terms(form, {t.text: t.note for t in base.watchlist.terms})
    data["watchlist"]["terms"] = terms
    data["new_accounts"]["hold_first_posts"] = _int(form, "hold_first_posts")
    data["new_accounts"]["max_links"] = _int(form, "max_links")
    data["new_accounts"]["links_action"] = form.get("links_action", "")
    data["duplicates"]["window"] = _int(form, "duplicate_minutes") * 60
    data["rate_limits"] = _rates(form)
    data["flags"]["threshold"] = _float(form, "flag_threshold")
    return data, rows


def _terms(form: Mapping[str, str], notes: Mapping[str, str]) -> tuple[list[dict[str, str]], list[int]]:
    """The watched terms from the form's rows; an admin's note on a term (not on the form) is kept."""
    terms, rows = [], []
    for index in _indexes(form, "term"):
        text = " ".join((form.get(f"term-{index}") or "").split())
        if not text or form.get(f"remove-{index}") == "yes":
            continue
        if len(text) > TERM_MAX * CODE_POINTS_PER_CHARACTER or length(text) > TERM_MAX:
            raise ValidationError(
                _("A watched word or phrase can be at most %(limit)s characters.", limit=TERM_MAX), f"term-{index}"
            )
        lang = form.get(f"lang-{index}", "")
        if lang not in TERM_LANGUAGES:
            raise ValidationError(_("Choose a language from the list."), f"lang-{index}")
        terms.append(
            {
                "text": text,
                "action": form.get(f"action-{index}", ""),
                "category": form.get(f"category-{index}", ""),
                "note": notes.get(text, ""),
                "lang": lang,
            }
        )
        rows.append(index)
    if len(terms) > MAX_TERMS:
        raise ValidationError(_("At most %(limit)s watched words and phrases.", limit=MAX_TERMS), "term-0")
    return terms, rows


def _rates(form: Mapping[str, str]) -> list[dict[str, int]]:
    rates = []
    for index in _indexes(form, "rate-posts"):
        posts, minutes = form.get(f"rate-posts-{index}", "").strip(), form.get(f"rate-minutes-{index}", "").strip()
        if not posts and not minutes:
            continue
        rates.append({"max_posts": _int(form, f"rate-posts-{index}"), "per": _int(form, f"rate-minutes-{index}") * 60})
    return rates


def _indexes(form: Mapping[str, str], prefix: str) -> list[int]:
    pattern = re.compile(rf"{re.escape(prefix)}-(\d{{1,3}})$")
    return sorted({int(m.group(1)) for key in form if (m := pattern.match(key))})


def _int(form: Mapping[str, str], name: str) -> int:
    value = (form.get(name) or "").strip()
    if not re.fullmatch(r"\d{1,7}", value):
        raise ValidationError(_("Enter a whole number, 0 or more."), name)
    return int(value)


def _float(form: Mapping[str, str], name: str) -> float:
    value = (form.get(name) or "").strip()
    if not re.fullmatch(r"\d{1,5}(\.\d{1,3})?", value):
        raise ValidationError(_("Enter a number such as 3 or 2.5."), name)
    return float(value)


def _minutes(seconds: float) -> int:
    return int(seconds // 60)


def _number(value: float) -> str:
    return f"{value:g}"


_FIELDS = {
    "policy.new_accounts.hold_first_posts": "hold_first_posts",
    "policy.new_accounts.max_links": "max_links",
    "policy.new_accounts.links_action": "links_action",
    "policy.new_accounts": "hold_first_posts",
    "policy.duplicates": "duplicate_minutes",
    "policy.flags.threshold": "flag_threshold",
    "policy.flags": "flag_threshold",
}


def _field_for(path: str, term_rows: list[int], problem: str = "") -> str | None:
    """The form field behind an engine PolicyError path such as `policy.watchlist.terms[2].action`.

    A check across a section's settings names the section only; its message starts with the setting.
    """
    if path in ("policy.new_accounts", "policy.flags") and problem.split(" ")[0] in _FORM_NAMES:
        return _FORM_NAMES[problem.split(" ")[0]]
    if match := re.match(r"policy\.watchlist\.terms\[(\d+)\]\.?(\w*)", path):
        part = {"action": "action", "category": "category", "lang": "lang"}.get(match.group(2), "term")
        position = int(match.group(1))
        return f"{part}-{term_rows[position] if position < len(term_rows) else position}"
    if match := re.match(r"policy\.rate_limits\[(\d+)\]", path):
        return f"rate-posts-{match.group(1)}"
    return _FIELDS.get(path) or next((f for p, f in _FIELDS.items() if path.startswith(p + ".")), None)


_FORM_NAMES = {
    "links_action": "links_action",
    "threshold": "flag_threshold",
    "hold_first_posts": "hold_first_posts",
    "max_links": "max_links",
}


def _setting_name(path: str) -> str:
    key = path.removeprefix("policy.")
    for prefix, label in LABELS.items():
        if key.startswith(prefix):
            return str(label)
    return key
