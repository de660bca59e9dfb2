"""Editors correct an edition over real HTTP (uvicorn on 127.0.0.1, httpx): a story's text and
facts edited and undone, an article added from a pasted text or a link, the cards reordered and
a lead pinned, the subject, preheader and opening line rewritten. Each action is checked in the
rebuilt edition (email HTML, text twin, stories.json, message.eml) and in the database."""

from __future__ import annotations

import email
import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.policy import default
from html import unescape
from pathlib import Path

import httpx
import pytest

from digest.config import Config, load_config
from digest.edition.layout import layout
from digest.models import Edition
from digest.poll import poller
from digest.store import Database, Location, editions, open_db
from digest.store.story_overrides import EDITOR_FEED_NAME
from tests.support.pollserver import FeedServer, fixed
from tests.support.webserver import USER, built_db, copy_db, csrf_of, login, serving, web_env
from tests.support.webserver import write_config as base_config

ADDED_TITLE = "Brindille Robotique lève 7 millions d'euros"
ADDED_TEXT = (
    "La start-up lyonnaise Brindille Robotique lève 7 millions d'euros auprès de Capital"
    " Horizon et de Vallée Ventures. L'entreprise, fondée en 2021 à Lyon, prévoit de recruter"
    " 40 personnes d'ici 2027 pour industrialiser ses bras robotisés agricoles."
)


@dataclass
class Desk:
    client: httpx.Client
    db: Database
    edition_id: str
    config: Config

    def edition(self) -> Edition:
        found = editions.get(self.db, self.edition_id)
        assert found is not None
        return found

    def out(self, name: str) -> str:
        return (self.config.resolve(self.config.out_dir) / self.edition_id / name).read_text(
            encoding="utf-8"
        )

    def stories_json(self) -> list[dict]:
        return json.loads(self.out("stories.json"))["stories"]

    def post(self, path: str, page: str = "", **data: object) -> httpx.Response:
        """A form posted with the CSRF token of the page it is on (the edition page by default)."""
        base = f"/editor/editions/{self.edition_id}"
        token = csrf_of(self.client.get(base + page))
        return self.client.post(base + path, data={"csrf": token, **data})

    def flash(self, response: httpx.Response) -> str:
        assert response.status_code == 303, response.text
        page = self.client.get(response.headers["location"])
        start = page.text.index('class="flash')
        return unescape(page.text[start : page.text.index("</p>", start)])


def write_config(folder: Path) -> Config:
    config = base_config(folder)
    with config.path.open("a", encoding="utf-8") as f:
        f.write("polling: {allow_private_addresses: true}\n")
    return load_config(config.path)


@pytest.fixture
def desk(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    db_location: Location,
) -> Iterator[Desk]:
    web_env(monkeypatch)
    config = write_config(tmp_path)
    db_path = copy_db(built_db(tmp_path_factory), db_location)  # a file, then a server database
    db = open_db(db_path)
    latest = editions.latest(db)
    assert latest is not None and latest.state == "draft"
    with serving(config, db_path) as url, httpx.Client(base_url=url, timeout=120) as client:
        login(client)
        yield Desk(client, db, latest.id, config)
    db.close()


def _json_story(desk: Desk, story_id: str) -> dict:
    return next(s for s in desk.stories_json() if s["id"] == story_id)


