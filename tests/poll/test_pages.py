"""The readable text of an article page an editor adds (digest.poll.pages)."""

from __future__ import annotations

from digest.poll.pages import readable


def test_title_and_paragraphs_are_kept_and_the_pages_chrome_left_out() -> None:
    html = (
        "<html><head><title>Brindille lève 7 M€ &amp; recrute</title><style>p{}</style></head>"
        "<body><header><p>Se connecter</p></header><nav><p>Rubriques</p></nav>"
        "<h1>Ignoré quand il y a un titre</h1><article><p>Premier <b>paragraphe</b>,"
        " suite.</p><script>track()</script><p>Deux<br>lignes</p><aside><p>Pub</p></aside>"
        "</article><footer><p>Mentions légales</p></footer></body></html>"
    )
    assert readable(html) == (
        "Brindille lève 7 M€ & recrute",
        "Premier paragraphe, suite.\nDeux lignes",
    )


def test_the_first_heading_titles_a_page_without_title() -> None:
    assert readable("<h1>Le titre</h1><p>Le texte.</p>") == ("Le titre", "Le texte.")
    assert readable("<div>Rien</div>") == ("", "")
