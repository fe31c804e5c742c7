"""The area's census profile: per question, each category's share of residents, entered by an admin.

Entered on /admin/census one question at a time (the shares must add up to 100, give or take
`TOLERANCE` for rounding) or loaded from a CSV (`CSV_HEADER`; see docs/consultation.md). Loading replaces the
questions the file covers and leaves the others as they were.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select

from debate.errors import PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.equality import CensusShare
from debate.permissions import Permission, has
from debate.services.equality import questions as q

TOLERANCE = 1.5  # percentage points either side of 100: published tables are rounded
SOURCE_MAX = 200
CSV_MAX_BYTES = 200_000
CSV_HEADER = ("question", "category", "percent", "source", "year")
YEARS = range(1991, 2100)


@dataclass(frozen=True)
class Profile:
    shares: dict[str, dict[str, float]]  # question -> category -> per cent of residents
    sources: dict[str, tuple[str, int]]  # question -> (source, year)

    def share(self, question: str, category: str) -> float | None:
        return self.shares.get(question, {}).get(category)


def profile() -> Profile:
    shares: dict[str, dict[str, float]] = {}
    sources: dict[str, tuple[str, int]] = {}
    for row in db.session.scalars(select(CensusShare).order_by(CensusShare.question, CensusShare.id)):
        shares.setdefault(row.question, {})[row.category] = row.percent
        sources[row.question] = (row.source, row.year)
    return Profile(shares, sources)


def require_admin(user: User) -> None:
    if not has(user, Permission.MANAGE_TOPICS):
        raise PermissionDenied(_("Only admins can change the census profile."))


def for_admin(user: User) -> Profile:
    """The profile as the admin form shows it."""
    require_admin(user)
    return profile()


def _percent(raw: str, field: str) -> float | None:
    text = (raw or "").strip().replace("%", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(_("Enter each share as a number from 0 to 100."), field) from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise ValidationError(_("Enter each share as a number from 0 to 100."), field)
    return value


def _year(raw: str, field: str) -> int:
    text = (raw or "").strip()
    if not text.isdigit() or int(text) not in YEARS:
        raise ValidationError(_("Enter the year the figures are from, such as 2021."), field)
    return int(text)


def _source(raw: str, field: str) -> str:
    text = " ".join((raw or "").split())
    if not text or len(text) > SOURCE_MAX:
        raise ValidationError(
            _("Say where the figures come from, in at most %(max)s characters.", max=SOURCE_MAX), field
        )
    return text


def _check_total(question: q.Question, shares: dict[str, float]) -> None:
    total = sum(shares.values())
    if shares and abs(total - 100) > TOLERANCE:
        raise ValidationError(
            _(
                "The shares for “%(question)s” add up to %(total)s%%: "
                "they must add up to 100%% (give or take %(tolerance)s).",
                question=question.label,
                total=round(total, 1),
                tolerance=TOLERANCE,
            ),
            question.key,
        )


def _category_ok(question: q.Question, category: str) -> bool:
    if question.kind == "district":
        return q.clean_district(category) == category
    return category in {o.value for o in question.options}


def _replace(question_key: str, shares: dict[str, float], source: str, year: int) -> None:
    db.session.execute(delete(CensusShare).where(CensusShare.question == question_key))
    for category, percent in shares.items():
        db.session.add(CensusShare(question=question_key, category=category, percent=percent, source=source, year=year))


def save_question(user: User, question_key: str, form: Mapping[str, str]) -> int:
    """One question's shares from the admin form (a field per category, `share-<category>`); blank shares are
    left out; all blank clears the question. Returns the number of categories stored."""
    require_admin(user)
    question = q.question(question_key)
    if question is None or question.open_ended:
        raise ValidationError(_("Choose a question from the list."))
    shares = {}
    for option in question.options:
        value = _percent(form.get(f"share-{option.value}", ""), f"share-{question.key}-{option.value}")
        if value is not None:
            shares[option.value] = value
    source, year = ("", 0)
    if shares:
        source = _source(form.get("source", ""), f"source-{question.key}")
        year = _year(form.get("year", ""), f"year-{question.key}")
        _check_total(question, shares)
    _replace(question.key, shares, source, year)
    db.session.commit()
    return len(shares)


def load_csv(user: User, data: bytes) -> int:
    """Every row of a census CSV (`CSV_HEADER`), checked as a whole before anything is stored. Returns rows stored.

    Districts need not add up to 100 (a profile may list only the area's own districts); every other question does.
    """
    require_admin(user)
    if not data:
        raise ValidationError(_("Choose a CSV file to upload."), "file")
    if len(data) > CSV_MAX_BYTES:
        raise ValidationError(_("That file is too large for a census profile."), "file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file must be a CSV saved as UTF-8."), "file") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(c.strip().lower() for c in rows[0]) != CSV_HEADER:
        raise ValidationError(
            _("The first line must be the column names: %(header)s.", header=",".join(CSV_HEADER)), "file"
        )
    parsed: dict[str, dict[str, float]] = {}
    origin: dict[str, tuple[str, int]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_HEADER):
            raise ValidationError(_("Line %(line)s does not have 5 columns.", line=number), "file")
        key, category, percent, source, year = (cell.strip() for cell in row)
        question = q.question(key)
        if question is None or not _category_ok(question, category):
            raise ValidationError(
                _(
                    "Line %(line)s: “%(question)s, %(category)s” is not a question and answer we ask.",
                    line=number,
                    question=key[:40],
                    category=category[:60],
                ),
                "file",
            )
        value = _percent(percent, "file")
        if value is None:
            raise ValidationError(_("Line %(line)s has no share.", line=number), "file")
        if category in parsed.get(key, {}):
            raise ValidationError(_("Line %(line)s repeats a category.", line=number), "file")
        parsed.setdefault(key, {})[category] = value
        origin[key] = (_source(source, "file"), _year(year, "file"))
    if not parsed:
        raise ValidationError(_("The file has no rows of figures."), "file")
    for key, shares in parsed.items():
        question = q.BY_KEY[key]
        if not question.open_ended:
            _check_total(question, shares)
    for key, shares in parsed.items():
        _replace(key, shares, *origin[key])
    db.session.commit()
    return sum(len(s) for s in parsed.values())
