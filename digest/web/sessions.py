"""Editors' sessions end on the server, not only in the browser: the signed session cookie holds
the editor's session version (kept in the database) and a fingerprint of the password it was
opened with. A logout raises the version, so every copy of the cookie (stolen, or left in another
browser) stops working; a new password (set in the environment, then a restart) changes the
fingerprint, which ends every session opened with the old one."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from digest.store import Database, transaction
from digest.web.security import Editors


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


def fingerprint(key: bytes, editors: Editors) -> str:
    """Of the current password, keyed: the cookie never carries anything a guess could test."""
    message = f"password:{editors.user}:{editors.password}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def opened(editors: Editors, key: bytes, current: int) -> dict[str, Any]:
    """What a fresh editor's session holds."""
    return {"editor": editors.user, "sv": current, "pw": fingerprint(key, editors)}


def valid(session: dict[str, Any], editors: Editors, key: bytes, current: int) -> bool:
    """The cookie names the editor, at the current session version, with the current password."""
    pw = session.get("pw")
    return (
        session.get("editor") == editors.user
        and session.get("sv") == current
        and isinstance(pw, str)
        and hmac.compare_digest(pw, fingerprint(key, editors))
    )
