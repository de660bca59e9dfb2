"""The one per-reader part of a rendered edition: its unsubscribe link.

Render writes `UNSUBSCRIBE_PLACEHOLDER` where the link belongs, in the HTML and in the text. The
sender replaces it in each copy with the subscriber's own link; `generic` puts the unsubscribe
page there for readers without one (the web version, `index.html`, `digest.txt`).
"""

from __future__ import annotations

UNSUBSCRIBE_PLACEHOLDER = "__DIGEST_UNSUBSCRIBE_URL__"


def generic(body: str, base_url: str) -> str:
    """The edition's HTML or text with the generic unsubscribe page linked."""
    return body.replace(UNSUBSCRIBE_PLACEHOLDER, f"{base_url}/unsubscribe")
