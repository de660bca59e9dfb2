"""Where copies go: an SMTP server (STARTTLS or TLS, authentication) or the outbox folder.

`deliver` hands one copy over and says what became of it, sorted the way the sender acts on it:
sent; retry (4xx replies such as 421, 451, 454, and dropped connections); failed (5xx); bounced
(a 5.1.1-style "no such mailbox" rejection, which also retires the address). A `Fatal` error
(refused login, a server that cannot be reached at the start, a refused sender) stops the run.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, Protocol

from digest.config import Config
from digest.send.message import to_wire

Kind = Literal["sent", "retry", "failed", "bounced"]
_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
# RFC 3463: 5.1.1 bad mailbox, 5.1.2 bad domain, 5.1.3 bad syntax, 5.1.6 moved, 5.1.10 null MX,
# 5.2.1 mailbox disabled. Servers without enhanced codes say it in words.
_HARD = {"5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1"}
_NO_MAILBOX = re.compile(
    r"user unknown|unknown user|no such (user|mailbox|recipient)|mailbox (unavailable|not found)"
    r"|does not exist|recipient address rejected",
    re.IGNORECASE,
)


@cache
def _helo_name() -> str:
    """Our name in EHLO; looked up once per process (getfqdn may wait on DNS)."""
    return socket.getfqdn()


class Fatal(Exception):
    """Nothing can be sent with this configuration; the message says what to fix."""


@dataclass(frozen=True)
class Result:
    kind: Kind
    detail: str = ""
    reconnect: bool = False  # the connection is unusable (421, dropped): open a new one


def hard_bounce(status: str, text: str = "") -> bool:
    """True for a permanent "this mailbox does not exist" answer (status like 5.1.1 or 550)."""
    m = _ENHANCED.search(status) or _ENHANCED.search(text)
    if m:
        return m.group(0) in _HARD
    return status.startswith("5") and bool(_NO_MAILBOX.search(text))


def classify(code: int, message: bytes | str) -> Result:
    """An SMTP reply code and text as what to do about the copy."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    detail = f"{code} {text}".strip()
    if 400 <= code < 500:
        return Result("retry", detail, reconnect=code == 421)
    if 500 <= code < 600:
        return Result("bounced" if hard_bounce(str(code), text) else "failed", detail)
    return Result("retry", detail or "no answer from the server", reconnect=True)


class Transport(Protocol):
    wire: bool  # deliver() also takes data ready for SMTP DATA (faster: see message.render_copy)

    def open(self) -> object: ...
    def deliver(
        self, conn: object, sender: str, to: str, data: bytes, wire: bool = False
    ) -> Result: ...
    def close(self, conn: object) -> None: ...


