"""The site's pages, one blueprint per audience."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from services.web.pages import cases, home, inbox, nominations, public, reviews
    from services.web.pages.common import pages

    for module in (home, nominations, reviews, inbox, cases, public):
        app.register_blueprint(module.bp)
    app.jinja_env.globals["pages"] = pages  # a global: the macros are imported without the context
