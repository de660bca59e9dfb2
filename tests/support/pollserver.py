"""A real HTTP server on 127.0.0.1 (free port) for the poll tests: feeds that behave well and
feeds that misbehave (slow, trickling, huge, gzip bomb, redirecting, gone, rate-limited...)."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

Handler = Callable[[BaseHTTPRequestHandler], None]


def rss(
    items: list[dict[str, str]],
    title: str = "Test feed",
    ttl: int | None = None,
    language: str | None = None,
) -> bytes:
    """An RSS 2.0 document; each item dict may have title, link, guid, description, pubDate."""
    parts = [f"<title>{escape(title)}</title><link>https://example.org/</link>"]
    if ttl is not None:
        parts.append(f"<ttl>{ttl}</ttl>")
    if language is not None:
        parts.append(f"<language>{escape(language)}</language>")
    for it in items:
        fields = "".join(
            f"<{k}>{escape(v)}</{k}>"
            for k, v in it.items()
            if k in ("title", "link", "guid", "description", "pubDate")
        )
        parts.append(f"<item>{fields}</item>")
    body = "".join(parts)
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
    return f"{head}<channel>{body}</channel></rss>".encode()


def simple_feed(prefix: str, n: int = 3) -> bytes:
    return rss(
        [
            {
                "title": f"{prefix} item {i}",
                "link": f"https://example.org/{prefix}/{i}",
                "guid": f"{prefix}-{i}",
                "description": f"<p>Body of {prefix} item {i}.</p>",
                "pubDate": "Mon, 15 Jan 2024 10:00:00 GMT",
            }
            for i in range(n)
        ]
    )


class FeedServer:
    """Routes are path → handler; every request is logged as (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(
                        (self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    route = server.routes.get(self.path.split("?")[0])
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.active -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(
    h: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    h.send_response(status)
    headers = {"Content-Type": "application/rss+xml; charset=utf-8", **(headers or {})}
    for k, v in headers.items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def conditional(body: bytes, etag: str | None, modified: str | None) -> Handler:
    """200 with validators, 304 when the request sends them back."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        if (etag and h.headers.get("If-None-Match") == etag) or (
            modified and not etag and h.headers.get("If-Modified-Since") == modified
        ):
            h.send_response(304)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        headers = {}
        if etag:
            headers["ETag"] = etag
        if modified:
            headers["Last-Modified"] = modified
        send(h, 200, body, headers)

    return handle


def fixed(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    return lambda h: send(h, status, body, headers)


def redirect(status: int, to: str) -> Handler:
    return lambda h: send(h, status, b"", {"Location": to})


def slow(seconds: float, body: bytes) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        send(h, 200, body)

    return handle


def trickle(every: float, count: int) -> Handler:
    """Headers at once, then one byte every `every` seconds: every read succeeds, slowly."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(count))
        h.end_headers()
        for _ in range(count):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(every)

    return handle


def endless(chunk: int = 65536) -> Handler:
    """A body with no Content-Length that never ends (until the client hangs up)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        block = b"<!-- padding -->" * (chunk // 16)
        h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        for _ in range(100_000):
            h.wfile.write(block)

    return handle


def gzip_bomb(mib: int) -> bytes:
    """An RSS feed padded with mib MiB of spaces, gzipped (about 1000:1)."""
    z = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title>'
    head += b"<item><title>x</title><description>"
    out = [z.compress(head)]
    block = b" " * 1048576
    for _ in range(mib):
        out.append(z.compress(block))
    out.append(z.compress(b"</description></item></channel></rss>"))
    out.append(z.flush())
    return b"".join(out)


def gzipped(body: bytes) -> Handler:
    return fixed(200, gzip.compress(body), {"Content-Encoding": "gzip"})


def http_date(delta: timedelta) -> str:
    return format_datetime(datetime.now(UTC) + delta, usegmt=True)
