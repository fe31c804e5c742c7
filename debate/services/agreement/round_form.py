"""The create and manage forms for rounds: what a form sends turned into `rounds.create_round` / `update_round`.

The rules of a round (who may, the question's length, the statements' own rules) are in `rounds` and
`statements`; this module only reads a form: the closing time typed in council time, and the host's opening
statements one a line. Each line is checked with the statement rule itself, so a form names every line that is
wrong at once ("Line 3: ...") instead of the first only; then the round service decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from debate.errors import NotFound, ServiceError, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementRound
from debate.models.forums import Thread
from debate.models.topics import Topic
from debate.services.agreement import rounds, statements
from debate.services.agreement.pages import Subject
from debate.services.council_time import to_local, to_utc

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # an <input type="datetime-local">'s value, in council time
FIELDS = ("question", "question_cy", "description", "description_cy", "closes_at", "seeds")


class FormInvalid(ValidationError):
    """One or more fields are wrong: `errors` maps each field to its sentence, in the form's order."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("There is a problem with the round."))
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"errors": self.errors}


def subject(user: User | None, topic_id: int | None = None, thread_id: int | None = None) -> Subject:
    """The topic or thread a manager opens a round on (refused to anyone else before anything is looked up)."""
    rounds.require_manage(user)
    if topic_id is not None:
        topic = db.session.get(Topic, topic_id)
        if topic is None:
            raise NotFound(_("There is no such topic."))
        return Subject(topic, None)
    thread = db.session.get(Thread, thread_id) if thread_id is not None else None
    if thread is None or not thread.is_public:
        raise NotFound(_("That thread does not exist, or it was removed."))
    return Subject(None, thread)


def closes_at(value: str) -> datetime | None:
    """The closing time typed in council time, stored in UTC; empty: no closing time."""
    text = value.strip()
    if not text:
        return None
    for form in (DATETIME_FORMAT, DATETIME_FORMAT + ":%S"):  # browsers send seconds when a step asks for them
        try:
            return to_utc(datetime.strptime(text, form))
        except ValueError:
            continue
    raise ValidationError(_("Enter a date and time, such as 2027-03-01T09:00."), "closes_at")


def seed_lines(value: str) -> list[str]:
    """The opening statements, one a line (blank lines skipped), each checked by the statement rule."""
    lines = [line for line in value.splitlines() if line.strip()]
    if len(lines) > rounds.SEEDS_MAX:  # before reading each line: a pasted book is refused at once
        raise ValidationError(_("A round can start with at most %(most)d statements.", most=rounds.SEEDS_MAX), "seeds")
    problems = []
    for number, line in enumerate(lines, 1):
        try:
            statements.clean_body(line, "seeds")
        except ServiceError as exc:
            problems.append(_("Line %(number)d: %(problem)s", number=number, problem=exc.message))
    if problems:
        raise ValidationError(" ".join(problems), "seeds")
    return lines


def _read(form: dict[str, str]) -> tuple[dict[str, object], dict[str, str]]:
    """The typed fields as the round service takes them, and every form-level problem at once."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {
        name: form.get(name, "") for name in ("question", "question_cy", "description", "description_cy")
    }
    values["allow_statements"] = form.get("allow_statements") == "1"
    for name, read in (("closes_at", closes_at), ("seeds", seed_lines)):
        try:
            values[name] = read(form.get(name, ""))
        except ServiceError as exc:
            errors[name] = exc.message
    if not str(values["question"]).strip():
        errors = {"question": _("Write the question the round asks.")} | errors
    return values, errors


def _raise(errors: dict[str, str], exc: ServiceError | None = None) -> None:
    if exc is not None:
        errors = {exc.field or "": exc.message} | errors
    if errors:
        raise FormInvalid({name: errors[name] for name in sorted(errors, key=_order)})


def _order(name: str) -> int:
    return FIELDS.index(name) if name in FIELDS else len(FIELDS)


def create(user: User, where: Subject, form: dict[str, str]) -> AgreementRound:
    """A new draft round from the create form (every problem in one FormInvalid)."""
    values, errors = _read(form)
    _raise(errors)
    seeds = values.pop("seeds")
    assert isinstance(seeds, list)
    try:
        return rounds.create_round(
            user,
            topic_id=where.topic.id if where.topic else None,
            thread_id=where.thread.id if where.thread else None,
            seed_statements=seeds,
            **values,
        )
    except (NotFound, FormInvalid):
        raise
    except ValidationError as exc:
        _raise({}, exc)
        raise


def update(user: User, round_: AgreementRound, form: dict[str, str]) -> AgreementRound:
    """The manage form's changes (the opening statements are not edited here: they may have votes)."""
    values, errors = _read(form | {"seeds": ""})
    _raise(errors)
    values.pop("seeds")
    try:
        return rounds.update_round(user, round_, **values)
    except ValidationError as exc:
        _raise({}, exc)
        raise


def typed(round_: AgreementRound) -> dict[str, str]:
    """A round's fields as the manage form shows them."""
    return {
        "question": round_.question,
        "question_cy": round_.question_cy,
        "description": round_.description,
        "description_cy": round_.description_cy,
        "allow_statements": "1" if round_.allow_statements else "",
        "closes_at": to_local(round_.closes_at).strftime(DATETIME_FORMAT) if round_.closes_at else "",
    }
