"""16.6: unauthenticated POSTs cannot make the server hold their bodies. Large multipart bodies
(declared or chunked) on every form are answered 413 before the form is parsed, quickly, and
the server's peak memory stays flat; confirm and unsubscribe POSTs are limited per client."""

from __future__ import annotations

import select
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.security.server import digest_serve

MB = 1024 * 1024
FIELDS = 8  # of 1 MB each: an 8 MB form per request
BOUNDARY = "x-digest-attack"
TARGETS = [
    "/subscribe",
    "/confirm/1.abcdef",
    "/unsubscribe/1.abcdef",
    "/editor/login",
    "/editor/editions/2024-01-01-n1/approve",  # an editor's form: its own, larger cap (1 MB)
]

# Without a declared length, these answer before reading the body (a bad link; no session).
UNREAD = {
    "/unsubscribe/1.abcdef": b"HTTP/1.1 400 Bad Request",
    "/editor/editions/2024-01-01-n1/approve": b"HTTP/1.1 401 Unauthorized",
}


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _part(i: int) -> bytes:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n'.encode()
    return head + b"a" * MB + b"\r\n"


def attack(port: int, path: str, chunked: bool) -> tuple[bytes, float]:
    """POST an 8 MB multipart form; the status line and the seconds until it came."""
    body_size = FIELDS * len(_part(0)) + len(f"--{BOUNDARY}--\r\n")
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {body_size}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{framing}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        conn.sendall(head)
        for i in range(FIELDS):
            part = _part(i)
            for start in range(0, len(part), 64 * 1024):
                if select.select([conn], [], [], 0)[0]:
                    break  # the answer came: stop sending, as a real client would
                piece = part[start : start + 64 * 1024]
                try:
                    conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                except OSError:
                    break
        answer = conn.recv(64)
    finally:
        conn.close()
    return answer.split(b"\r\n")[0], time.monotonic() - started


def test_large_bodies_are_refused_early_and_memory_stays_flat(tmp_path: Path) -> None:
    with digest_serve(tmp_path) as served:
        httpx.get(f"{served.url}/subscribe")  # the pages' code is loaded and warm
        before = peak_rss_kb(served.pid)
        jobs = [(path, chunked) for path in TARGETS for chunked in (False, True)] * 2
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda job: attack(served.port, *job), jobs))
        grown_mb = (peak_rss_kb(served.pid) - before) / 1024
        assert httpx.get(f"{served.url}/healthz").status_code == 200
    for (path, chunked), (status, seconds) in zip(jobs, results, strict=True):
        refused = {b"HTTP/1.1 413 Request Entity Too Large"}
        if chunked and path in UNREAD:  # answered before reading a byte of the body: fine too
            refused.add(UNREAD[path])
        assert status in refused, (path, chunked, status)
        assert seconds < 10, (path, chunked, seconds)
    # 20 bodies of 8 MB, 8 at a time: read whole, the peak would grow by 64 MB or more
    assert grown_mb < 20, f"peak memory grew by {grown_mb:.0f} MB"


def test_confirm_and_unsubscribe_posts_are_limited_per_client(tmp_path: Path) -> None:
    with digest_serve(tmp_path) as served, httpx.Client(base_url=served.url) as client:
        codes = [client.post(f"/unsubscribe/{i}.abcdef").status_code for i in range(60)]
        codes += [client.post(f"/confirm/{i}.abcdef").status_code for i in range(20)]
    assert codes[:20] == [400] * 20  # a bad link is a bad link, until the limit
    assert codes.count(429) >= 30
