"""Plain text of a feed field, by the path without markup and the path through nh3."""

from __future__ import annotations

import pytest

from digest.poll.parse import plain_text


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("Levée de 5 M€ pour Quillon", "Levée de 5 M€ pour Quillon"),
        ("Quillon &amp; Cie lèvent 5&nbsp;M€", "Quillon & Cie lèvent 5\xa0M€"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),  # text, not markup
        ("  deux\t\tespaces \r\n\r\n ligne\x07 ", "deux espaces\nligne"),
        ("<p>Un</p><p>deux &amp; trois</p>", "Un\ndeux & trois"),
        ("<script>alert(1)</script><style>p{}</style>Texte", "Texte"),
        ('<a href="javascript:x" onclick="y">lien</a> et <b>gras</b>', "lien et gras"),
        ("<p>a &lt;b&gt; c</p><br/>d", "a <b> c\nd"),
        ("<!-- commentaire -->visible", "visible"),
    ],
)
def test_plain_text(markup: str, text: str) -> None:
    assert plain_text(markup) == text
