"""The one per-reader part of a rendered edition: its unsubscribe link.

Render writes the edition's placeholder where the link belongs, in the HTML and in the text; the
sender replaces it in each copy with the subscriber's own link, and `generic` puts the
unsubscribe page there for readers without one (the web version, `index.html`, `digest.txt`).

The placeholder is drawn at random for each edition and stored with it, so that text from a feed
cannot name it (a feed link reading ``__DIGEST_UNSUBSCRIBE_URL__`` would otherwise carry each
subscriber's token to the feed's owner); any placeholder-like text that is not the edition's own
is removed at render. Editions rendered before this keep the fixed `UNSUBSCRIBE_PLACEHOLDER`.
"""

from __future__ import annotations

import re
import secrets

from digest.models import Edition

UNSUBSCRIBE_PLACEHOLDER = "__DIGEST_UNSUBSCRIBE_URL__"  # of editions rendered before 0084
ANY_PLACEHOLDER = re.compile(r"__DIGEST_UNSUBSCRIBE_[A-Za-z0-9_]*__", re.IGNORECASE)


def new_placeholder() -> str:
    """An unguessable placeholder for one edition."""
    return f"__DIGEST_UNSUBSCRIBE_{secrets.token_hex(16)}__"


def placeholder_of(edition: Edition) -> str:
    """Where this edition's unsubscribe link goes in its HTML and text."""
    return edition.unsubscribe_placeholder or UNSUBSCRIBE_PLACEHOLDER


def neutralise(body: str, keep: str) -> str:
    """The body without any placeholder-like text except `keep` (the edition's own)."""
    return ANY_PLACEHOLDER.sub(lambda m: m.group(0) if m.group(0) == keep else "", body)


def generic(body: str, base_url: str) -> str:
    """The edition's HTML or text with the generic unsubscribe page linked."""
    return ANY_PLACEHOLDER.sub(f"{base_url}/unsubscribe", body)
