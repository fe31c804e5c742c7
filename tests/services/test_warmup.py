"""A server process compiles its templates and loads its languages before it listens (debate/warmup.py)."""

from __future__ import annotations

from debate import warmup


def test_every_page_template_is_compiled_before_the_first_visitor(app):
    env = app.jinja_env
    env.cache.clear()
    compiled = warmup.warm(app)
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    assert compiled == len(names) > 50
    assert "live/_live_macros.html" in names
    cached = {key[1] for key in env.cache.keys()}  # (loader ref, name) pairs, filled by the compile
    assert set(names) <= cached