class SmtpTransport:
    """A relay reached with smtplib; each worker holds one persistent connection."""

    wire = True

    def __init__(self, config: Config) -> None:
        self.smtp = config.smtp
        self.context = ssl.create_default_context()  # trusts $SSL_CERT_FILE too (private CAs)
        if self.smtp.username and not self.smtp.password:
            raise Fatal(
                f"smtp.username is {self.smtp.username!r} but $DIGEST_SMTP_PASSWORD is not set"
            )

    def open(self) -> smtplib.SMTP:
        s = self.smtp
        assert s.host
        context = self.context
        try:
            if s.security == "tls":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, _helo_name(), timeout=s.timeout, context=context
                )
            else:
                conn = smtplib.SMTP(s.host, s.port, _helo_name(), timeout=s.timeout)
                if s.security == "starttls":
                    conn.starttls(context=context)
            if s.username:
                conn.login(s.username, s.password or "")
            if conn.sock is not None:  # commands are small writes: do not wait to batch them
                conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except smtplib.SMTPAuthenticationError as e:
            raise Fatal(
                f"{s.host}:{s.port} refused the login of {s.username!r} ({e.smtp_code}): "
                "check smtp.username and $DIGEST_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError as e:
            raise Fatal(f"{s.host}:{s.port}: {e} (check smtp.security)") from None
        except ssl.SSLError as e:
            raise Fatal(f"{s.host}:{s.port}: TLS failed ({e}); check smtp.security") from None
        except (OSError, smtplib.SMTPException) as e:
            raise ConnectionError(f"cannot reach {s.host}:{s.port} ({e})") from e
        return conn

    def deliver(
        self, conn: object, sender: str, to: str, data: bytes, wire: bool = False
    ) -> Result:
        """One transaction, MAIL / RCPT / DATA; with `wire`, data is already dot-stuffed."""
        assert isinstance(conn, smtplib.SMTP)
        data = data if wire else to_wire(data)
        try:
            conn.ehlo_or_helo_if_needed()
            (mail, text), rcpt, start = _envelope(conn, sender, to)
            if mail != 250:
                if 500 <= mail < 600:
                    raise Fatal(f"the server refused the sender {sender}: {mail} {text!r}")
                return _reset(conn, classify(mail, text), start)
            if rcpt[0] not in (250, 251):
                return _reset(conn, classify(*rcpt), start)
            if start[0] != 354:
                return _reset(conn, classify(*start), start)
            conn.send(data)
            code, text = conn.getreply()
        except (smtplib.SMTPException, OSError) as e:
            return Result("retry", f"connection lost: {e or type(e).__name__}", reconnect=True)
        return Result("sent") if code == 250 else classify(code, text)

    def close(self, conn: object) -> None:
        assert isinstance(conn, smtplib.SMTP)
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()


Reply = tuple[int, bytes]


def _envelope(conn: smtplib.SMTP, sender: str, to: str) -> tuple[Reply, Reply, Reply]:
    """MAIL, RCPT and DATA replies; in one write when the server offers PIPELINING (RFC 2920)."""
    mail = f"MAIL FROM:{smtplib.quoteaddr(sender)}\r\n"
    rcpt = f"RCPT TO:{smtplib.quoteaddr(to)}\r\n"
    if not conn.has_extn("pipelining"):
        first = conn.docmd(mail[:-2])
        if first[0] != 250:
            return first, (0, b""), (0, b"")
        second = conn.docmd(rcpt[:-2])
        if second[0] not in (250, 251):
            return first, second, (0, b"")
        return first, second, conn.docmd("DATA")
    conn.send(f"{mail}{rcpt}DATA\r\n")
    return conn.getreply(), conn.getreply(), conn.getreply()


def _reset(conn: smtplib.SMTP, result: Result, start: Reply = (0, b"")) -> Result:
    """End a refused transaction so the connection can carry the next copy."""
    if start[0] == 354:  # DATA accepted after all (a lax server): send an empty end mark
        try:
            conn.send(b".\r\n")
            conn.getreply()
        except (smtplib.SMTPException, OSError):
            return Result(result.kind, result.detail, reconnect=True)
    if not result.reconnect:
        try:
            conn.rset()
        except (smtplib.SMTPException, OSError):
            return Result(result.kind, result.detail, reconnect=True)
    return result


class OutboxTransport:
    """No SMTP host: each copy becomes an .eml file in `sending.outbox`/<edition-id>/."""

    wire = False

    def __init__(self, config: Config, edition_id: str) -> None:
        self.folder = outbox_folder(config) / edition_id

    def open(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder

    def deliver(
        self, conn: object, sender: str, to: str, data: bytes, wire: bool = False
    ) -> Result:
        assert not wire, "the outbox stores plain messages"
        write_eml(self.folder, to, data)
        return Result("sent")

    def close(self, conn: object) -> None:
        return None


def outbox_folder(config: Config) -> Path:
    return config.resolve(config.sending.outbox)


def write_eml(folder: Path, to: str, data: bytes) -> Path:
    """Write a copy atomically as <address>.eml (a later copy to the same address replaces it)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9@._+-]", "_", to) + ".eml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".eml")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    target = folder / name
    os.replace(tmp, target)
    return target


def transport_for(config: Config, edition_id: str) -> Transport:
    """SMTP when smtp.host is set, else the outbox."""
    if config.smtp.host:
        return SmtpTransport(config)
    return OutboxTransport(config, edition_id)
