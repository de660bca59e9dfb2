"""Editors' logins: the bootstrap account from the environment (security.editors_from_env) and
the accounts of `digest editors add`, whose passwords are stored as salted scrypt hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from digest.store import Database, accounts
from digest.web.security import MIN_PASSWORD_LENGTH, Editors

# scrypt cost: about 16 MB and a few tens of milliseconds per try (OWASP's minimum is N=2^17
# with r=8 for new systems; 2^15 keeps a login on a small server quick while costing guessers)
N, R, P, LENGTH = 2**15, 8, 1, 32
_MAXMEM = 64 * 1024 * 1024
_DUMMY = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


class BadPassword(ValueError):
    """A password too short to be set."""


def _kdf(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=LENGTH)


def hash_password(password: str) -> str:
    """'scrypt$N$r$p$salt$hash' with a fresh 16-byte salt; BadPassword when too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadPassword(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    salt = secrets.token_bytes(16)
    digest = _kdf(password, salt, N, R, P)
    b64 = base64.b64encode
    return f"scrypt${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


def verify(password: str, stored: str) -> bool:
    """The password against a stored hash, compared in constant time."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        got = _kdf(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return kind == "scrypt" and hmac.compare_digest(got, expected)


def check(db: Database, bootstrap: Editors, user: str, password: str) -> str | None:
    """The name of the editor these credentials open, or None. The bootstrap name is checked
    against the environment only; an unknown name costs a hash too (no timing hint)."""
    if hmac.compare_digest(user.encode(), bootstrap.user.encode()):
        return user if bootstrap.check(user, password) else None
    found = accounts.get(db, user)
    ok = verify(password, found.password_hash if found else _DUMMY)
    return user if found is not None and ok else None


def secret_of(db: Database, bootstrap: Editors, name: str) -> str | None:
    """What an editor's session fingerprint covers (a new password changes it); None when the
    account no longer exists, which ends its sessions."""
    if name == bootstrap.user:
        return bootstrap.password
    found = accounts.get(db, name)
    return found.password_hash if found else None
