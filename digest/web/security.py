"""What keeps the web app safe: editors' credentials, the session key, CSRF tokens, security
headers on every response and a per-address token bucket for forms anyone can post."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import FormData, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest.config import ConfigError
from digest.send.tokens import MIN_SECRET_LENGTH, SECRET_ENV

USER_ENV = "DIGEST_EDITOR_USER"
PASSWORD_ENV = "DIGEST_EDITOR_PASSWORD"
MIN_PASSWORD_LENGTH = 10
CSRF_FIELD = "csrf"
# The preview shows the email in sandboxed srcdoc iframes: they inherit this policy, so the
# email's inline styles are allowed, its scripts never (no script-src, sandbox without scripts).
CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


@dataclass(frozen=True)
class Editors:
    """The bootstrap editor's login, from the environment (other accounts: accounts.py)."""

    user: str
    password: str

    def check(self, user: str, password: str) -> bool:
        """Both compared in constant time, both always compared."""
        same_user = hmac.compare_digest(user.encode(), self.user.encode())
        same_password = hmac.compare_digest(password.encode(), self.password.encode())
        return same_user and same_password


def editors_from_env() -> Editors:
    """$DIGEST_EDITOR_USER and $DIGEST_EDITOR_PASSWORD, or a ConfigError saying what to set."""
    user = os.environ.get(USER_ENV, "").strip()
    password = os.environ.get(PASSWORD_ENV, "")
    if not user or not password:
        raise ConfigError(
            f"the editors' pages need a login: set ${USER_ENV} and ${PASSWORD_ENV} "
            f"(e.g. `export {PASSWORD_ENV}=$(openssl rand -base64 18)`) and start again"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ConfigError(
            f"${PASSWORD_ENV} is {len(password)} characters long; use at least "
            f"{MIN_PASSWORD_LENGTH}"
        )
    return Editors(user, password)


def session_key() -> bytes:
    """Derived from $DIGEST_SECRET (required by the web app), so sessions survive a restart."""
    secret = os.environ.get(SECRET_ENV, "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"${SECRET_ENV} must be set (at least {MIN_SECRET_LENGTH} characters)")
    return hmac.new(secret.encode(), b"digest web session", hashlib.sha256).digest()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; every form carries it."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's; 403 otherwise."""
    form = await request.form(max_files=0, max_fields=200)
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if not (isinstance(sent, str) and isinstance(expected, str) and expected):
        raise HTTPException(403, "Formulaire expiré : rechargez la page et recommencez.")
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, "Formulaire expiré : rechargez la page et recommencez.")
    return form


class RateLimit:
    """A token bucket per client address: `burst` requests at once, then one every `every` s."""

    def __init__(
        self,
        burst: int,
        every: float,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.burst, self.every, self.clock, self.max_clients = burst, every, clock, max_clients
        self.buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        with self.lock:
            moment = self.clock()
            tokens, when = self.buckets.get(client, (float(self.burst), moment))
            tokens = min(float(self.burst), tokens + (moment - when) / self.every)
            allowed = tokens >= 1
            self.buckets[client] = (tokens - 1 if allowed else tokens, moment)
            if len(self.buckets) > self.max_clients:
                self._forget_full(moment)
            return allowed

    def peek(self, client: str) -> bool:
        """Whether `allow` would let this client through now, without taking a token."""
        with self.lock:
            tokens, when = self.buckets.get(client, (float(self.burst), self.clock()))
            return min(float(self.burst), tokens + (self.clock() - when) / self.every) >= 1

    def forget(self, client: str) -> None:
        with self.lock:
            self.buckets.pop(client, None)

    def _forget_full(self, moment: float) -> None:
        """Drop the clients whose bucket has refilled: they are as good as new."""
        full = self.burst * self.every
        self.buckets = {k: v for k, v in self.buckets.items() if moment - v[1] < full}


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class SecurityHeaders:
    """Adds the security headers to every response; editors' pages are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith("/editor")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