def test_an_edited_headline_and_amount_are_the_editors_survive_a_poll_and_undo(desk: Desk) -> None:
    story = next(s for s in layout(desk.edition()).rounds if s.amount)
    edit = f"/stories/{story.id}/edit"
    form = desk.client.get(f"/editor/editions/{desk.edition_id}{edit}")
    assert form.status_code == 200
    assert f'value="{story.headline}"' in unescape(form.text)  # the current value
    assert "Valeur de la machine" in form.text and "Phrases sources" in form.text
    assert "<q>" in form.text  # a source sentence beside the fact

    done = desk.post(edit, edit, headline="Fermatik, la relève de l'agriculture", amount="21 M€")
    assert done.headers["location"].endswith(f"#story-{story.id}")
    assert "« Fermatik, la relève de l'agriculture » modifié (titre, montant)" in desk.flash(done)
    kept = _json_story(desk, story.id)
    assert kept["headline"] == "Fermatik, la relève de l'agriculture"
    assert kept["amount"]["value"] == 21_000_000 and kept["amount"]["currency"] == "EUR"
    assert "21 millions d'euros" in kept["summary"]  # the machine's text follows the fact
    assert "Fermatik, la relève de l'agriculture" in desk.out("digest.txt")
    assert "Fermatik, la relève de l&#39;agriculture" in desk.out("index.html")
    rows = desk.db.execute(
        "SELECT field, editor FROM story_overrides WHERE story_id = ? ORDER BY field", (story.id,)
    ).fetchall()
    assert [tuple(r) for r in rows] == [("amount", USER), ("headline", USER)]
    assert f"modifié par {USER}" in desk.client.get(f"/editor/editions/{desk.edition_id}").text

    # a new poll and a rebuild never overwrite the editor's values
    poller.poll_feeds(desk.db, desk.config)
    assert "reconstruite" in desk.flash(desk.post("/rebuild"))
    assert _json_story(desk, story.id)["headline"] == "Fermatik, la relève de l'agriculture"
    assert _json_story(desk, story.id)["amount"]["value"] == 21_000_000

    undone = desk.post(f"/stories/{story.id}/undo/headline", edit)
    assert "titre rendu à la valeur de la machine" in desk.flash(undone)
    back = _json_story(desk, story.id)
    assert back["headline"] != "Fermatik, la relève de l'agriculture"
    assert "21 millions" in back["headline"] + back["summary"]  # the amount is still theirs
    desk.post(f"/stories/{story.id}/undo/amount", edit)
    assert _json_story(desk, story.id)["amount"]["value"] == story.amount.value
    assert _json_story(desk, story.id)["headline"] == story.headline
    assert desk.db.execute("SELECT COUNT(*) FROM story_overrides").fetchone()[0] == 0


