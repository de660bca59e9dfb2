"""Single-deal items: the company the item is about wins the deal (its title and lead name it),
a name the model takes for a place stays a company when the item uses it as one, a title cut
short names the same company as the text."""

from __future__ import annotations

from digest.language.names import Org, load_aliases
from digest.language.places import Place
from digest.models import Item
from digest.read import scorer
from digest.read.clauses import Sent, tidy_names
from digest.read.deals import Assembler
from digest.read.reader import Reader
from tests.support.items import news_item


def sent(index: int, text: str, orgs: list[Org], places: list[Place] = (), title=False) -> Sent:
    return Sent(index, text, orgs, list(places), [], [], title=title)


def org(text: str, name: str, source: str = "ner") -> Org:
    start = text.index(name)
    return Org(start, start + len(name), name, name, source)


def test_a_name_used_as_a_company_more_often_than_as_a_place_stays_a_company() -> None:
    one = "Brumel lève 4 millions d'euros."
    two = "Brumel recrute vingt personnes."
    three = "Les bureaux sont chez Brumel."
    at = three.index("Brumel")
    sents = [
        sent(0, one, [org(one, "Brumel", "loc")]),
        sent(1, two, [org(two, "Brumel", "loc")]),
        sent(2, three, [], [Place(at, at + 6, "Brumel", "site", None)]),
    ]
    tidy_names(sents, lambda word: False)
    assert [o.source for s in sents[:2] for o in s.orgs] == ["ner", "ner"]


def test_a_name_used_as_a_place_as_often_as_named_is_a_place() -> None:
    one = "Saint-Lunel accueille le site."
    two = "Le site ouvrira à Saint-Lunel."
    at = two.index("Saint-Lunel")
    sents = [
        sent(0, one, [org(one, "Saint-Lunel", "loc")]),
        sent(1, two, [], [Place(at, at + 11, "Saint-Lunel", "city", "France")]),
    ]
    tidy_names(sents, lambda word: False)
    assert sents[0].orgs == []


def test_a_name_the_title_cuts_short_is_the_whole_name_of_the_text() -> None:
    title = "Le fonds Kestrel mène la levée de Vestiral Collecti"
    text = "Selon ses fondateurs, Vestiral Collective lève 20 millions d’euros."
    sents = [
        sent(0, title, [org(title, "Kestrel"), org(title, "Vestiral Collecti")], title=True),
        sent(1, text, [org(text, "Vestiral Collective")]),
    ]
    a = Assembler(sents, load_aliases(), 2025)
    assert scorer.candidates(a) == ["Kestrel", "Vestiral Collective"]
    features = scorer.name_features(a, "Vestiral Collective", "La Gazette")
    assert features["in title"] == 1.0


def item(title: str, text: str) -> Item:
    return news_item(title, text, feed_name="Le Courrier des Pousses", id=4)


def test_a_deal_sentence_naming_no_one_is_the_deal_of_the_company_the_title_names(
    reader: Reader,
) -> None:
    news = item(
        "Verdanel accélère la production de ses pigments",
        "La société nantaise, hébergée par un incubateur, vient de boucler un tour de table de "
        "9 millions d'euros. Verdanel produira ses pigments à partir de levures. Verdanel "
        "compte doubler ses effectifs.",
    )
    found = [m for m in reader.read(news) if m.amount]
    assert [(m.beneficiary or m.investor, m.amount.value) for m in found] == [
        ("Verdanel", 9_000_000)
    ]
