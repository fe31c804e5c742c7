"""Input the app reads before any view runs: ids in URLs and JSON bodies, within debate/bounds.py."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter, Map

from debate import bounds
from debate.errors import ValidationError


class DatabaseId(IntegerConverter):
    """Every route's `<int:...>`: a number an id column can hold (0 to bounds.INT_MAX), else no match, a 404.

    Werkzeug's converter takes any number of digits, and a path such as /threads/99999999999999999999
    reached the database as a query it could not run (a 500). The digit count is bounded in the pattern
    too: a number refused only by `to_python` still matches the path of a rule for another method, which
    Werkzeug answers 405 (DELETE on a thread's path that GET also has), not 404.
    """

    regex = rf"\d{{1,{len(str(bounds.INT_MAX))}}}"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int = 0, max: int = bounds.INT_MAX) -> None:
        super().__init__(map, fixed_digits, min, max)


class BoundedJSON(DefaultJSONProvider):
    """Flask's JSON, refusing a body nested past bounds.MAX_DEPTH with a clear 400 instead of a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return bounds.loads(s, **kwargs)
        except bounds.TooDeep as exc:
            raise ValidationError(str(exc)) from None


def init_app(app: Flask) -> None:
    """Before any blueprint: rules take their converters from the map when they are added."""
    app.url_map.converters["int"] = DatabaseId
    app.json = BoundedJSON(app)
