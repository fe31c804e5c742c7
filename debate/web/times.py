"""The Jinja filters that show times, all from debate/services/council_time.py (one format everywhere).

`when`: the text, "Thu 3 Dec 2026, 19:00 GMT". `time_tag`: that text in <time datetime="...Z">, what pages
use. `day`: a date, "Thu 3 Dec 2026" (a stored time becomes its council-local date). `minutes`: a duration,
"12.5 minutes" (a fraction takes the plural CLDR gives it, in every language).
"""

from __future__ import annotations

from flask import Flask

from debate.services import council_time


def init_app(app: Flask) -> None:
    app.add_template_filter(council_time.shown, "when")
    app.add_template_filter(council_time.time_tag, "time_tag")
    app.add_template_filter(council_time.shown_date, "day")
    app.add_template_filter(council_time.minutes, "minutes")
