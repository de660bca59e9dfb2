"""DKIM signatures (dkimpy) over every copy when `sending.dkim_*` is configured.

The signed headers include both List-Unsubscribe headers, as RFC 8058 requires for one-click
unsubscribe to be honoured.
"""

from __future__ import annotations

from collections.abc import Callable

from digest.config import Config, ConfigError

SIGNED_HEADERS = (
    b"from",
    b"reply-to",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
)

Signer = Callable[[bytes], bytes]


def signer_for(config: Config) -> Signer | None:
    """A function returning a copy with its DKIM-Signature header; None when DKIM is off."""
    s = config.sending
    given = {
        "dkim_selector": s.dkim_selector,
        "dkim_domain": s.dkim_domain,
        "dkim_key_file": s.dkim_key_file,
    }
    if not any(given.values()):
        return None
    import dkim as dkimpy  # here: it loads a DNS resolver, which `digest send` without DKIM skips

    missing = [k for k, v in given.items() if not v]
    if missing:
        raise ConfigError(
            f"{config.path.name}: sending: DKIM needs dkim_selector, dkim_domain and dkim_key_file;"
            f" missing {', '.join(missing)}"
        )
    path = config.resolve(s.dkim_key_file or "")
    try:
        key = path.read_bytes()
    except OSError as e:
        raise ConfigError(
            f"{config.path.name}: sending.dkim_key_file: cannot read {path} ({e.strerror})"
        ) from None
    selector, domain = (s.dkim_selector or "").encode(), (s.dkim_domain or "").encode()
    try:  # fail now, with the key named, rather than on the first copy
        dkimpy.sign(b"From: a@b\r\n\r\n", selector, domain, key)
    except dkimpy.DKIMException as e:
        raise ConfigError(
            f"{config.path.name}: sending.dkim_key_file: {path} is not a usable private key ({e})"
        ) from None

    def sign(message: bytes) -> bytes:
        header = dkimpy.sign(
            message, selector, domain, key, include_headers=list(SIGNED_HEADERS), linesep=b"\r\n"
        )
        return header + message

    return sign
