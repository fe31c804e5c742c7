"""Topics: the national and international issues debate is organised under."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debate.extensions import Model
from debate.models.base import utcnow

SCOPES = {"national": _l("National issue"), "international": _l("International issue"), "local": _l("Local issue")}


class Topic(Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(480))  # 120 characters, 4 code points each at most
    description: Mapped[str] = mapped_column(Text, default="")
    # Official content in both languages (debate/services/bilingual.py): the Welsh version, "" until written.
    title_cy: Mapped[str] = mapped_column(String(480), default="", server_default="")
    description_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Whether the issue is national, international or local: shown on the topic list.
    scope: Mapped[str] = mapped_column(String(20), default="national", server_default="national")

    @property
    def scope_label(self) -> str:
        return str(SCOPES.get(self.scope, _l("Issue")))
