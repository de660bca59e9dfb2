"""Who may try a password now: failed logins slow down guessing per account without locking the
editor out.

Only failures count, on three token buckets, all checked before the password is:

- per (account, client): a few failures, then one try a minute from that address;
- per client, whatever the account: one address cannot spray many account names;
- per account, whatever the client: the slower limit that bounds a guessing attack spread over
  many addresses (or forged ones, had we believed X-Forwarded-For).

The per-account lock alone would let any stranger lock the editor out. So a browser that logged
in before carries a signed device cookie for that account (OWASP's "device cookies"): its tries
are counted on its own bucket and skip the client and account limits, so the right password from
a known browser still passes while strangers (even behind the editor's own address) are locked
out. A new browser during a lock waits for the account bucket to refill.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from digest.web.security import RateLimit

DEVICE_COOKIE = "digest_device"
DEVICE_DAYS = 90


class LoginGuard:
    def __init__(self, key: bytes) -> None:
        self.key = key
        self.per_pair = RateLimit(burst=5, every=60)
        self.per_client = RateLimit(burst=20, every=60)
        self.per_account = RateLimit(burst=30, every=120)
        self.per_device = RateLimit(burst=10, every=30)

    def device_cookie(self, user: str) -> str:
        """A new device cookie for a browser that just logged in as `user`."""
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self._sign(user, nonce)}"

    def device_of(self, cookie: str | None, user: str) -> str | None:
        """The device id when the cookie was signed for this account; None otherwise."""
        nonce, dot, signature = (cookie or "").partition(".")
        if not dot or not hmac.compare_digest(signature.encode(), self._sign(user, nonce).encode()):
            return None
        return nonce

    def may_try(self, user: str, client: str, device: str | None) -> bool:
        """Whether this try is checked at all (a refused one costs nothing and counts nothing)."""
        if device is not None:
            return self.per_device.peek(device)
        return all(
            (
                self.per_pair.peek(f"{user}\0{client}"),
                self.per_client.peek(client),
                self.per_account.peek(user),
            )
        )

    def failed(self, user: str, client: str, device: str | None) -> None:
        if device is not None:
            self.per_device.allow(device)
            return
        self.per_pair.allow(f"{user}\0{client}")
        self.per_client.allow(client)
        self.per_account.allow(user)

    def succeeded(self, user: str, client: str) -> None:
        """The address's own failures on this account are forgiven; the account's are not."""
        self.per_pair.forget(f"{user}\0{client}")

    def _sign(self, user: str, nonce: str) -> str:
        message = f"device:{user}:{nonce}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:32]
