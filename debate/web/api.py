"""JSON API: the same services as the pages, for scripts and the live layer."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from debate.permissions import require_signed_in
from debate.services.accounts import roles

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/me")
def me():
    require_signed_in(current_user if current_user.is_authenticated else None)
    u = current_user
    return jsonify(
        {
            "ok": True,
            "data": {
                "id": u.id,
                "display_name": u.display_name,
                "role": u.role,
                "email_verified": u.email_verified_at is not None,
                "verified_representative": u.is_verified_representative,
            },
        }
    )


@bp.get("/representatives")
def representatives():
    return jsonify(
        {
            "ok": True,
            "data": [
                {
                    "display_name": p.user.display_name,
                    "kind": p.kind,
                    "title": p.title,
                    "role": roles.role_title(p),
                    "area": p.area,
                    "party": p.party,
                    "verified_at": p.verified_at.isoformat() + "Z",
                }
                for p in roles.verified_representatives()
            ],
        }
    )
