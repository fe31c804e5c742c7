"""Public pages: home, privacy, representatives directory."""

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_babel import lazy_gettext as _l

from debate.services import bilingual, privacy
from debate.services.accounts import roles
from debate.services.forums import pages as forum_pages
from debate.services.live import sessions as live_sessions

bp = Blueprint("main", __name__)
# A global, not a context variable: macros imported without context (badges) use it too.
bp.add_app_template_global(roles.role_title, "role_title")
# Official content in the reader's language (templates/_macros.html `official`, `shown_in`): globals too, for the
# same reason.
bp.add_app_template_global(bilingual.pick, "official_text")
bp.add_app_template_global(bilingual.reader_language, "reader_language")


# The names of the privacy page's groups of personal data (debate/services/privacy.py registers them by key); a
# group without a name here shows its key.
SECTION_NAMES = {
    "account": _l("Account"),
    "sign_ins": _l("Sign ins"),
    "forums": _l("Forums"),
    "notifications": _l("Notifications"),
    "accountability": _l("Accountability"),
    "moderation": _l("Moderation"),
    "outcomes": _l("Outcomes"),
    "poll_answers": _l("Poll answers"),
    "equality": _l("Equality monitoring"),
    "surveys": _l("Surveys"),
    "agreement": _l("Where do we agree?"),
}


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for this unprompted; answer it so it never renders (and flashes) a 404 page."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/")
def index():
    return render_template("index.html", topics=forum_pages.topic_overview(), on_now=live_sessions.on_now())


@bp.get("/privacy")
def privacy_page():
    return render_template("privacy.html", sections=privacy.sections(), section_names=SECTION_NAMES)


@bp.get("/representatives")
def representatives():
    return render_template("representatives.html", profiles=roles.verified_representatives())
