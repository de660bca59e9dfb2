"""A story every page of which leads with another topic than a deal (an inauguration, a state
aid, a fund's own fund…) is held back with the topics as its reason; one page telling a deal
is enough to show it."""

from __future__ import annotations

from digest.models import Amount, Mention
from digest.write.other_news import head, other_news, titled_deal
from tests.support.items import news_item

PLANT = Mention(1, id=1, investor="Batterix", amount=Amount(9e8, "EUR", "exact", "900 M€"))


def page(n: int, title: str, text: str):
    return news_item(title, text, url=f"https://example.org/{n}", id=n)


OPENED = page(1, "Batterix inaugure son usine du Nord", "Le site de 900 M€ ouvre ses lignes.")
AIDED = page(
    2,
    "Cellules : feu vert de Bruxelles",
    "Une aide d'État de 300 M€ ira à l'usine de Batterix, un projet de 900 M€.",
)
ANNOUNCED = page(3, "Batterix va investir 900 M€ dans le Nord", "L'usine ouvrira en 2027.")


def test_a_story_whose_every_page_is_about_something_else_is_held() -> None:
    reason = other_news([(PLANT, OPENED), (PLANT, AIDED)])
    assert reason is not None
    assert "inauguration" in reason and "aide publique" in reason


def test_one_page_announcing_the_deal_shows_the_story() -> None:
    assert other_news([(PLANT, OPENED), (PLANT, ANNOUNCED)]) is None
    assert other_news([(PLANT, ANNOUNCED)]) is None


def test_the_lead_is_read_past_a_title_the_text_repeats() -> None:
    item = page(4, "Batterix ouvre", "Batterix ouvre. La suite du texte.")
    assert head(item) == "Batterix ouvre\nLa suite du texte."


def told(n: int, story: str, stated: str, value: float) -> Mention:
    return Mention(4, id=n, story_id=story, amount=Amount(value, "EUR", "exact", stated))


def test_a_round_up_is_news_unless_its_lead_states_one_of_its_deals() -> None:
    listing = page(
        4,
        "Le semestre des licornes",
        "Deux pépites préparent leur entrée en Bourse. "
        + "Le marché reste prudent et les fonds trient les dossiers. " * 10
        + "Plus loin : Loupio lève 40 M€, Tamarix 25 M€.",
    )
    deals = [told(5, "st-loupio", "40 M€", 4e7), told(6, "st-tamarix", "25 M€", 2.5e7)]
    assert other_news([(deals[0], listing)], {4: deals}) is None
    visit = page(4, "Visite du ministre chez Loupio : un plan de 2 milliards", "Le texte suit.")
    plan = [told(7, "st-plan", "2 milliards", 2e9), deals[0]]
    assert other_news([(plan[1], visit)], {4: plan}) is not None


def test_one_company_s_figures_at_its_inauguration_are_not_a_round_up() -> None:
    """A page about a site's opening gives what the site cost and another figure of the same
    group further down: both are the inauguration's, not several deals listed; deals of two
    companies on such a page are a round-up and stay news."""
    opening = page(
        5,
        "Le centre de Batterix entre en service",
        "Batterix a inauguré lundi son centre de maintenance du Nord. "
        + "Le groupe y voit une étape, dans une région qui recrute. " * 10
        + "Le site a coûté 120 M€ ; un atelier de 15 M€ suivra, a ajouté son directeur.",
    )
    site = Mention(5, id=8, story_id="st-site", investor="Batterix", amount=Amount(1.2e8, "EUR"))
    workshop = Mention(
        5, id=9, story_id="st-atelier", investor="Batterix", amount=Amount(1.5e7, "EUR")
    )
    reason = other_news([(site, opening)], {5: [site, workshop]})
    assert reason is not None and "inauguration" in reason
    other = Mention(5, id=10, story_id="st-loupio", beneficiary="Loupio", amount=Amount(4e7, "EUR"))
    assert other_news([(site, opening)], {5: [site, other]}) is None


def test_an_investing_noun_in_a_title_without_a_sum_tells_no_deal() -> None:
    """'Plan' or 'investissement' in a title is a deal only beside a figure; a verb of
    investing is one on its own."""
    assert not titled_deal("Le pays, un marché de premier plan pour Batterix")
    assert titled_deal("Batterix : un plan de 900 M€ pour le Nord")
    assert titled_deal("Batterix va investir dans le Nord")
