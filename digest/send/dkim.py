"""DKIM signatures (dkimpy) over every copy when `sending.dkim_*` is configured.

The signed headers include both List-Unsubscribe headers, as RFC 8058 requires for one-click
unsubscribe to be honoured. dkimpy's RSA is pure Python and holds the GIL (about 8 ms a copy),
so the sender signs in a `SigningPool` of processes, fed by its SMTP worker threads; the
sending thread only renders and records.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

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


Key = tuple[bytes, bytes, bytes]  # (selector, domain, PEM private key)


def key_for(config: Config) -> Key | None:
    """The checked DKIM selector, domain and key; None when DKIM is off (ConfigError if bad)."""
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
    return selector, domain, key


def sign(key: Key, message: bytes) -> bytes:
    """The message with its DKIM-Signature header first."""
    import dkim as dkimpy

    selector, domain, private = key
    header = dkimpy.sign(
        message, selector, domain, private, include_headers=list(SIGNED_HEADERS), linesep=b"\r\n"
    )
    return header + message


def signer_for(config: Config) -> Signer | None:
    """A function returning a copy with its DKIM-Signature header; None when DKIM is off."""
    key = key_for(config)
    return None if key is None else partial(sign, key)


_loaded: Key | None = None  # the key of a SigningPool process


def _load(key: Key) -> None:
    global _loaded
    _loaded = key


def _sign_loaded(message: bytes) -> bytes:
    assert _loaded is not None
    return sign(_loaded, message)


class SigningPool:
    """Signs in `processes` worker processes; call it from any thread (it waits for the copy)."""

    def __init__(self, key: Key, processes: int) -> None:
        import multiprocessing  # here: `digest send` without DKIM skips it
        from concurrent.futures import ProcessPoolExecutor

        spawn = multiprocessing.get_context("spawn")  # never fork a process with threads
        self.executor = ProcessPoolExecutor(
            processes, mp_context=spawn, initializer=_load, initargs=(key,)
        )

    def __call__(self, message: bytes) -> bytes:
        return self.executor.submit(_sign_loaded, message).result()

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)


def signing_pool(config: Config) -> SigningPool | None:
    """A pool of one process per core (at most one per connection); None when DKIM is off."""
    key = key_for(config)
    if key is None:
        return None
    return SigningPool(key, max(1, min(config.sending.pool_size, os.cpu_count() or 1)))
