"""The web app (`digest serve`): editors' pages behind a login, public archive and sign-up,
one-click unsubscribe. Starlette, served by uvicorn; see `create_app`."""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from digest.config import Config
from digest.send.tokens import secret_for
from digest.store import Location, open_db
from digest.web import editors, hooks, public
from digest.web.security import SecurityHeaders, editors_from_env, session_key
from digest.web.site import Site

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SESSION_HOURS = 12


def create_app(config: Config, db_path: Location) -> Starlette:
    """The app over this configuration and database; ConfigError when the editors' login is not
    set in the environment (the editors' pages never run without one)."""
    site = Site(config, db_path, editors_from_env())
    secret_for(config)  # SecretMissing (exit 2) now rather than on the first unsubscribe
    open_db(site.db_path).close()  # migrated before the first request, and reachable

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return site.page(request, "message.html", exc.status_code, title="Erreur", text=exc.detail)

    return Starlette(
        routes=[
            *public.routes(site),
            *editors.routes(site),
            *hooks.routes(site),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=session_key(),
                session_cookie="digest_session",
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
                https_only=config.web.secure_cookies,
            ),
        ],
        exception_handlers={HTTPException: http_error},
    )
