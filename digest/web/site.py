"""What every page handler shares: the configuration, a database connection per worker thread,
the page templates (autoescaped) and the session's flash message."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from digest.config import Config
from digest.edition import dates
from digest.edition.view import safe_url
from digest.store import Database, Location, open_db
from digest.web.logins import LoginGuard
from digest.web.security import Editors, RateLimit, csrf_token, session_key
from digest.web.signup import Confirmations

T = TypeVar("T")
TEMPLATES = Path(__file__).parent / "templates"


class Site:
    def __init__(self, config: Config, db_path: Location, editors: Editors) -> None:
        self.config = config
        self.db_path = db_path
        self.editors = editors
        self.out_dir = config.resolve(config.out_dir)
        self.session_key = session_key()
        self.logins = LoginGuard(self.session_key)
        self.subscribe_limit = RateLimit(burst=5, every=60)  # per client
        self.mails_to = RateLimit(burst=3, every=4 * 3600)  # confirmations per target address
        self.link_limit = RateLimit(burst=30, every=1)  # confirm/unsubscribe POSTs per client
        self.confirmations = Confirmations(config, db_path)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["safe_url"] = safe_url
        self.env.filters["local"] = self.local_time
        tz = config.newsletter.timezone
        self.env.filters["day"] = lambda moment: dates.day(moment, tz)  # « 7 décembre 2026 »
        self.env.filters["when"] = lambda moment: dates.when(moment, tz)
        self.env.filters["address"] = lambda sender: parseaddr(sender)[1]
        self._local = threading.local()

    def local_time(self, moment: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
        """A stored (UTC) time as the newsletter's time zone shows it."""
        if moment is None:
            return ""
        return moment.astimezone(ZoneInfo(self.config.newsletter.timezone)).strftime(fmt)

    def db(self) -> Database:
        """This thread's connection (handlers run their database work in a thread pool)."""
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = self._local.db = open_db(self.db_path)
        return conn

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run fn(db, *args) in the thread pool, off the event loop."""
        return await run_in_threadpool(lambda: fn(self.db(), *args, **kwargs))

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        flash = request.session.pop("flash", None)
        html = self.env.get_template(name).render(
            request=request,
            csrf=_LazyToken(request),
            editor=request.session.get("editor"),
            news=self.config.newsletter,
            flash=flash,
            **context,
        )
        return HTMLResponse(html, status_code=status)


class _LazyToken:
    """The CSRF token, made (and the session cookie set) only on pages that show a form."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A message shown once, on the next page."""
    request.session["flash"] = {"kind": kind, "text": text}


def back(url: str) -> RedirectResponse:
    """After a POST: see the result with a GET."""
    return RedirectResponse(url, status_code=303)
