"""The web app (`digest serve`): editors' pages behind a login, public archive and sign-up,
one-click unsubscribe. Starlette, served by uvicorn; see `create_app`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from digest.config import Config
from digest.send.tokens import secret_for
from digest.store import Location, open_db
from digest.web import editors, hooks, public
from digest.web.limits import BodyLimit
from digest.web.security import SecurityHeaders, editors_from_env
from digest.web.site import Site

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SESSION_HOURS = 12


def create_app(config: Config, db_path: Location) -> Starlette:
    """The app over this configuration and database; ConfigError when the editors' login or
    $DIGEST_SECRET is not set in the environment (the app never runs without them)."""
    login = editors_from_env()
    secret_for(config, served=True)  # SecretMissing (exit 2): never the public development one
    site = Site(config, db_path, login)
    open_db(site.db_path).close()  # migrated before the first request, and reachable

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return site.page(request, "message.html", exc.status_code, title="Erreur", text=exc.detail)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(site.confirmations.close)

    web = config.web
    return Starlette(
        routes=[
            *public.routes(site),
            *editors.routes(site),
            *hooks.routes(site),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            # the client's address: the peer, or what a trusted proxy says it forwarded for
            Middleware(ProxyHeadersMiddleware, trusted_hosts=web.trusted_proxies),
            Middleware(SecurityHeaders),
            Middleware(
                BodyLimit,
                editor_limit=web.editor_body_kb * 1024,
                hooks_limit=config.hooks.max_bytes,
                timeout=web.body_timeout,
            ),
            Middleware(
                SessionMiddleware,
                secret_key=site.session_key.hex(),
                session_cookie="digest_session",
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
                https_only=config.web.secure_cookies,
            ),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
