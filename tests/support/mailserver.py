"""A real SMTP server for the sending tests: aiosmtpd on 127.0.0.1, recording what it accepts.

`plan` tells it how to answer chosen recipients, one entry per attempt, e.g.
``{"a@x.fr": ["451", "454", "ok"], "b@x.fr": ["550 5.1.1"], "c@x.fr": ["drop"]}``:
a reply code (with an optional enhanced status) given at RCPT, "drop" to cut the connection
after the message's data arrives without answering it, "ok" (the default) to accept.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

REPLIES = {
    "421": "421 4.7.0 Too many connections, closing",
    "451": "451 4.3.0 Temporary local problem, try later",
    "454": "454 4.7.0 Throttling failure: Maximum sending rate exceeded",
    "550": "550 5.7.1 Message refused by policy",
    "550 5.1.1": "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown",
}


class Recorder:
    """The handler: accepted messages by recipient, scripted answers, an optional slowness."""

    def __init__(
        self, plan: dict[str, list[str]] | None = None, delay: float = 0.0, pipelining: bool = False
    ) -> None:
        self.plan = {k.lower(): list(v) for k, v in (plan or {}).items()}
        self.delay = delay
        self.pipelining = pipelining
        self.lock = threading.Lock()
        self.received: list[tuple[str, bytes]] = []
        self.senders: dict[str, str] = {}  # recipient -> envelope sender (MAIL FROM) of its copy
        self.attempts: Counter[str] = Counter()
        self.logins: list[str] = []
        self.tls_sessions = 0

    def _next(self, rcpt: str) -> str:
        with self.lock:
            self.attempts[rcpt.lower()] += 1
            steps = self.plan.get(rcpt.lower())
            return steps.pop(0) if steps else "ok"

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list
    ) -> list[str]:
        """Offer PIPELINING (RFC 2920) when asked to: the client then batches its commands."""
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        step = self._next(address)
        if step == "drop":
            envelope.drop = True  # type: ignore[attr-defined]  # read by handle_DATA
        elif step != "ok":
            reply = REPLIES[step].format(rcpt=address)
            if step == "421":
                asyncio.get_running_loop().call_later(0.01, server.transport.close)
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if getattr(envelope, "drop", False):
            server.transport.abort()
            return "421 dropped"
        if session.ssl is not None:
            with self.lock:
                self.tls_sessions += 1
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt.lower(), bytes(envelope.original_content or b"")))
                self.senders[rcpt.lower()] = str(envelope.mail_from)
        return "250 2.0.0 Queued"

    def copies(self) -> Counter[str]:
        """How many copies each recipient received."""
        with self.lock:
            return Counter(rcpt for rcpt, _ in self.received)

    def messages(self, rcpt: str) -> list[EmailMessage]:
        with self.lock:
            raw = [data for r, data in self.received if r == rcpt.lower()]
        return [message_from_bytes(d, policy=policy.default) for d in raw]  # type: ignore[misc]

    def raw(self, rcpt: str) -> list[bytes]:
        with self.lock:
            return [data for r, data in self.received if r == rcpt.lower()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Auth:
    def __init__(self, recorder: Recorder, users: dict[str, str]) -> None:
        self.recorder, self.users = recorder, users

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = self.users.get(user) == password
        if ok:
            self.recorder.logins.append(user)
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(
    recorder: Recorder,
    *,
    tls: str = "none",
    cert: tuple[Path, Path] | None = None,
    users: dict[str, str] | None = None,
) -> Iterator[int]:
    """Run the server on a free 127.0.0.1 port; tls is none | starttls | tls. Yields the port."""
    kwargs: dict = {}
    context = None
    if tls != "none":
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
    if tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    if users is not None:
        kwargs.update(
            authenticator=_Auth(recorder, users),
            auth_required=True,
            auth_require_tls=tls == "starttls",  # aiosmtpd sees only STARTTLS as TLS here
        )
    port = free_port()
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        ssl_context=context if tls == "tls" else None,
        ready_timeout=10,
        server_hostname="localhost",
        **kwargs,
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key
