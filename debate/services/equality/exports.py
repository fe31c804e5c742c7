"""A report as CSV or JSON, written from the suppressed `Report` only: a hidden cell is "fewer than 10" in both."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask_babel import gettext as _

from debate.services.equality.reports import Cell, Report


def _value(value: float | int | None, suppressed: bool, report: Report) -> str | float | int | None:
    if suppressed:
        return fewer_than(report)
    return value


def fewer_than(report: Report) -> str:
    return _("fewer than %(n)s", n=report.threshold)


def _cell(cell: Cell, report: Report) -> dict[str, Any]:
    return {
        "key": cell.key,
        "label": cell.label,
        "count": _value(cell.count, cell.suppressed, report),
        "percent": _value(cell.share, cell.suppressed, report),
        "census_percent": cell.census,
    }


def as_dict(report: Report) -> dict[str, Any]:
    if report.suppressed:
        return {"participants": fewer_than(report), "threshold": report.threshold, "questions": []}
    return {
        "participants": report.participants,
        "threshold": report.threshold,
        "questions": [
            {
                "key": question.key,
                "question": question.label,
                "categories": [_cell(c, report) for c in question.categories],
                "answered": _cell(question.answered, report),
                "prefer_not_to_say": _cell(question.prefer_not, report),
                "not_answered": _cell(question.not_answered, report),
                "census_source": (
                    {"source": question.census_source[0], "year": question.census_source[1]}
                    if question.census_source
                    else None
                ),
            }
            for question in report.questions
        ],
    }


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "category", "participants", "percent", "census_percent"])
    if report.suppressed:
        writer.writerow(["", _("All participants"), fewer_than(report), "", ""])
        return out.getvalue()
    writer.writerow(["", _("All participants"), report.participants, "", ""])
    for question in report.questions:
        for cell in [*question.categories, question.answered, question.prefer_not, question.not_answered]:
            row = _cell(cell, report)
            writer.writerow(
                [question.key, cell.label, row["count"], row["percent"], "" if cell.census is None else cell.census]
            )
    return out.getvalue()