def test_wrong_values_are_refused_in_french_and_editor_text_is_escaped(desk: Desk) -> None:
    story = layout(desk.edition()).investments[0]
    edit = f"/stories/{story.id}/edit"
    for data, said in (
        ({"amount": "beaucoup"}, "Montant illisible « beaucoup »"),
        ({"amount": "20 M$", "currency": "EUR"}, "le texte dit USD, la devise choisie est EUR"),
        ({"amount": "20", "currency": "XYZ"}, "Devise inconnue « XYZ »"),
        ({"headline": "   "}, "Titre : ne peut pas être vide."),
        ({"headline": "x" * 161}, "Titre : 161 caractères, au plus 160."),
        ({"jobs": "une centaine"}, "Emplois : « une centaine » n'est pas un nombre entier."),
    ):
        refused = desk.post(edit + "?back=edit", edit, **data)
        assert refused.headers["location"].endswith(edit)  # back to the form
        assert said in desk.flash(refused)
    assert desk.db.execute("SELECT COUNT(*) FROM story_overrides").fetchone()[0] == 0

    hostile = '<script>alert("x")</script> & co'
    desk.post(edit, edit, headline=hostile, summary="Résumé de la rédaction.", jobs="")
    page = desk.client.get(f"/editor/editions/{desk.edition_id}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<script>alert" not in desk.out("index.html")
    assert _json_story(desk, story.id)["headline"] == hostile
    assert _json_story(desk, story.id)["summary"] == "Résumé de la rédaction."


def test_a_held_story_written_by_the_editor_is_theirs_to_send(desk: Desk) -> None:
    story = layout(desk.edition()).brief[-1]
    row = desk.db.execute("SELECT written FROM stories WHERE id = ?", (story.id,)).fetchone()
    written = {**json.loads(row[0]), "held_reason": "Absent des sources : Atlantide"}
    desk.db.execute("UPDATE stories SET written = ? WHERE id = ?", (json.dumps(written), story.id))
    desk.post("/rebuild")
    assert _json_story(desk, story.id)["held"] == "Absent des sources : Atlantide"
    edit = f"/stories/{story.id}/edit"
    assert (
        "écrivez vous-même le titre et le résumé"
        in desk.client.get(f"/editor/editions/{desk.edition_id}{edit}").text
    )
    desk.post(edit, edit, headline="Un titre de la rédaction")
    assert _json_story(desk, story.id)["held"]  # the summary is still the machine's
    desk.post(edit, edit, summary="Un résumé de la rédaction.")
    shown = _json_story(desk, story.id)
    assert shown["headline"] == "Un titre de la rédaction" and shown["held"] is None
    assert "Un titre de la rédaction" in desk.out("digest.txt")


def test_a_pasted_text_becomes_a_story_of_the_edition(desk: Desk) -> None:
    before = {s.id for s in desk.edition().stories}
    done = desk.post("/add", "/add", title=ADDED_TITLE, text=ADDED_TEXT, url="")
    assert done.headers["location"].endswith("#stories")
    assert "Article ajouté : « Brindille Robotique" in desk.flash(done)
    new = [s for s in desk.stories_json() if s["id"] not in before]
    assert len(new) == 1 and "Brindille Robotique" in new[0]["headline"]
    assert new[0]["amount"]["value"] == 7_000_000
    assert "Brindille Robotique" in desk.out("digest.txt")
    feed = desk.db.execute(
        "SELECT f.name, f.active, i.title FROM items i JOIN feeds f ON f.id = i.feed_id"
        " WHERE f.origin = 'editor'"
    ).fetchall()
    assert [tuple(r) for r in feed] == [(EDITOR_FEED_NAME, 0, ADDED_TITLE)]
    assert EDITOR_FEED_NAME in desk.out("index.html")
    # and it can be edited like any story
    edit = f"/stories/{new[0]['id']}/edit"
    desk.post(edit, edit, investors="Capital Horizon\nVallée Ventures\nFonds Tilleul")
    assert _json_story(desk, new[0]["id"])["investors"][-1] == "Fonds Tilleul"

    nothing = desk.post("/add", "/add", title="Météo", text="Il fera beau demain sur Lyon. " * 4)
    assert "aucun investissement n'y a été reconnu" in desk.flash(nothing)
    assert "Indiquez un lien" in desk.flash(desk.post("/add", "/add", url="", text=""))


def test_a_link_is_fetched_read_and_added(desk: Desk) -> None:
    page = (
        "<html><head><title>Brindille Robotique lève 7 M€</title><script>x()</script></head>"
        "<body><nav><p>Accueil Rubriques</p></nav><article>"
        + "".join(f"<p>{s}.</p>" for s in ADDED_TEXT.split(". "))
        + "</article><footer><p>Mentions légales</p></footer></body></html>"
    ).encode()
    server = FeedServer()
    server.routes["/article"] = fixed(200, page, {"Content-Type": "text/html; charset=utf-8"})
    server.routes["/vide"] = fixed(200, b"<p>Abonnez-vous</p>", {"Content-Type": "text/html"})
    try:
        done = desk.post("/add", "/add", url=server.url("/article"))
        assert "Article ajouté" in desk.flash(done)
        text = desk.db.execute(
            "SELECT i.text FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.origin = 'editor'"
        ).fetchone()[0]
        assert "Capital Horizon" in text and "Accueil" not in text and "Mentions" not in text
        assert any(server.url("/article") in s["items"][0]["url"] for s in desk.stories_json()
                   if "Brindille" in s["headline"])  # fmt: skip
        empty = desk.post("/add", "/add", url=server.url("/vide"))
        assert "Aucun texte d'article trouvé" in desk.flash(empty)
        assert "le serveur a répondu 404" in desk.flash(
            desk.post("/add", "/add", url=server.url("/nulle-part"))
        )
    finally:
        server.close()
    bad = desk.post("/add", "/add", url="file:///etc/passwd")
    assert "Lien non valide" in desk.flash(bad)


def test_private_addresses_are_refused_unless_configured(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_env(monkeypatch)
    config = base_config(tmp_path)  # polling.allow_private_addresses left false
    db_path = copy_db(built_db(tmp_path_factory), tmp_path / "web.db")
    db = open_db(db_path)
    latest = editions.latest(db)
    assert latest is not None
    with serving(config, db_path) as url, httpx.Client(base_url=url, timeout=60) as client:
        login(client)
        desk = Desk(client, db, latest.id, config)
        refused = desk.post("/add", "/add", url=f"{url}/editions")
        said = desk.flash(refused)
        assert "Page non récupérée" in said and "refused" in said
    assert db.execute("SELECT COUNT(*) FROM feeds WHERE origin = 'editor'").fetchone()[0] == 0
    db.close()


def test_pinning_and_moving_change_the_emails_order(desk: Desk) -> None:
    plan = layout(desk.edition())
    first, second = plan.rounds[0], plan.rounds[1]
    pinned = plan.investments[-1]
    done = desk.post(f"/stories/{pinned.id}/pin")
    assert done.headers["location"].endswith(f"#story-{pinned.id}")
    assert "à la une" in desk.flash(done)
    assert desk.stories_json()[0]["id"] == pinned.id
    edition = desk.edition()
    assert edition.stories[0].id == pinned.id
    assert pinned.headline.split()[0] in edition.subject  # the subject names the new lead
    assert "Épinglé à la une" in desk.client.get(f"/editor/editions/{desk.edition_id}").text

    moved = desk.post(f"/stories/{second.id}/up")
    assert "monté d'une place" in desk.flash(moved)
    ids = [s["id"] for s in desk.stories_json()]
    assert ids.index(second.id) < ids.index(first.id)
    text = desk.out("digest.txt")
    assert text.index(second.headline[:40]) < text.index(first.headline[:40])
    html = desk.out("index.html")
    assert html.index(unescape_safe(second.headline[:30])) < html.index(
        unescape_safe(first.headline[:30])
    )
    top = desk.post(f"/stories/{second.id}/up")
    assert "déjà en tête de sa rubrique" in desk.flash(top)

    # kept across a rebuild; pinning again unpins
    desk.post("/rebuild")
    assert desk.stories_json()[0]["id"] == pinned.id
    desk.post(f"/stories/{pinned.id}/pin")
    assert desk.stories_json()[0]["id"] == plan.lead.id


def unescape_safe(text: str) -> str:
    """How the email's HTML writes a headline (apostrophes escaped)."""
    return text.replace("'", "&#39;")


def test_subject_preheader_and_opening_are_the_editors(desk: Desk) -> None:
    page = desk.client.get(f"/editor/editions/{desk.edition_id}/wording")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/counter.js">' in page.text and "<script>" not in page.text
    assert desk.client.get("/static/counter.js").status_code == 200

    subject = "Quatre milliards pour la France, et 17 autres annonces"
    preheader = "Aussi : Amazon, Helvia Data et FertigHy, les levées de Fermatik et Brume Robotics."
    opening = "Bonjour à toutes et à tous : une semaine record pour l'investissement."
    done = desk.post("/wording", "/wording", subject=subject, preheader=preheader, opening=opening)
    said = desk.flash(done)
    assert "l'objet, le pré-en-tête et la phrase d'ouverture enregistrés" in said
    assert "pré-en-tête court" in said  # 84 characters: saved, with the advice
    edition = desk.edition()
    assert (edition.subject, edition.preheader, edition.opening) == (subject, preheader, opening)
    message = email.message_from_string(desk.out("message.eml"), policy=default)
    assert message["Subject"] == subject
    assert opening in desk.out("digest.txt")
    assert "Bonjour à toutes et à tous" in desk.out("index.html")
    assert preheader.split(":")[1].strip()[:20] in desk.out("index.html")

    desk.post("/rebuild")
    assert desk.edition().subject == subject

    too_long = desk.post("/wording?back=wording", "/wording", subject="x" * 79)
    assert too_long.headers["location"].endswith("/wording")
    assert "L'objet fait 79 caractères : au plus 78." in desk.flash(too_long)
    desk.post("/wording/undo/subject", "/wording")
    assert desk.edition().subject != subject and desk.edition().opening == opening


def test_an_approved_edition_is_not_edited(desk: Desk) -> None:
    story = desk.edition().stories[0]
    desk.post("/approve")
    refused = desk.post(f"/stories/{story.id}/edit", headline="Autre titre")
    assert "mettez-la d'abord en attente" in desk.flash(refused)
    assert "mettez-la d'abord en attente" in desk.flash(desk.post("/wording", subject="Objet"))
    assert desk.db.execute("SELECT COUNT(*) FROM story_overrides").fetchone()[0] == 0
    assert desk.db.execute("SELECT COUNT(*) FROM edition_overrides").fetchone()[0] == 0
    assert desk.edition().state == "approved"
