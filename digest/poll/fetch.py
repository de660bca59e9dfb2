"""Get the bytes of a feed: httpx for http(s), the disk for file://; every limit enforced here.

Conditional GET (ETag and Last-Modified sent back verbatim), a clear User-Agent, connect and
read timeouts plus a deadline for the whole download (a server trickling one byte a second
is cut), a body cap enforced while streaming and again after decompression (a gzip bomb stops
at the cap, never in memory), redirects followed by hand so that a 301/308 chain is recorded
as the feed's new address, and a target that is not http(s) refused. The first address and every
redirect are resolved first: one that reaches a loopback, private, link-local, multicast or
reserved address is refused (no request made) unless `polling.allow_private_addresses`.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import os
import socket
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from digest.config import Polling

MAX_REDIRECTS = 5
MAX_HINT = timedelta(days=366)  # a server's freshness or retry delay is believed up to a year
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


@dataclass
class Fetched:
    """What one request gave: a body to parse, a status to act on, or an error to record."""

    status: int = 0  # the HTTP status; 200 for a file read; 0 when nothing answered
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    url: str = ""  # the address that finally answered
    moved_to: str | None = None  # new address announced by 301/308 from the first request on
    error: str | None = None


class BodyRefused(Exception):
    """The body cannot be taken: over the cap (raw or decompressed), or an encoding we refuse."""


def mib(n: int) -> str:
    return f"{n / 1048576:g} MiB"


def make_client(polling: Polling) -> httpx.AsyncClient:
    """One client per poll run: shared connections, our User-Agent, no automatic redirects."""
    timeout = httpx.Timeout(
        connect=polling.connect_timeout,
        read=polling.read_timeout,
        write=polling.read_timeout,
        pool=None,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=False,
        headers={
            "User-Agent": polling.user_agent,
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
        limits=httpx.Limits(max_connections=polling.max_concurrency, max_keepalive_connections=32),
        trust_env=True,  # HTTP(S)_PROXY, NO_PROXY and SSL_CERT_FILE from the environment
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    polling: Polling,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET url with conditional headers; never raises for network trouble (see .error)."""
    try:
        async with asyncio.timeout(polling.total_timeout):
            return await _fetch(client, url, polling, etag, last_modified)
    except TimeoutError:
        return Fetched(
            url=url, error=f"gave up after {polling.total_timeout:g} s (download too slow)"
        )
    except httpx.ConnectTimeout:
        return Fetched(url=url, error=f"connection timed out after {polling.connect_timeout:g} s")
    except httpx.ReadTimeout:
        return Fetched(url=url, error=f"no data for {polling.read_timeout:g} s (read timeout)")
    except httpx.ConnectError as e:
        return Fetched(url=url, error=f"cannot connect to {urlsplit(url).netloc}: {_reason(e)}")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as e:
        return Fetched(url=url, error=f"not a usable URL: {e}")
    except httpx.HTTPError as e:
        return Fetched(url=url, error=f"{type(e).__name__}: {_reason(e)}")
    except BodyRefused as e:
        return Fetched(url=url, error=str(e))


def _reason(e: Exception) -> str:
    """The deepest cause a person understands: "Connection refused", "Name or service not known"."""
    text = str(e) or type(e).__name__
    cause: BaseException | None = e
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"{cause.strerror} (DNS lookup failed)"
        if isinstance(cause, OSError) and cause.errno and cause.errno > 0:
            return os.strerror(cause.errno)
        cause = cause.__cause__ or cause.__context__
    return text.split("] ", 1)[-1][:300]


async def _fetch(
    client: httpx.AsyncClient, url: str, polling: Polling, etag: str | None, modified: str | None
) -> Fetched:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    moved: str | None = None
    permanent = True
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        refused = None if polling.allow_private_addresses else await private_target(current)
        if refused:
            what = "redirect to " if hop else ""
            return Fetched(url=current, error=f"{what}{refused}: refused")
        async with client.stream("GET", current, headers=headers) as r:
            found = {k.lower(): v for k, v in r.headers.items()}
            if r.status_code in _REDIRECTS and "location" in found:
                await _drain(r)
                target = urljoin(current, found["location"].strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    return Fetched(
                        r.status_code,
                        url=current,
                        error=f"redirect to a non-http address {target!r} refused",
                    )
                permanent = permanent and r.status_code in _PERMANENT
                if permanent:
                    moved = target
                current = target
                continue
            if r.status_code == 200:
                body = await read_body(r, polling.max_bytes)
            else:
                body = b""
                await _drain(r)
            return Fetched(
                r.status_code,
                body,
                found,
                current,
                moved if moved and moved != url else None,
            )
    return Fetched(url=current, moved_to=moved, error=f"more than {MAX_REDIRECTS} redirects")


def _not_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
    )


