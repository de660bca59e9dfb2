"""Signed tokens for one-click unsubscribe and sign-up confirmation links.

A token is ``<subscriber id>.<signature>``: the signature is an HMAC-SHA256, keyed by the secret
of ``$DIGEST_SECRET``, over the purpose, the id and the lower-cased address. It therefore cannot be
forged without the secret, nor used for another subscriber or another purpose; it is short enough
to fit in the local part of a mailto address (``unsubscribe+<token>@domain``).

A bounce token, ``<delivery id>.<hex signature>`` over the delivery, its subscriber and its
edition, is the VERP return path of one copy (``bounce+<token>@domain``): a bounce report that
comes back to it is tied to a message we sent. Hex, because some mail servers fold the case of
local parts. `message_tag` makes our Message-IDs unguessable, so that quoting one proves as much.

The secret is required whenever mail leaves the machine (``smtp.host`` set) and whenever the web
app runs (anyone can reach it, and the development secret is public). For the demo and the outbox
alone, a fixed development secret is used, with a warning.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os

from digest.config import Config, ConfigError

log = logging.getLogger(__name__)

SECRET_ENV = "DIGEST_SECRET"
DEV_SECRET = "digest-development-secret-for-the-demo-and-outbox-only"
MIN_SECRET_LENGTH = 16
PURPOSES = ("unsubscribe", "confirm")


class SecretMissing(ConfigError):
    """No usable secret for signing links (exit 2: a configuration a person must fix)."""


def secret_for(config: Config, *, served: bool = False) -> bytes:
    """$DIGEST_SECRET; the development secret only when no SMTP host is configured and no web
    app (`served`) checks the links."""
    value = os.environ.get(SECRET_ENV, "")
    if value:
        if len(value) < MIN_SECRET_LENGTH:
            raise SecretMissing(
                f"${SECRET_ENV} is {len(value)} characters long; use at least "
                f"{MIN_SECRET_LENGTH} random ones (e.g. `openssl rand -hex 32`)"
            )
        return value.encode()
    if served:
        raise SecretMissing(
            f"${SECRET_ENV} is not set: the web app checks signed confirm and unsubscribe links,"
            f" and without a secret of your own anyone could forge them (e.g. "
            f"`export {SECRET_ENV}=$(openssl rand -hex 32)`, then start again)"
        )
    if config.smtp.host:
        raise SecretMissing(
            f"${SECRET_ENV} is not set: unsubscribe links must be signed with a secret of your own "
            f"before mail is sent through {config.smtp.host} (e.g. "
            f"`export {SECRET_ENV}=$(openssl rand -hex 32)`)"
        )
    log.warning("secret source=development reason=%s_unset_and_no_smtp_host", SECRET_ENV)
    return DEV_SECRET.encode()


def _signature(secret: bytes, purpose: str, subscriber_id: int, email: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    message = f"{purpose}:{subscriber_id}:{email.strip().lower()}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_token(secret: bytes, purpose: str, subscriber_id: int, email: str) -> str:
    """The token for this subscriber and purpose (URL- and mailto-safe, about 30 characters)."""
    return f"{subscriber_id}.{_signature(secret, purpose, subscriber_id, email)}"


def token_subscriber(token: str) -> int | None:
    """The subscriber id a token names, not yet verified; None when it is malformed (only ASCII
    digits make an id: "²".isdigit() is true, yet int("²") fails)."""
    head, dot, sig = token.partition(".")
    if not dot or not sig or not 0 < len(head) <= 18 or not (head.isascii() and head.isdigit()):
        return None
    return int(head)


def check_token(secret: bytes, token: str, purpose: str, email: str) -> bool:
    """True when the token was signed by us for this purpose and this address."""
    subscriber_id = token_subscriber(token)
    if subscriber_id is None:
        return False
    expected = make_token(secret, purpose, subscriber_id, email)
    return hmac.compare_digest(expected.encode(), token.encode())


def _mac(secret: bytes, text: str, size: int) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[: 2 * size]


def bounce_token(secret: bytes, delivery_id: int, subscriber_id: int, edition_id: str) -> str:
    """The signed VERP token of one delivery (hex, about 30 characters)."""
    return f"{delivery_id}.{_mac(secret, f'bounce:{delivery_id}:{subscriber_id}:{edition_id}', 12)}"


def check_bounce_token(
    secret: bytes, token: str, delivery_id: int, subscriber_id: int, edition_id: str
) -> bool:
    """True when the token is ours for this delivery (of this subscriber and edition)."""
    expected = bounce_token(secret, delivery_id, subscriber_id, edition_id)
    return hmac.compare_digest(expected.encode(), token.lower().encode())


def message_tag(secret: bytes, edition_id: str, subscriber_id: int) -> str:
    """The signed part of a copy's Message-ID: stable per copy, unguessable without the secret."""
    return _mac(secret, f"message:{edition_id}:{subscriber_id}", 8)


def unsubscribe_url(config: Config, token: str) -> str:
    """The one-click (RFC 8058) and landing-page address: ``{base_url}/unsubscribe/{token}``."""
    return f"{config.newsletter.base_url}/unsubscribe/{token}"


def confirm_url(config: Config, token: str) -> str:
    return f"{config.newsletter.base_url}/confirm/{token}"
