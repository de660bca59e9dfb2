"""Fusion of a story's facts: votes by independent outlets, priorities, conflicts kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import parse_config
from digest.models import Amount, Figure, Item, Mention, Quantity
from digest.write.fusion import merge, timeframe_key
from digest.write.settings import WriteSettings

T0 = datetime(2024, 5, 13, 8, tzinfo=UTC)


def cfg(extra: str = "") -> WriteSettings:
    text = (
        "feeds:\n  - {name: Le Fil Tech, url: a.xml}\n"
        "  - {name: Tech Matin, url: b.xml, priority: 5}\n"
    )
    return WriteSettings.of(parse_config(text + extra, Path("feeds.yaml")))


def item(n: int, outlet: str, copy_of: int | None = None, hours: int = 0) -> Item:
    return Item(
        feed_id=n,
        guid=f"g{n}",
        url=f"https://example.org/{n}",
        title=f"Titre {n}",
        text="",
        published=T0 + timedelta(hours=hours or n),
        id=n,
        feed_name=outlet,
        duplicate_of=copy_of,
    )


def said(n: int, outlet: str, copy_of: int | None = None, hours: int = 0, **facts):
    return Mention(item_id=n, id=n, investor="Amazon", **facts), item(n, outlet, copy_of, hours)


def eur(v: float) -> Amount:
    return Amount(v, "EUR")


def usd(v: float) -> Amount:
    return Amount(v, "USD")


def test_majority_of_outlets_wins_and_the_minority_is_kept_with_its_outlet() -> None:
    pairs = [
        said(1, "Le Fil Tech", amount=usd(1.2e9)),
        said(2, "Tech Matin", amount=eur(1.2e9)),
        said(3, "Startup Hebdo", amount=eur(1.2e9)),
        said(4, "L'Écho", amount=eur(1.2e9)),
    ]
    facts = merge(pairs, cfg())
    assert (facts.amount.value, facts.amount.currency) == (1.2e9, "EUR")
    (conflict,) = facts.conflicts
    assert conflict.field == "amount.currency"
    assert [(v.value, v.sources) for v in conflict.values] == [
        ("EUR", ["Tech Matin", "Startup Hebdo", "L'Écho"]),
        ("USD", ["Le Fil Tech"]),
    ]
    assert [(r.field, r.text, r.sources) for r in facts.rivals] == [
        ("amount", "1,2 milliard de dollars", ["Le Fil Tech"])
    ]


def test_syndicated_copies_count_once() -> None:
    pairs = [
        said(1, "Le Fil Tech", jobs=Quantity(2000)),
        said(2, "Copie A", copy_of=1, jobs=Quantity(2000)),
        said(3, "Copie B", copy_of=1, jobs=Quantity(2000)),
        said(4, "Tech Matin", jobs=Quantity(3000)),
        said(5, "Startup Hebdo", jobs=Quantity(3000)),
    ]
    facts = merge(pairs, cfg())
    assert facts.jobs.value == 3000  # two independent outlets against one copied three times
    conflict = facts.conflicts[0]
    assert conflict.field == "jobs.value"
    assert conflict.values[1].sources == ["Le Fil Tech", "Copie A", "Copie B"]


def test_ties_go_to_source_priority_then_feed_priority() -> None:
    pairs = [
        said(1, "Le Fil Tech", jobs=Quantity(2000)),
        said(2, "Tech Matin", jobs=Quantity(3000)),
    ]
    assert merge(pairs, cfg()).jobs.value == 3000  # Tech Matin has feed priority 5
    trusted = cfg("writing:\n  source_priority: [Le Fil Tech]\n")
    assert merge(pairs, trusted).jobs.value == 2000  # source_priority comes first


def test_one_amount_stated_in_two_currencies_is_not_a_conflict() -> None:
    both = Amount(4e9, "EUR", equivalents=[Amount(4.3e9, "USD")])
    pairs = [
        said(1, "Le Fil Tech", amount=both),
        said(2, "Tech Matin", amount=usd(4.3e9)),
        said(3, "Startup Hebdo", amount=eur(4e9)),
        said(4, "L'Écho", amount=Amount(4e9, None)),
    ]
    facts = merge(pairs, cfg())
    assert facts.conflicts == []
    assert (facts.amount.value, facts.amount.currency) == (4e9, "EUR")
    assert [(e.value, e.currency) for e in facts.amount.equivalents] == [(4.3e9, "USD")]


def test_an_equivalent_a_thousand_times_off_is_not_the_same_money() -> None:
    typo = Amount(6.8e8, "USD", equivalents=[Amount(5.86e11, "EUR")])  # "milliards" for millions
    pairs = [
        said(1, "Tech Matin", amount=typo),  # the outlet of highest priority comes first
        said(2, "Le Fil Tech", amount=Amount(6.8e8, "USD", equivalents=[eur(5.8e8)])),
    ]
    facts = merge(pairs, cfg())
    assert (facts.amount.value, facts.amount.currency) == (6.8e8, "USD")
    assert [(e.value, e.currency) for e in facts.amount.equivalents] == [(5.8e8, "EUR")]


def test_a_different_value_is_a_value_conflict() -> None:
    pairs = [
        said(1, "Le Fil Tech", amount=eur(1e9)),
        said(2, "Tech Matin", amount=eur(1.2e9)),
        said(3, "Startup Hebdo", amount=eur(1.2e9)),
    ]
    facts = merge(pairs, cfg())
    assert facts.amount.value == 1.2e9
    assert [c.field for c in facts.conflicts] == ["amount.value"]
    assert facts.conflicts[0].values[1].value == "1 milliard d'euros"


def test_an_outlets_latest_item_is_its_word() -> None:
    pairs = [
        said(1, "Le Fil Tech", hours=1, jobs=Quantity(2000)),
        said(2, "Le Fil Tech", hours=9, jobs=Quantity(3000)),
        said(3, "Tech Matin", hours=2, jobs=Quantity(3000)),
    ]
    facts = merge(pairs, cfg())
    assert facts.jobs.value == 3000
    assert facts.conflicts == []


def test_timeframes_compare_by_year_or_duration() -> None:
    assert timeframe_key("d'ici fin 2027") == timeframe_key("d'ici à 2027")
    assert timeframe_key("sur trois ans") == timeframe_key("sur 3 ans")
    pairs = [
        said(1, "Le Fil Tech", timeframe="d'ici fin 2027"),
        said(2, "Tech Matin", timeframe="d'ici 2027"),
        said(3, "Startup Hebdo", timeframe="sur cinq ans"),
    ]
    assert merge(pairs, cfg()).conflicts == []  # a year and a duration are not comparable
    pairs.append(said(4, "L'Écho", timeframe="d'ici 2030"))
    (conflict,) = merge(pairs, cfg()).conflicts
    assert conflict.field == "timeframe"
    assert conflict.values[1].value == "d'ici 2030"


def test_places_are_united_and_qualifiers_voted() -> None:
    pairs = [
        said(
            1,
            "Le Fil Tech",
            country="France",
            places=["Paris", "France"],
            jobs=Quantity(50, "about"),
        ),
        said(
            2,
            "Tech Matin",
            country="France",
            places=["Mulhouse", "paris"],
            jobs=Quantity(50, "about"),
        ),
        said(3, "Startup Hebdo", places=["Marseille"], jobs=Quantity(50)),
    ]
    facts = merge(pairs, cfg())
    assert facts.locations == ["Paris", "Mulhouse", "Marseille"]
    assert facts.country == "France"
    assert facts.jobs == Quantity(50, "about", "")


def test_a_companys_home_country_is_no_rival_to_the_investments_country() -> None:
    deal = "Nordhavn Energi investit 250 millions d'euros en France, à Dunkerque."
    home = "La société danoise Nordhavn Energi investit 250 millions d'euros à Dunkerque."
    pairs = [
        said(1, "Le Fil Tech", amount=eur(250e6), country="France", evidence={"deal": deal}),
        said(2, "Tech Matin", amount=eur(250e6), country="France", places=["Dunkerque"]),
        said(3, "Hexagone Eco", amount=eur(250e6), country="Danemark", evidence={"deal": home}),
        said(4, "Capital Pousse", amount=eur(250e6), country="Danemark", evidence={"deal": home}),
    ]
    for m, _ in pairs[1:]:
        m.evidence = m.evidence or {"deal": home}
    facts = merge(pairs, cfg())
    assert facts.country == "France"  # the unplaced majority does not win either
    assert not [c for c in facts.conflicts if c.field == "country"]


def test_outlets_placing_the_investment_in_two_countries_disagree() -> None:
    pairs = [
        said(1, "Le Fil Tech", amount=eur(1e9), country="France",
             evidence={"deal": "Amazon investit 1 milliard d'euros en France."}),
        said(2, "Tech Matin", amount=eur(1e9), country="Espagne",
             evidence={"deal": "Amazon investit 1 milliard d'euros en Espagne."}),
    ]  # fmt: skip
    (conflict,) = [c for c in merge(pairs, cfg()).conflicts if c.field == "country"]
    assert {v.value for v in conflict.values} == {"France", "Espagne"}


def test_a_programme_figures_date_is_not_the_deals_timeframe() -> None:
    amount = "Microsoft investit 4 milliards d'euros en France d'ici 2027."
    gpus = "Le plan prévoit 25 000 GPU d'ici fin 2025."
    english = "It also plans to train 10,000 French developers on its tools by 2026."
    pairs = [
        said(1, "Le Fil Tech", amount=eur(4e9), timeframe="d'ici 2027",
             evidence={"amount": amount, "timeframe": amount}),
        said(2, "Tech Matin", amount=eur(4e9), timeframe="d’ici fin 2025",
             figures=[Figure("gpus", Quantity(25000), "d’ici fin 2025")],
             evidence={"amount": "4 milliards d'euros.", "timeframe": gpus}),
        said(3, "Wire", amount=eur(4e9), timeframe="by 2026",
             evidence={"amount": "$4bn.", "timeframe": english}),
    ]  # fmt: skip
    facts = merge(pairs, cfg())
    assert facts.timeframe == "d'ici 2027"
    assert not [c for c in facts.conflicts if c.field == "timeframe"]
    # a date stated with the amount stays the deal's, even when a figure shares it
    pairs[1][0].evidence["amount"] = gpus
    (conflict,) = [c for c in merge(pairs, cfg()).conflicts if c.field == "timeframe"]
    assert sorted(v.sources for v in conflict.values) == [["Le Fil Tech"], ["Tech Matin"]]


def test_english_timeframes_are_written_in_french_and_compared_with_french_ones() -> None:
    assert timeframe_key("over the next five years") == timeframe_key("sur cinq ans")
    assert timeframe_key("by the end of 2027") == timeframe_key("d'ici fin 2027")
    english = item(1, "Wire Monde")
    english.lang = "en"
    pairs = [(Mention(item_id=1, id=1, investor="Amazon", timeframe="this year"), english)]
    assert merge(pairs, cfg()).timeframe == "cette année"
    pairs = [(Mention(item_id=1, id=1, investor="Amazon", timeframe="over the long run"), english)]
    assert merge(pairs, cfg()).timeframe is None  # never shown in English
    pairs = [
        (Mention(item_id=1, id=1, investor="Amazon", timeframe="by 2030"), english),
        (
            Mention(item_id=2, id=2, investor="Amazon", timeframe="d'ici 2027"),
            item(2, "Tech Matin"),
        ),
    ]
    (conflict,) = merge(pairs, cfg()).conflicts
    assert sorted(v.value for v in conflict.values) == ["d'ici 2027", "d'ici 2030"]


def test_an_outlets_other_figures_for_the_deal_are_background_not_rivals() -> None:
    page = item(2, "Tech Matin")
    pairs = [
        said(1, "Le Fil Tech", amount=eur(1.3e9)),
        (Mention(item_id=2, id=2, investor="Amazon", amount=eur(1.4e9)), page),
        (Mention(item_id=2, id=3, investor="Amazon", amount=eur(8e8)), page),  # a past round
        (Mention(item_id=2, id=4, investor="Amazon", amount=eur(6.5e8)), page),  # a part
    ]
    facts = merge(pairs, cfg())
    assert facts.amount.value == 1.4e9  # two outlets, one each: the more trusted feed's word
    assert [(r.text, r.sources) for r in facts.rivals] == [
        ("1,3 milliard d'euros", ["Le Fil Tech"])
    ]


def test_the_company_raising_never_leads_its_own_round() -> None:
    def round_of(n: int, outlet: str, **facts):
        return Mention(item_id=n, id=n, kind="funding_round", beneficiary="Nuvelia", **facts), item(
            n, outlet
        )

    pairs = [
        round_of(1, "Le Fil Tech", lead="Nuvelia", investors=["Nuvelia", "Orme Capital"]),
        round_of(2, "Tech Matin", lead="Nuvelia", investors=["Nuvelia"]),
        round_of(3, "Startup Hebdo", lead="Orme Capital", investors=["Orme Capital"]),
    ]
    facts = merge(pairs, cfg())
    assert facts.beneficiary == "Nuvelia"
    assert facts.investors == ["Orme Capital"]


def test_the_company_raising_read_investing_on_one_page_is_not_the_storys_investor() -> None:
    def mention(n: int, outlet: str, kind: str, **facts):
        return Mention(item_id=n, id=n, kind=kind, amount=eur(40e6), **facts), item(n, outlet)

    pairs = [
        mention(1, "Le Fil Tech", "funding_round", beneficiary="Nuvelia"),
        mention(2, "Tech Matin", "funding_round", beneficiary="Nuvelia", investors=["Orme"]),
        mention(3, "Startup Hebdo", "investment", investor="Nuvelia"),  # "a conclu 40 M€"
    ]
    facts = merge(pairs, cfg())
    assert (facts.investor, facts.beneficiary, facts.investors) == (None, "Nuvelia", ["Orme"])
    # a story most of whose pages tell the company investing keeps it as its investor
    invests = [mention(4, "Le Fil Tech", "investment", investor="Nuvelia"), *pairs[1:]]
    assert merge(invests, cfg()).investor == "Nuvelia"


def test_an_investor_named_short_and_long_is_one_investor_with_all_its_outlets() -> None:
    def round_of(n: int, outlet: str, investors: list[str]):
        m = Mention(
            item_id=n, id=n, kind="funding_round", beneficiary="Nuvelia", investors=investors
        )
        return m, item(n, outlet)

    pairs = [
        round_of(1, "Le Fil Tech", ["Orme", "Kestrel", "Fonds Alpha"]),
        round_of(2, "Tech Matin", ["Orme Capital Partners", "Fonds Alpha", "Kestrel"]),
    ]
    assert merge(pairs, cfg()).investors == ["Orme Capital Partners", "Kestrel", "Fonds Alpha"]
    lead = [round_of(3, "Startup Hebdo", ["Orme Capital Partners"]), *pairs[1:]]
    lead[0][0].lead = "Orme"
    assert merge(lead, cfg()).investors == ["Orme", "Fonds Alpha", "Kestrel"]


def test_a_past_round_an_item_recalls_gives_the_story_neither_round_nor_investors() -> None:
    def round_of(n: int, outlet: str, mention_id: int, **facts):
        m = Mention(item_id=n, id=mention_id, kind="funding_round", beneficiary="Nuvelia", **facts)
        return m, item(n, outlet)

    pairs = [
        round_of(1, "Le Fil Tech", 1, amount=eur(18e6)),
        round_of(2, "Tech Matin", 2, amount=eur(18e6)),
        # the same page recalls the seed round and its investors
        round_of(2, "Tech Matin", 3, amount=usd(24e6), round="seed", investors=["Orme Capital"]),
    ]
    facts = merge(pairs, cfg())
    assert facts.amount == eur(18e6)
    assert (facts.round, facts.investors) == (None, [])


def test_an_outlet_giving_only_another_figure_still_names_the_investors() -> None:
    def round_of(n: int, outlet: str, **facts):
        m = Mention(item_id=n, id=n, kind="funding_round", beneficiary="Nuvelia", **facts)
        return m, item(n, outlet)

    pairs = [
        round_of(1, "Le Fil Tech", amount=eur(18e6)),
        round_of(2, "Tech Matin", amount=eur(18e6)),
        round_of(3, "Startup Hebdo", amount=eur(20e6), round="serie_b", lead="Orme Capital"),
    ]
    facts = merge(pairs, cfg())
    assert (facts.round, facts.investors) == ("serie_b", ["Orme Capital"])


def page(n: int, outlet: str, title: str, text: str) -> Item:
    return replace(item(n, outlet), title=title, text=text)


def test_the_story_is_named_by_the_company_its_pages_open_with() -> None:
    # three pages on one round; the best-trusted outlet's reader took the fund, named only far
    # down its page, for the company: the name the pages' titles and openings write wins
    opening = "La jeune pousse lyonnaise Verdelune annonce une levée pour ses capteurs. "
    deep = "Son dirigeant détaille les usages agricoles et les essais menés. " * 20
    fund = "Le fonds Cormoran Partners mène le tour."
    pairs = [
        (
            Mention(item_id=1, id=1, beneficiary="Cormoran Partners", amount=eur(8e6)),
            page(1, "Tech Matin", "Verdelune lève 8 millions d'euros", opening + deep + fund),
        ),
        (
            Mention(item_id=2, id=2, beneficiary="Verdelune", amount=eur(8e6)),
            page(2, "Le Fil Tech", "8 millions pour Verdelune", opening + deep + fund),
        ),
        (
            Mention(item_id=3, id=3, amount=eur(8e6)),
            page(3, "Startup Hebdo", "Capteurs agricoles : Verdelune lève des fonds", opening),
        ),
    ]
    assert merge(pairs, cfg()).beneficiary == "Verdelune"


def test_a_round_lead_and_jobs_told_by_one_page_only_reach_the_story() -> None:
    def round_of(n: int, outlet: str, **facts):
        m = Mention(item_id=n, id=n, kind="funding_round", beneficiary="Nuvelia", **facts)
        return m, item(n, outlet)

    pairs = [
        round_of(1, "Le Fil Tech", amount=eur(12e6)),
        round_of(
            2,
            "Tech Matin",
            amount=eur(12e6),
            round="serie_a",
            lead="Orme Capital",
            investors=["Orme Capital", "Kestrel Ventures"],
            jobs=Quantity(35),
        ),
        round_of(3, "Startup Hebdo", amount=eur(12e6)),
    ]
    facts = merge(pairs, cfg())
    assert (facts.round, facts.investors) == ("serie_a", ["Orme Capital", "Kestrel Ventures"])
    assert facts.jobs is not None and facts.jobs.value == 35
