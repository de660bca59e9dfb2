"""Editors' sessions end on the server, not only in the browser: the signed session cookie holds
the editor's session version (kept in the database) and a fingerprint of the password it was
opened with. A logout raises the version, so every copy of the cookie (stolen, or left in another
browser) stops working; a new password (`digest editors passwd`, or for the bootstrap account a
new one in the environment and a restart) changes the fingerprint, which ends every session
opened with the old one. Each editor has their own version and fingerprint."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from digest.store import Database, transaction


def version(db: Database, editor: str) -> int:
    row = db.execute("SELECT version FROM editor_sessions WHERE editor = ?", (editor,)).fetchone()
    return int(row[0]) if row else 0


def end_all(db: Database, editor: str) -> None:
    """Every session of this editor ends (on every browser)."""
    with transaction(db):
        db.execute(
            "INSERT INTO editor_sessions (editor, version) VALUES (?, 1)"
            " ON CONFLICT (editor) DO UPDATE SET version = editor_sessions.version + 1",
            (editor,),
        )


def fingerprint(key: bytes, editor: str, secret: str) -> str:
    """Of the editor's current password (or its hash), keyed: the cookie never carries
    anything a guess could test."""
    message = f"password:{editor}:{secret}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def opened(editor: str, secret: str, key: bytes, current: int) -> dict[str, Any]:
    """What a fresh editor's session holds."""
    return {"editor": editor, "sv": current, "pw": fingerprint(key, editor, secret)}


def valid(session: dict[str, Any], secret: str | None, key: bytes, current: int) -> bool:
    """The cookie names an editor who still exists, at their current session version, with
    their current password."""
    editor, pw = session.get("editor"), session.get("pw")
    return (
        isinstance(editor, str)
        and secret is not None
        and session.get("sv") == current
        and isinstance(pw, str)
        and hmac.compare_digest(pw, fingerprint(key, editor, secret))
    )
