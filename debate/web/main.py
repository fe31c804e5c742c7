"""Public pages: home, privacy, representatives directory."""

from flask import Blueprint, render_template
from sqlalchemy import select

from debate.extensions import db
from debate.models import Topic
from debate.services import privacy, roles

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    topics = db.session.scalars(select(Topic).order_by(Topic.title)).all()
    return render_template("index.html", topics=topics)


@bp.get("/privacy")
def privacy_page():
    return render_template("privacy.html", sections=privacy.sections())


@bp.get("/representatives")
def representatives():
    return render_template("representatives.html", profiles=roles.verified_representatives(), kinds=roles.KIND_LABELS)
