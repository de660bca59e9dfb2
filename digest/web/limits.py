"""A cap on what a request may make the server read: its body's size (checked on the declared
Content-Length before anything is read, then on the bytes as they arrive, so a chunked or lying
client is cut too) and the silence allowed between two pieces of a body. Form parsing starts only
after this, so an unauthenticated POST costs at most the cap in memory."""

from __future__ import annotations

import asyncio

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_BODY = 64 * 1024  # sign-up, confirm, unsubscribe, login: a few fields at most
EDITOR_PREFIX = "/editor/"  # the login form posts here too, but its size check is the public one
LOGIN_PATH = "/editor/login"
HOOKS_PREFIX = "/hooks/"  # providers batch their events: their own cap, hooks.max_bytes


class Refused(Exception):
    """A body the app stops reading; this middleware answers it (no page: the caller is a bot
    or a broken client) and closes the connection."""

    status, text = 400, "Requête refusée."


class BodyTooLarge(Refused):
    status, text = 413, "Requête trop volumineuse."


class BodyTooSlow(Refused):
    status, text = 408, "Requête trop lente."


class BodyLimit:
    """413 for a body over the route's cap, 408 when a body stalls for `timeout` seconds."""

    def __init__(self, app: ASGIApp, editor_limit: int, hooks_limit: int, timeout: float) -> None:
        self.app, self.editor_limit, self.hooks_limit = app, editor_limit, hooks_limit
        self.timeout = timeout

    def limit_for(self, path: str) -> int:
        if path.startswith(HOOKS_PREFIX):
            return self.hooks_limit
        editors = path.startswith(EDITOR_PREFIX) and path != LOGIN_PATH
        return self.editor_limit if editors else PUBLIC_BODY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(BodyTooLarge(), scope, receive, send)
            return
        seen = 0
        complete = False

        async def capped() -> Message:
            nonlocal seen, complete
            if complete:  # after the body, receive() only waits for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except TimeoutError:
                raise BodyTooSlow() from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
                complete = not message.get("more_body", False)
            return message

        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped, watched_send)
        except Refused as e:
            if started:
                raise
            await _refuse(e, scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(error: Refused, scope: Scope, receive: Receive, send: Send) -> None:
    """A short answer, and the connection closed so that the unread body is never read."""
    response = PlainTextResponse(error.text, error.status, headers={"Connection": "close"})
    await response(scope, receive, send)
