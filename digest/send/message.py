"""The email of an edition: encoded once, then personalised per subscriber by substitution.

`prepare` turns an edition into a `Template`: the common headers and both bodies, already
quoted-printable encoded, split where the unsubscribe URL goes. `render_copy` joins the pieces
around one subscriber's URL and adds the per-copy headers (To, Date, Message-ID, the
List-Unsubscribe pair). Nothing is re-rendered per subscriber, so 20 000 copies cost 20 000 joins.

The render stage writes the edition's placeholder (edition.unsubscribe) where the unsubscribe
link belongs, in the HTML and in the text; it is replaced by ``{base_url}/unsubscribe/{token}``
in each copy (or by ``{base_url}/unsubscribe`` in a sample or test copy that has no subscriber).
"""

from __future__ import annotations

import binascii
import email
import email.policy
import re
import secrets
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from digest.config import Config
from digest.edition.unsubscribe import placeholder_of
from digest.models import Edition

TEST_PREFIX = "[TEST] "
_POLICY = email.policy.SMTP  # CRLF line ends, RFC 2047 encoded words where needed
_PARSED = email.policy.default.clone(refold_source="none")  # keeps our header lines as written
_TOKEN = re.compile(r"^[0-9]+\.[A-Za-z0-9_-]+$")
_PLAIN_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_LEADING_DOT = re.compile(rb"(?m)^\.")
_LINE_END = re.compile(rb"\r?\n")


@dataclass(frozen=True)
class Template:
    """An edition's message, encoded once; see `render_copy`."""

    edition_id: str
    sender: str  # the envelope sender (MAIL FROM), a bare address
    domain: str  # of the sender: Message-IDs and the unsubscribe mailbox
    fallback_url: str  # the unsubscribe page, for copies without a subscriber token
    head: bytes  # From, Reply-To, Subject, List-Id: identical in every copy
    body: tuple[bytes, ...]  # MIME headers and encoded parts, split at each placeholder
    wire: tuple[bytes, ...]  # the same, dot-stuffed for SMTP DATA and ending with <CRLF>.<CRLF>


def _fold(name: str, value: str) -> bytes:
    """A header line: plain ASCII folded at spaces, anything else as RFC 2047 encoded words."""
    if not value.isascii() or "\n" in value or "\r" in value:
        return _POLICY.header_factory(name, value).fold(policy=_POLICY).encode("ascii")
    lines, line = [], f"{name}:"
    for word in value.split(" "):
        if len(line) + 1 + len(word) > 78 and line.strip() and not line.endswith(":"):
            lines.append(line)
            line = ""
        line += " " + word
    return ("\r\n".join([*lines, line]) + "\r\n").encode("ascii")


def _qp(text: str) -> bytes:
    """Quoted-printable of UTF-8 text with LF line ends (CRLF is applied to the whole body)."""
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)


def _encoded_part(content_type: str, text: str, placeholder: str) -> list[bytes]:
    """A MIME part's header and body, split at each placeholder into separately encoded pieces."""
    head = (
        f'Content-Type: {content_type}; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
    ).encode("ascii")
    pieces = text.split(placeholder)
    encoded = [_qp(p) + b"=\n" if p else b"" for p in pieces[:-1]]
    encoded.append(_qp(pieces[-1]) + b"\n")  # the line end before the boundary belongs to it
    encoded[0] = head + encoded[0]
    return encoded


def prepare(edition: Edition, config: Config, *, test: bool = False) -> Template:
    """Encode an edition's message once: headers shared by every copy and both bodies."""
    news = config.newsletter
    sender = parseaddr(news.sender)[1] or news.sender
    domain = sender.rpartition("@")[2] or news.list_id
    subject = (TEST_PREFIX if test else "") + (edition.subject or news.name)
    head = b"".join(
        (
            _fold("From", news.sender),
            _fold("Reply-To", news.reply_to),
            _fold("Subject", subject),
            _fold("List-Id", formataddr((news.name, news.list_id))),
        )
    )
    boundary = f"=_digest_{secrets.token_hex(12)}"
    placeholder = placeholder_of(edition)
    text = _encoded_part("text/plain", edition.text, placeholder)
    html = _encoded_part("text/html", edition.html, placeholder)
    text[0] = (
        f'MIME-Version: 1.0\nContent-Type: multipart/alternative;\n boundary="{boundary}"\n\n'
        f"--{boundary}\n"
    ).encode("ascii") + text[0]
    text[-1] += f"--{boundary}\n".encode("ascii")
    html[-1] += f"--{boundary}--\n".encode("ascii")
    # the text and html parts meet at a seam with no placeholder: one piece
    pieces = [*text[:-1], text[-1] + html[0], *html[1:]]
    body = tuple(p.replace(b"\n", b"\r\n") for p in pieces)
    wire = [_stuff(p) for p in body]  # every piece starts a line: after a header or a soft break
    return Template(
        edition_id=edition.id,
        sender=sender,
        domain=domain,
        fallback_url=f"{news.base_url}/unsubscribe",
        head=head,
        body=body,
        wire=(*wire[:-1], wire[-1] + b".\r\n"),
    )


