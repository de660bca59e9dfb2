"""How `digest serve` runs the app under uvicorn: forwarded headers left to the app (which trusts
only `web.trusted_proxies`), a connection limit, a cap on a request head's size, and a deadline
for sending that head, which uvicorn lacks (its keep-alive timer restarts on every byte, so a
client trickling a header one byte at a time would hold its connection for ever)."""

from __future__ import annotations

import asyncio
import logging

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from digest.config import Config

log = logging.getLogger(__name__)
MAX_HEAD_BYTES = 16 * 1024  # request line and headers together
KEEP_ALIVE = 5  # seconds an idle connection is kept between requests


class HeadDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request head is not complete
    `header_timeout` seconds after the connection opened or the previous response ended."""

    header_timeout = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the head is in: the app's body timeout takes over

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            log.warning("connection closed reason=slow_request_head client=%s", self.client)
            self.transport.close()


def protocol(header_timeout: float) -> type[HeadDeadline]:
    """The protocol class with this deadline (uvicorn makes one instance per connection)."""
    return type("HeadDeadline", (HeadDeadline,), {"header_timeout": header_timeout})


def server_config(app: ASGIApp, config: Config, host: str, port: int) -> uvicorn.Config:
    web = config.web
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=protocol(web.header_timeout),
        proxy_headers=False,  # the app reads X-Forwarded-For, from trusted proxies only
        server_header=False,
        limit_concurrency=web.max_connections,
        timeout_keep_alive=KEEP_ALIVE,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
    )


def serve(app: ASGIApp, config: Config, host: str, port: int) -> None:
    uvicorn.Server(server_config(app, config, host, port)).run()