async def private_target(url: str) -> str | None:
    """Why `url` must not be fetched: its host resolves to a loopback, private, link-local,
    multicast or reserved address (2130706433 and 0x7f.1 included); None when it may be."""
    host = urlsplit(url).hostname
    if not host:
        return None  # httpx refuses it with its own message
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None  # the request fails with its DNS error
    for *_, sockaddr in found:
        if _not_public(str(sockaddr[0])):
            return f"{url} resolves to {sockaddr[0]}, a loopback, private or reserved address"
    return None


async def _drain(response: httpx.Response, limit: int = 65536) -> None:
    """Read a small leftover body (304, redirect, error page) so the connection can be reused."""
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > limit:
            return  # a large error page: closing the connection is cheaper


async def read_body(response: httpx.Response, cap: int) -> bytes:
    """The decoded body, refused as soon as the bytes received or decompressed pass cap."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise BodyRefused(f"body of {int(length)} bytes is larger than the {mib(cap)} cap")
    inflater = Inflater.for_encoding(response.headers.get("content-encoding", ""))
    received, out = 0, bytearray()
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > cap:
            raise BodyRefused(f"body larger than the {mib(cap)} cap")
        out += inflater.feed(chunk, cap - len(out)) if inflater else chunk
        if len(out) > cap:
            raise BodyRefused(
                f"decompressed body larger than the {mib(cap)} cap (compression bomb?)"
            )
    return bytes(out)


class Inflater:
    """Streaming gzip/deflate that never produces more than asked (zlib's max_length)."""

    def __init__(self, wbits: int) -> None:
        self.wbits = wbits
        self.z = zlib.decompressobj(wbits)
        self.started = False

    @classmethod
    def for_encoding(cls, encoding: str) -> Inflater | None:
        names = [e.strip().lower() for e in encoding.split(",") if e.strip()]
        names = [n for n in names if n != "identity"]
        if not names:
            return None
        if names in (["gzip"], ["x-gzip"]):
            return cls(zlib.MAX_WBITS | 16)
        if names == ["deflate"]:
            return cls(zlib.MAX_WBITS)
        raise BodyRefused(f"content encoding {encoding!r} is not supported (gzip and deflate are)")

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Inflate chunk; at most room + 1 bytes come out, so the caller sees the overflow."""
        try:
            out = self.z.decompress(chunk, room + 1)
        except zlib.error:
            if self.started or self.wbits != zlib.MAX_WBITS:
                raise BodyRefused("the compressed body is corrupt") from None
            self.wbits = -zlib.MAX_WBITS  # "deflate" sent raw, without the zlib header
            self.z = zlib.decompressobj(self.wbits)
            out = self.z.decompress(chunk, room + 1)
        self.started = True
        return out


def read_file(url: str, cap: int) -> Fetched:
    """A file:// feed: same cap, no conditional GET; errors name the path."""
    path = Path(url2pathname(unquote(urlsplit(url).path)))
    try:
        size = path.stat().st_size
        if size > cap:
            return Fetched(url=url, error=f"{path}: {size} bytes is larger than the {mib(cap)} cap")
        with path.open("rb") as f:
            body = f.read(cap + 1)
    except FileNotFoundError:
        return Fetched(url=url, error=f"{path}: no such file")
    except OSError as e:
        return Fetched(url=url, error=f"{path}: cannot read it ({e.strerror or e})")
    return Fetched(200, body, {}, url)


def delay_seconds(value: str) -> timedelta | None:
    """A delay in seconds as HTTP writes it (ASCII digits only), at most MAX_HINT; else None."""
    text = value.strip().strip('"')
    if not text or not text.isascii() or not text.isdigit():
        return None  # "1e14", "²", "-5": not a delay-seconds
    if len(text) > 9:  # more than 31 years whatever the digits
        return MAX_HINT
    return min(timedelta(seconds=int(text)), MAX_HINT)


def _http_date(value: str) -> datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def retry_after(headers: dict[str, str], moment: datetime) -> datetime | None:
    """Retry-After as seconds or an HTTP date, at most MAX_HINT away; None when unreadable."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    delay = delay_seconds(value)
    if delay is not None:
        return moment + delay
    when = _http_date(value)
    return None if when is None else min(when, moment + MAX_HINT)


def cache_lifetime(headers: dict[str, str], moment: datetime) -> timedelta | None:
    """How long the server says the response stays fresh: Cache-Control max-age, else Expires
    (at most MAX_HINT either way)."""
    control = headers.get("cache-control", "").lower()
    for part in control.split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age" and (lifetime := delay_seconds(value)) is not None:
            return lifetime
    expires = headers.get("expires", "").strip()
    if expires:
        when = _http_date(expires)
        if when is None:
            return None
        return min(max(when - moment, timedelta(0)), MAX_HINT)
    return None
