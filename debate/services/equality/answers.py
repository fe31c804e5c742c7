"""A member's own equality answers: read, save, dismiss the invitation, download and erase.

Only the member themself reaches these functions (the account pages pass `current_user`); nothing here takes
another member's id from a request. Blank means "not answered" and stores nothing; "Prefer not to say" is
stored as an answer of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from debate.errors import ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.equality import EqualityAnswer, EqualityInvitation
from debate.services import privacy
from debate.services.equality import questions as q


def of(user: User) -> dict[str, str]:
    """question key -> stored answer, for the member's own form and download."""
    rows = db.session.execute(
        select(EqualityAnswer.question, EqualityAnswer.answer).where(EqualityAnswer.user_id == user.id)
    )
    return {question: answer for question, answer in rows}


def _clean(question: q.Question, raw: str) -> str | None:
    """The value to store for one field (None: not answered), or a ValidationError naming the field."""
    value = raw.strip()
    if not value:
        return None
    if value == q.PREFER_NOT:
        return value
    if question.kind == "district":
        district = q.clean_district(value)
        if district is None:
            raise ValidationError(
                _("Enter the first part of a postcode only, such as CF10 or SA1, or leave it blank."), question.key
            )
        return district
    if value not in q.valid_values(question):
        raise ValidationError(_("Choose one of the answers listed, or leave it blank."), question.key)
    return value


def _given(question: q.Question, form: Mapping[str, str]) -> str:
    """The field's text; a district's "Prefer not to say" is a tick box beside the text field, and wins."""
    if question.kind == "district" and form.get(f"{question.key}-prefer-not"):
        return q.PREFER_NOT
    return form.get(question.key) or ""


def save(user: User, form: Mapping[str, str]) -> dict[str, str]:
    """Replace the member's answers with the form's, all or nothing: a blank field removes that answer."""
    cleaned = {question.key: _clean(question, _given(question, form)) for question in q.asked()}
    stored = {
        row.question: row for row in db.session.scalars(select(EqualityAnswer).where(EqualityAnswer.user_id == user.id))
    }
    for key, value in cleaned.items():
        row = stored.get(key)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(EqualityAnswer(user_id=user.id, question=key, answer=value))
        else:
            row.answer = value
    _dismiss(user)  # answering (even all blank) is the answer to the invitation
    db.session.commit()
    return {k: v for k, v in cleaned.items() if v is not None}


def _dismiss(user: User) -> None:
    if db.session.get(EqualityInvitation, user.id) is None:
        db.session.add(EqualityInvitation(user_id=user.id))


def dismiss(user: User) -> None:
    """ "Not now": the invitation is not shown again; the questions stay in the account settings."""
    _dismiss(user)
    db.session.commit()


def invitation_due(user: User) -> bool:
    """Shown once: until the member answers or dismisses it."""
    return db.session.get(EqualityInvitation, user.id) is None


def export(user: User) -> dict[str, object]:
    return {
        "answers": [
            {"question": str(q.BY_KEY[key].label) if key in q.BY_KEY else key, "key": key, "answer": value}
            for key, value in sorted(of(user).items())
        ],
        "invitation_dismissed": not invitation_due(user),
    }


def erase(user: User, remove_content: bool) -> None:
    """Always erased when the account goes, whatever else is kept."""
    db.session.execute(delete(EqualityAnswer).where(EqualityAnswer.user_id == user.id))
    db.session.execute(delete(EqualityInvitation).where(EqualityInvitation.user_id == user.id))


privacy.register(
    "equality",
    _l("Your answers to the equality monitoring questions (age, sex, ethnic group and so on), if you gave any."),
    export,
    erase,
)
