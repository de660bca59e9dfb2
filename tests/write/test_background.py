"""A story that is only the background of another firm's deal (an earlier backer's round, the
state's aid to a firm's site) is held with the firm its page speaks of; the page's own deal, a
round-up's deals and the state's own plan are not."""

from __future__ import annotations

from digest.models import Amount, Mention, Story
from digest.write.background import about_another, larger_story, outnamed
from tests.write.test_writer import item

PAGE = (
    "Brumel lève 30 millions d'euros auprès de Kestrel. La fintech Brumel, fondée à Nantes, "
    "avait trouvé 5 millions d'euros auprès de Vantor en 2021. Brumel compte 80 salariés et "
    "Brumel vise l'Europe."
)
SITE = (
    "Brumel ouvre une usine à Lens. L'État français apportera 12 millions d'euros. "
    "Brumel y emploiera 200 personnes et Brumel y fabriquera des batteries."
)
PLAN = (
    "L'État débloque 400 millions d'euros pour former à l'IA. L'État confie le programme aux "
    "universités; l'État en attend 100 000 diplômés."
)


def mention(n: int, story: str, amount: float, **facts: object) -> Mention:
    return Mention(n, id=n, story_id=story, amount=Amount(amount, "EUR", "exact", "x"), **facts)


def story(story_id: str, **facts: object) -> Story:
    return Story(story_id, "funding_round", **facts)


def test_an_earlier_backer_on_a_larger_story_s_page_is_background() -> None:
    page = item(1, "Le Fil", PAGE)
    news = mention(1, "st-news", 30e6, beneficiary="Brumel", investors=["Kestrel"])
    old = mention(2, "st-old", 5e6, beneficiary="Vantor")
    around = {1: [news, old]}
    sizes = {"st-news": 3, "st-old": 1}
    recalled = story("st-old", beneficiary="Vantor")
    assert outnamed(recalled, "Vantor", page, around) == "Brumel"
    assert larger_story(recalled, page, around, sizes)
    reason = about_another(recalled, "Vantor", [(old, page)], around, sizes)
    assert reason == "Rappelé sur la page d'un autre projet\u202f: Brumel"
    own = story("st-news", beneficiary="Brumel", investors=["Kestrel"])
    assert about_another(own, "Brumel", [(news, page)], around, sizes) is None


def test_a_backer_named_as_often_as_the_page_s_firm_is_not_background() -> None:
    page = item(2, "Le Fil", "Vantor mise 5 millions d'euros sur Brumel. Vantor et Brumel...")
    old = mention(2, "st-old", 5e6, investor="Vantor")
    news = mention(1, "st-news", 30e6, beneficiary="Brumel")
    around = {2: [news, old]}
    backer = story("st-old", investor="Vantor")
    assert about_another(backer, "Vantor", [(old, page)], around, {"st-news": 3}) is None


def test_the_state_s_aid_to_a_firm_s_site_and_the_state_s_own_plan() -> None:
    site = item(3, "Le Fil", SITE)
    aid = mention(3, "st-aid", 12e6, investor="État français")
    reason = about_another(
        Story("st-aid", "investment", investor="État français"),
        "État français",
        [(aid, site)],
        {},
        {},
    )
    assert reason == "Aide publique au projet d'une entreprise\u202f: Brumel"
    plan = item(4, "Le Fil", PLAN)
    own = mention(4, "st-plan", 400e6, investor="État")
    assert (
        about_another(
            Story("st-plan", "investment", investor="État"), "État", [(own, plan)], {}, {}
        )
        is None
    )


def test_a_round_up_s_deals_are_not_each_other_s_background() -> None:
    text = "Brumel, Brumel et Brumel. Vantor lève 5 M€. Orvik lève 9 M€. Sélune lève 2 M€."
    page = item(5, "Le Fil", text)
    deals = [
        mention(n, f"st-{n}", 1e6 * n, beneficiary=b)
        for n, b in enumerate(["Brumel", "Vantor", "Orvik", "Sélune"], 1)
    ]
    sizes = {"st-1": 4, "st-2": 1, "st-3": 1, "st-4": 1}
    one = story("st-2", beneficiary="Vantor")
    assert about_another(one, "Vantor", [(deals[1], page)], {5: deals}, sizes) is None


def test_a_fund_s_money_to_no_firm_on_a_page_about_a_firm_is_that_firm_s() -> None:
    text = (
        "Le fonds Kestrel met 30 millions d'euros dans la société nantaise Brumel. Brumel "
        "note les fournisseurs; Brumel emploie 300 personnes et Brumel vise l'Asie."
    )
    page = item(6, "Le Fil", text)
    stake = Mention(6, id=6, story_id="st-k", amount=Amount(30e6, "EUR", "exact", "x"))
    fund = Story("st-k", "investment", investor="Kestrel")
    reason = about_another(fund, "Kestrel", [(stake, page)], {}, {})
    assert reason == "Investisseur sans entreprise, sur des pages consacrées à\u202f: Brumel"
