"""16.14: slow-loris. Connections that send their request head one byte at a time are closed
once `web.header_timeout` has passed, and the server answers normal requests again."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from tests.security.server import digest_serve

SLOW = 300  # connections the attacker holds open (the issue used 1 000; the point is the same)
HEADER_TIMEOUT = 2.0


def _closed_by_server(conn: socket.socket) -> bool:
    try:
        conn.send(b"a")
        return conn.recv(1024, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:  # reset or broken pipe: closed
        return True


def test_slow_request_heads_are_cut_and_the_server_stays_available(tmp_path: Path) -> None:
    web = {"header_timeout": HEADER_TIMEOUT, "max_connections": 100}
    with digest_serve(tmp_path, web) as served:
        started = time.monotonic()
        slow = []
        for _ in range(SLOW):
            conn = socket.create_connection(("127.0.0.1", served.port), timeout=5)
            conn.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(conn)
        open_ = list(slow)
        while open_ and time.monotonic() - started < HEADER_TIMEOUT + 20:
            time.sleep(0.5)  # one byte every half second on each: never a whole header
            open_ = [c for c in open_ if not _closed_by_server(c)]
        held = time.monotonic() - started
        for conn in slow:
            conn.close()
        assert not open_, f"{len(open_)} slow connections still open after {held:.0f} s"
        assert held < HEADER_TIMEOUT + 15
        assert httpx.get(f"{served.url}/healthz", timeout=10).status_code == 200


def test_a_head_that_never_ends_is_not_buffered_beyond_the_cap(tmp_path: Path) -> None:
    with digest_serve(tmp_path) as served:
        conn = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        conn.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        try:
            for _ in range(40):
                conn.send(b"X-Big: " + b"a" * 1000 + b"\r\n")
                time.sleep(0.01)
        except OSError:
            pass  # cut while still sending: fine too
        answer = conn.recv(1024)
        conn.close()
        assert answer.startswith(b"HTTP/1.1 400"), answer