def _stuff(data: bytes) -> bytes:
    """SMTP dot-stuffing (RFC 5321 4.5.2) of text that starts at the beginning of a line."""
    return _LEADING_DOT.sub(b"..", data)


def to_wire(message: bytes) -> bytes:
    """A whole message as SMTP DATA wants it: CRLF line ends, dot-stuffed, with its end mark."""
    message = _LINE_END.sub(b"\r\n", message)
    end = b".\r\n" if message.endswith(b"\r\n") else b"\r\n.\r\n"
    return _stuff(message) + end


def message_id(template: Template, subscriber_id: int | None, tag: str = "") -> str:
    """Stable per (edition, subscriber), so a copy re-sent after a crash keeps its Message-ID;
    `tag` (tokens.message_tag) makes it unguessable, so a bounce quoting it is one of ours."""
    local = _ID_UNSAFE.sub("-", template.edition_id)
    tail = str(subscriber_id) if subscriber_id is not None else "t" + secrets.token_hex(8)
    return f"<digest.{local}.{tail}{'.' + tag if tag else ''}@{template.domain}>"


def return_path(template: Template, bounce_token: str) -> str:
    """The VERP envelope sender of one copy: ``bounce+{token}@{sender domain}``."""
    return f"bounce+{bounce_token}@{template.domain}"


def unsubscribe_mailto(template: Template, url: str) -> str | None:
    """``mailto:unsubscribe+{token}@{sender domain}?subject=unsubscribe`` for a tokened URL."""
    token = url.rstrip("/").rpartition("/")[2]
    if not _TOKEN.match(token):
        return None
    return f"mailto:unsubscribe+{token}@{template.domain}?subject=unsubscribe"


def render_copy(
    template: Template,
    *,
    to: str,
    name: str = "",
    unsubscribe_url: str | None,
    message_id: str,
    wire: bool = False,
) -> bytes:
    """One subscriber's copy, as the bytes of an RFC 5322 message with CRLF line ends.

    With `wire`, the bytes are ready for SMTP DATA: dot-stuffed, ending with <CRLF>.<CRLF>
    (stuffing 80 KB per copy would otherwise cost more than everything else here).
    """
    if name or not _PLAIN_ADDRESS.match(to):
        to_line = _fold("To", formataddr((name, to)))
    else:
        to_line = f"To: {to}\r\n".encode("ascii")
    lines = [
        template.head,
        to_line,
        f"Date: {formatdate(usegmt=True)}\r\nMessage-ID: {message_id}\r\n".encode("ascii"),
    ]
    if unsubscribe_url:
        mailto = unsubscribe_mailto(template, unsubscribe_url)
        targets = f"<{unsubscribe_url}>" + (f",\r\n <{mailto}>" if mailto else "")
        lines.append(f"List-Unsubscribe: {targets}\r\n".encode("ascii"))
        if unsubscribe_url.startswith("https://"):
            lines.append(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
    link = _qp(unsubscribe_url or template.fallback_url).replace(b"\n", b"\r\n") + b"=\r\n"
    if wire:
        return _stuff(b"".join(lines)) + _stuff(link).join(template.wire)
    lines.append(link.join(template.body))
    return b"".join(lines)


def build_message(
    edition: Edition,
    config: Config,
    *,
    to: str,
    unsubscribe_url: str | None,
    test: bool = False,
    subscriber_id: int | None = None,
) -> email.message.EmailMessage:
    """One complete message (a sample, a test copy or a subscriber's copy) as an EmailMessage."""
    template = prepare(edition, config, test=test)
    raw = render_copy(
        template,
        to=to,
        unsubscribe_url=unsubscribe_url,
        message_id=message_id(template, subscriber_id),
    )
    parsed = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=_PARSED)
    assert isinstance(parsed, EmailMessage)
    return parsed
