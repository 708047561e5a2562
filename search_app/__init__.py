"""The baogao web site and JSON API: `create_app(config)` builds a Flask app over one index.

Nothing happens at import time; the index is opened lazily, once per process, by an
`EngineHolder` that notices when a rebuild swaps in a new generation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_TIME_LIMIT = 10.0
HERE = Path(__file__).resolve().parent


def _assets(name: str) -> Path:
    """`templates` or `static`: inside the package when installed from a wheel, else the
    repository's folder of that name beside the package."""
    packaged = HERE / name
    return packaged if packaged.is_dir() else HERE.parent / name


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The site (blueprint `views`) and the JSON API (blueprint `api`) over INDEX_DIR."""
    from flask import Flask

    app = Flask(
        __name__,
        template_folder=str(_assets("templates")),
        static_folder=str(_assets("static")),
        static_url_path="/static",
    )
    # TIME_LIMIT: seconds of engine work per request before a 503 (None: no limit);
    # WORKER: compute whole-corpus views in a separate process (search.worker), as serve does
    app.config.from_mapping(INDEX_DIR="index", JSON_AS_ASCII=False, TIME_LIMIT=DEFAULT_TIME_LIMIT)
    if config:
        app.config.update(config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    init_app(app)
    return app


def init_app(app: Flask) -> None:
    from search.holder import EngineHolder
    from search_app import (
        api,
        bulk,
        dispersion,
        feed,
        handlers,
        keywords,
        kwic,
        lineage,
        panel,
        security,
        studies,
        studies_api,
        views,
    )

    app.extensions["baogao.engine"] = EngineHolder(app.config["INDEX_DIR"])
    if app.config.get("WORKER"):
        from search.worker import Worker

        app.extensions["baogao.worker"] = Worker(app.config["INDEX_DIR"])
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feed.bp)
    app.register_blueprint(kwic.bp)
    app.register_blueprint(studies.bp)
    app.register_blueprint(studies_api.bp)
    app.register_blueprint(keywords.bp)
    app.register_blueprint(dispersion.bp)
    app.register_blueprint(panel.bp)
    app.register_blueprint(bulk.bp)
    app.register_blueprint(lineage.bp)
    security.init_app(app)
    handlers.init_app(app)
    app.jinja_env.globals.update(views.template_globals())
    app.jinja_env.globals.update(studies.template_globals())


def get_engine():
    """The engine of the current index generation (opened on first use)."""
    from flask import current_app

    return current_app.extensions["baogao.engine"].get()


def get_worker():
    """The process that computes whole-corpus views (collocations, sorted concordances), config
    WORKER; None: they are computed in the request's thread."""
    from flask import current_app

    return current_app.extensions.get("baogao.worker")
