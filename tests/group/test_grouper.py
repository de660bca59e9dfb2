"""The grouping core, without a database: the right unit, live stories, order independence."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from functools import partial

from digest.group.fit import Weights, evidence
from digest.group.grouper import Grouper, GroupSettings
from digest.models import Amount, Item, Mention, Quantity
from tests.support.items import timed_item

T0 = datetime(2024, 5, 13, 8, 0, tzinfo=UTC)


item = partial(timed_item, start=T0)


def eur(value: float, currency: str | None = "EUR", qualifier="exact", *also: Amount) -> Amount:
    return Amount(value=value, currency=currency, qualifier=qualifier, equivalents=list(also))


def mention(**facts) -> Mention:
    return Mention(item_id=0, **facts)


def partition(labels: list[str]) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for n, label in enumerate(labels):
        groups.setdefault(label, set()).add(n)
    return {frozenset(g) for g in groups.values()}


MS_FR = dict(investor="Microsoft", country="France", places=["Paris", "Mulhouse"])
CORPUS = [
    # 0-2: Microsoft in France, three outlets, three number formats, one in English
    (
        mention(**MS_FR, amount=eur(4e9), jobs=Quantity(3000, "at_least")),
        item(
            "a1",
            "Microsoft va investir 4 milliards d'euros en France",
            "Le groupe américain annonce 4 milliards d'euros pour ses centres de données "
            "en Alsace et en région parisienne, et la formation de 1 million de personnes.",
        ),
    ),
    (
        mention(**MS_FR, amount=eur(4e9, "EUR", "exact", eur(4.3e9, "USD"))),
        item(
            "b1",
            "IA : 4 Md€ de Microsoft pour la France",
            "Microsoft injecte 4 Md€ (4,3 Md$) dans le cloud et l'intelligence artificielle, "
            "avec un nouveau centre de données près de Mulhouse.",
            days=0.2,
            feed="Tech Hebdo",
        ),
    ),
    (
        mention(investor="Microsoft", country="France", amount=eur(4.3e9, "USD")),
        item(
            "c1",
            "Microsoft to invest $4.3bn in French cloud and AI",
            "The company will build a data centre near Mulhouse and train one million people.",
            days=0.5,
            feed="Euro Wire",
        ),
    ),
    # 3: Microsoft in Germany, same week: another deal
    (
        mention(investor="Microsoft", country="Allemagne", places=["Francfort"], amount=eur(3.2e9)),
        item(
            "d1",
            "Microsoft investit 3,2 milliards d'euros en Allemagne",
            "Le groupe double ses capacités de centres de données autour de Francfort.",
            days=1,
        ),
    ),
    # 4: Microsoft's stake in a startup: not its own data centres
    (
        mention(investor="Microsoft", beneficiary="Mistral AI", amount=eur(15e6), country="France"),
        item(
            "e1",
            "Microsoft prend une participation dans Mistral AI",
            "Microsoft investit 15 millions d'euros dans la start-up parisienne Mistral AI.",
            days=1.5,
        ),
    ),
    # 5-6: Amazon's 1,2 Md€ plan and its earlier 2 000-job plan
    (
        mention(investor="Amazon", country="France", amount=eur(1.2e9), jobs=Quantity(3000)),
        item(
            "f1",
            "Amazon investit 1,2 milliard d'euros en France",
            "Amazon Web Services annonce 1,2 milliard d'euros et 3 000 emplois.",
            days=0.1,
        ),
    ),
    (
        mention(investor="Amazon", country="France", jobs=Quantity(2000), places=["Metz"]),
        item(
            "g1",
            "Amazon va créer 2 000 emplois en France",
            "Le géant du commerce en ligne ouvre un entrepôt près de Metz et recrute.",
            days=-10,
        ),
    ),
    # 7: a round-up item feeds every story it mentions
    (
        mention(investor="Microsoft", country="France", amount=eur(4e9)),
        item(
            "r1",
            "Choose France : les annonces du sommet",
            "Microsoft 4 milliards d'euros, Amazon 1,2 milliard, IBM 45 millions.",
            days=0.3,
        ),
    ),
    (
        mention(investor="Amazon", country="France", amount=eur(1.2e9)),
        item(
            "r1",
            "Choose France : les annonces du sommet",
            "Microsoft 4 milliards d'euros, Amazon 1,2 milliard, IBM 45 millions.",
            days=0.3,
        ),
    ),
    # 9-10: a startup's series A, and its series B eight months later
    (
        mention(kind="funding_round", beneficiary="Pennylane", round="serie_a", amount=eur(14e6)),
        item("p1", "Pennylane lève 14 millions d'euros", "La fintech boucle sa série A.", days=2),
    ),
    (
        mention(kind="funding_round", beneficiary="Pennylane", round="serie_b", amount=eur(50e6)),
        item("p2", "Pennylane lève 50 millions", "La fintech boucle sa série B.", days=240),
    ),
    # 11: a follow-up a week later joins the Microsoft France story
    (
        mention(investor="Microsoft", country="France", places=["Mulhouse"]),
        item(
            "h1",
            "Mulhouse : le chantier du centre de données de Microsoft démarre",
            "Une semaine après l'annonce de 4 milliards d'euros, les travaux débutent.",
            days=7,
        ),
    ),
]
EXPECTED = partition(["ms-fr", "ms-fr", "ms-fr", "ms-de", "ms-mistral", "amz", "amz-jobs",
                      "ms-fr", "amz", "pl-a", "pl-b", "ms-fr"])  # fmt: skip


def test_same_deal_joins_and_different_deals_stay_apart():
    got = Grouper().group(CORPUS)
    assert partition(got) == EXPECTED


def test_outcome_does_not_depend_on_arrival_order():
    reference = Grouper().group(CORPUS)
    for seed in range(5):
        order = list(range(len(CORPUS)))
        random.Random(seed).shuffle(order)
        got = Grouper().group([CORPUS[i] for i in order])
        assert [got[order.index(i)] for i in range(len(CORPUS))] == reference


def test_story_ids_are_stable_and_assigned_once():
    grouper = Grouper()
    first = grouper.add(*CORPUS[0])
    assert first.startswith("st-")
    assert grouper.add(*CORPUS[1]) == first
    assert Grouper().add(*CORPUS[0]) == first  # the same creating mention, the same id


def test_a_syndicated_copy_follows_its_original_even_when_its_facts_are_thin():
    original = CORPUS[5]
    copy = (
        mention(investor="Amazon"),  # the reader missed the amount in the copy
        item(
            "z9",
            original[1].title,
            original[1].text + " (avec AFP)",
            days=0.15,
            feed="Regional Daily",
        ),
    )
    grouper = Grouper()
    sid = grouper.add(*original)
    assert grouper.add(*copy) == sid


def test_a_mention_outside_the_window_opens_a_new_story():
    grouper = Grouper(GroupSettings(window_days=3))
    sid = grouper.add(*CORPUS[0])
    late = (CORPUS[11][0], item("h2", CORPUS[11][1].title, CORPUS[11][1].text, days=9))
    assert grouper.add(*late) != sid


def test_candidates_come_from_the_index_not_from_every_story():
    grouper = Grouper()
    grouper.group(CORPUS)
    for n in range(300):  # many unrelated stories
        other = mention(investor=f"Investor {n}", amount=eur(1e6 * (n + 1)))
        grouper.add(other, item(f"x{n}", "t", "u"))
    probe = CORPUS[11]
    assert len(grouper.candidates(evidence(*probe))) <= 4


def test_a_later_page_recalling_a_past_round_in_passing_does_not_join_it_but_an_update_does():
    """News, not memory (issue 14): a page about a new round that recalls the seed round does
    not feed the seed's story; a later page about the seed round itself (an update) does."""
    seed = dict(kind="funding_round", beneficiary="Verdalis", round="seed", places=["Rennes"])
    grouper = Grouper()
    told = "Verdalis lève 3 millions d'euros en amorçage à Rennes"
    first = [
        grouper.add(mention(**seed, amount=eur(3e6)), item(f"v{n}", told, "", days=n / 2))
        for n in range(2)
    ]
    later = item(
        "v9",
        "Verdalis boucle une série A de 14 millions pour recruter des ingénieurs",
        "Un an après son amorçage, la start-up accélère avec un fonds américain.",
        days=300,
    )
    series_a = mention(
        kind="funding_round", beneficiary="Verdalis", round="serie_a", amount=eur(14e6)
    )
    recalled = mention(**seed, amount=eur(3e6))
    got = grouper.group([(series_a, later), (recalled, later)])
    assert first[0] == first[1]
    assert first[0] not in got and got[0] != got[1]
    update = item("v10", told, "Les 3 millions d'euros de l'amorçage à Rennes.", days=60)
    assert grouper.add(mention(**seed, amount=eur(3e6)), update) == first[0]


def test_a_thin_follow_up_polled_before_its_announcement_is_reconciled_with_it():
    grouper = Grouper()
    early = grouper.group([CORPUS[11]])  # the follow-up, alone in the first poll
    later = grouper.group(CORPUS[:3])
    assert len(set(later)) == 1
    assert grouper.resolve(early[0]) == later[0]


def test_near_duplicates_are_found_by_bands_and_told_from_other_texts():
    from digest.group.copies import NearDuplicates, signature, similarity

    text = (
        "Le fabricant d'électrolyseurs annonce une usine à Fos-sur-Mer pour 450 millions "
        "d'euros, avec 300 emplois d'ici 2027 et une mise en service prévue au printemps."
    )
    original = signature("Hydragon investit à Fos", text)
    copy = signature("Hydragon investit à Fos", text + " Avec AFP.")
    other = signature("Amazon investit en France", CORPUS[5][1].text)
    assert similarity(original, copy) >= 0.7 > similarity(original, other)
    index = NearDuplicates(0.7)
    index.add("orig", original)
    index.add("other", other)
    assert index.find(copy) == "orig"
    assert index.find(copy, exclude=["orig"]) is None


def test_a_mention_naming_only_the_investor_needs_more_than_shared_words():
    grouper = Grouper()
    (france,) = set(grouper.group(CORPUS[:3]))
    thin = mention(investor="Microsoft")  # the reader found no amount, country or place
    germany = item(
        "dx",
        "Microsoft investit 3,2 milliards d'euros en Allemagne",
        "Le groupe double ses capacités de centres de données et de cloud autour de Francfort "
        "pour l'intelligence artificielle.",
        days=1,
    )
    assert grouper.add(thin, germany) != france


def test_the_copy_index_forgets_items_older_than_its_horizon():
    from digest.group.copies import NearDuplicates, signature

    index = NearDuplicates(0.7, horizon=6)
    old = signature("Hydragon à Fos", "Une usine d'électrolyseurs de 450 millions d'euros à Fos.")
    index.add("old", old, day=0)
    assert index.find(old, exclude=["x"]) == "old"
    forgotten = index.add("new", signature("Autre", "Un tout autre texte sur Amazon."), day=10)
    assert forgotten == ["old"] and index.find(old) is None
    assert len(index.signatures) == 1


def test_one_company_under_two_names_or_two_roles_is_one_deal() -> None:
    """'FoodTech Sunday' is Sunday; a startup read once as raising and once as spending the
    same sum is one deal; another startup with the same sum is not."""
    raised = dict(kind="funding_round", amount=eur(100e6), country="France")
    pairs = [
        (
            mention(beneficiary="Sunday", **raised),
            item("s1", "Sunday lève 100 millions", "La fintech du paiement lève 100 M€."),
        ),
        (
            mention(beneficiary="FoodTech Sunday", **raised),
            item("s2", "FoodTech Sunday raises €100m", "The payment startup.", 0.5, "Wire"),
        ),
        (
            mention(investor="Sunday", amount=eur(100e6), country="France"),
            item("s3", "Sunday va investir 100 M€", "La fintech du paiement recrute.", 1, "Hebdo"),
        ),
        (
            mention(beneficiary="Monday Labs", **raised),
            item("s4", "Monday Labs lève 100 M€", "La fintech du paiement.", 1, "Matin"),
        ),
    ]
    ids = Grouper().group(pairs)
    assert ids[0] == ids[1] == ids[2] != ids[3]


def test_a_monthly_round_up_lists_a_deal_with_its_figure_weeks_later_and_joins_its_story():
    """A round-up published three weeks after a start-up's own announcement lists it with the
    same figure, restated (12,3 M€ for 12 M€), its country read from the wrong line: it is
    the same deal, though the round-up reads nothing like the start-up's page. Another
    start-up's line, or the same start-up with another figure, stays apart."""
    own = dict(kind="funding_round", beneficiary="Ombrelle", country="France")
    grouper = Grouper()
    announced = grouper.add(
        mention(**own, amount=eur(12.3e6), round="serie_a", places=["Lyon"]),
        item("o1", "Ombrelle lève 12,3 millions", "La jeune pousse lyonnaise des toits solaires."),
    )
    round_up = item(
        "m1",
        "Les levées de fonds du mois",
        "Le palmarès mensuel des tours de table, du plus gros au plus petit.",
        days=21,
        feed="Le Mensuel",
    )
    lines = [
        mention(kind="funding_round", beneficiary="Ombrelle", country="Suisse", amount=eur(12e6)),
        mention(kind="funding_round", beneficiary="Gravillon", amount=eur(12e6)),
    ]
    listed, other = grouper.group([(line, round_up) for line in lines])
    assert listed == announced != other
    later = item("m2", "Les levées de fonds du mois", "Le palmarès suivant.", days=50)
    line = mention(kind="funding_round", beneficiary="Ombrelle", amount=eur(30e6))
    assert grouper.add(line, later) != announced


def test_a_name_written_two_ways_or_with_one_slip_is_one_company() -> None:
    """'Pli Box' and 'PliBox', 'Marmelade Studio' and 'Marmelde Studio' meet; a short name one
    letter from another ('Kora', 'Kara') is another company."""
    from digest.group.fit import aka

    assert aka("pli box", "plibox") and aka("marmelade studio", "marmelde studio")
    assert aka("fromagerie lune", "fromagreie lune")  # two letters swapped
    assert not aka("kora", "kara") and not aka("marmelade", "caramelade studio")
    raised = dict(kind="funding_round", amount=eur(8e6), country="France")
    pairs = [
        (mention(beneficiary="Pli Box", **raised), item("p1", "Pli Box lève 8 M€", "Le colis.")),
        (
            mention(beneficiary="PliBox", **raised),
            item("p2", "PliBox boucle 8 M€", "La boîte à colis.", 0.5, "Hebdo"),
        ),
    ]
    first, second = Grouper().group(pairs)
    assert first == second


def test_a_misread_actor_joins_the_deal_its_title_and_figure_tell() -> None:
    """A page titled with the start-up's name (or, when `Weights.lead` allows, opening with it),
    stating its figure, whose reader took the lead investor for the start-up, joins the
    start-up's story; the same misread on a page titled with another company, or with another
    figure, does not."""
    misread = mention(kind="funding_round", beneficiary="Fonds Nord", amount=eur(12e6))
    opening = "La jeune pousse Ombrelle, qui couvre les toits de panneaux, lève 12 M€."
    cases = [
        (misread, item("o2", "Fonds Nord mène le tour de 12 M€ d'Ombrelle", "Les toits.", 1), 0),
        (misread, item("o5", "Fonds Nord mène un tour de 12 M€", opening, 1), 0),
        (misread, item("o5", "Fonds Nord mène un tour de 12 M€", opening, 1), 60),
        (misread, item("o3", "Fonds Nord mène le tour de 12 M€ de Gravillon", "Routes.", 1), 60),
        (
            mention(kind="funding_round", beneficiary="Fonds Nord", amount=eur(5e6)),
            item("o4", "Ombrelle et Fonds Nord", "5 M€.", 1),
            60,
        ),
    ]
    joined = []
    for line, page, lead in cases:
        grouper = Grouper(GroupSettings(weights=Weights(lead=lead)))
        deal = grouper.add(
            mention(
                kind="funding_round",
                beneficiary="Ombrelle",
                investors=["Fonds Nord"],
                amount=eur(12e6),
            ),
            item("o1", "Ombrelle lève 12 millions", "La jeune pousse des toits solaires.", 0, "A"),
        )
        joined.append(grouper.add(line, page) == deal)
    assert joined == [True, False, True, False, False]


def test_an_undated_round_up_lists_a_deal_of_any_time_without_moving_its_date() -> None:
    """A page the feed gave no date (dated at its poll, years later) listing a deal with its
    figure joins that deal's story, which keeps its own dates; when two deals of the company
    have that figure, it cannot tell which and joins neither."""
    grouper = Grouper()
    raised = dict(kind="funding_round", beneficiary="Ombrelle", amount=eur(12e6))
    deal = grouper.add(mention(**raised), item("o1", "Ombrelle lève 12 millions", "Les toits."))
    polled = T0 + timedelta(days=900)
    undated = item("u1", "Le palmarès des levées", "Les tours de table du trimestre.", 900, "Mag")
    undated.first_seen = polled
    line = mention(kind="funding_round", beneficiary="Ombrelle", amount=eur(12e6))
    assert grouper.add(line, undated) == deal
    assert grouper.stories[deal].last < 1 + T0.timestamp() / 86400
    dated = item("u2", "Le palmarès des levées", "Les tours.", 900, "Revue")
    assert grouper.add(line, dated) != deal  # a dated page years later: another deal
    again = item("u3", "Le palmarès des levées", "Les tours de table.", 900, "Gazette")
    again.first_seen = polled
    assert grouper.add(line, again) not in {deal}


def test_an_undated_round_up_is_dated_by_the_other_deals_it_lists() -> None:
    """Two rounds of one start-up half a year apart state the same figure (12 M€ in spring,
    the same in euros after a dollar round in autumn). An undated round-up that lists it beside
    another start-up's spring round is a spring page: its line joins the spring round. Alone,
    or listed beside a deal as far from both, it cannot tell and joins neither."""
    grouper = Grouper()
    raised = dict(kind="funding_round", beneficiary="Ombrelle", amount=eur(12e6))
    spring = grouper.add(
        mention(**raised, round="serie_a"), item("o1", "Ombrelle lève 12 millions", "Toits.")
    )
    autumn = grouper.add(
        mention(**raised, round="serie_b"),
        item("o2", "Ombrelle boucle sa série B", "Les toits solaires.", days=180, feed="Mag"),
    )
    assert spring != autumn
    gravel = dict(kind="funding_round", beneficiary="Gravillon", amount=eur(7e6))
    other = grouper.add(mention(**gravel), item("g1", "Gravillon lève 7 millions", "Routes."))
    polled = T0 + timedelta(days=900)

    def round_up(guid: str) -> Item:
        page = item(guid, "Le palmarès du trimestre", "Les tours du trimestre.", 900, guid)
        page.first_seen = polled
        return page

    lines = [
        mention(**gravel),
        mention(kind="funding_round", beneficiary="Ombrelle", amount=eur(12e6)),
    ]
    assert grouper.group([(m, round_up("r1")) for m in lines]) == [other, spring]
    alone = grouper.add(lines[1], round_up("r2"))
    assert alone not in {spring, autumn}
    far = dict(kind="funding_round", beneficiary="Caillou", amount=eur(3e6))
    between = grouper.add(mention(**far), item("c1", "Caillou lève 3 millions", "Pavés.", 90))
    listed = grouper.group([(mention(**far), round_up("r3")), (lines[1], round_up("r3"))])
    assert listed[0] == between and listed[1] not in {spring, autumn}


def test_a_name_read_wrong_on_one_page_never_draws_that_company_s_deal_into_the_story() -> None:
    """A round-up line whose reader took another start-up's name joins the story its title
    names; that start-up's own round, announced the same week with a close figure, stays its
    own story."""
    grouper = Grouper()
    raised = dict(kind="funding_round", amount=eur(12e6))
    deal = grouper.add(
        mention(beneficiary="Ombrelle", **raised),
        item("o1", "Ombrelle lève 12 millions", "La jeune pousse des toits solaires."),
    )
    wrong = mention(beneficiary="Gravillon", kind="funding_round", amount=eur(12.2e6))
    page = item("r1", "Ombrelle en tête des levées", "Ombrelle et Gravillon lèvent.", 1, "Revue")
    assert grouper.add(wrong, page) == deal
    own = item(
        "g1", "Gravillon boucle un tour de 12,5 M€", "Enrobés routiers recyclés.", 1.5, "Matin"
    )
    assert grouper.add(mention(beneficiary="Gravillon", **raised), own) != deal
    assert "gravillon" not in grouper.stories[deal].beneficiaries


def test_a_stake_told_with_and_without_its_firm_is_one_deal() -> None:
    """A holding's stake of one sum, its firm named by a later outlet only, is one deal with
    the firm's round of that sum told first; the holding's stake of another sum is not."""
    stake = dict(investor="Holdco", amount=eur(250e6), country="France")
    pairs = [
        (
            mention(kind="funding_round", beneficiary="Pixelfarm", amount=eur(250e6)),
            item("v1", "La semaine des levées", "Pixelfarm, studio de jeux, lève 250 M€.", 0),
        ),
        (
            mention(**stake),
            item("v2", "Pluie de millions", "Le holding Holdco signe un chèque.", 0.2, "Hebdo"),
        ),
        (
            mention(beneficiary="Pixelfarm", **stake),
            item(
                "v3",
                "Holdco entre au capital de Pixelfarm",
                "Le holding prend une participation de 250 M€ dans le studio de jeux.",
                10,
                "Wire",
            ),
        ),
        (
            mention(investor="Holdco", amount=eur(40e6), country="France"),
            item("v4", "Holdco met 40 M€ dans une usine", "Le holding investit.", 11, "Matin"),
        ),
    ]
    ids = Grouper().group(pairs)
    assert ids[0] == ids[1] == ids[2] != ids[3]


def test_a_page_telling_the_deal_without_a_figure_joins_its_story() -> None:
    """A page whose lead tells the deal with no amount ("X choisit la Normandie pour implanter
    son usine") names the story's company and reads like its pages: it joins that story rather
    than opening an empty one. A figureless page on the same company that reads like none of
    them stays apart."""
    deal = item(
        "f1",
        "Velion investira 300 millions d'euros dans une usine de batteries à Caen",
        "Le fabricant de batteries Velion construira sa première usine française à Caen, en "
        "Normandie, pour 300 millions d'euros. Le site produira des cellules pour les bus "
        "électriques et emploiera 400 personnes dès 2028.",
    )
    told = item(
        "f2",
        "Velion choisit la Normandie",
        "Le fabricant de batteries Velion implantera sa première usine française à Caen, en "
        "Normandie. Le site produira des cellules pour les bus électriques dès 2028.",
        1,
        "Hebdo",
    )
    other = item(
        "f3",
        "Velion change de directeur",
        "Une nouvelle directrice financière arrive au siège de Velion, à Munich, après vingt "
        "ans passés dans la banque.",
        2,
        "Matin",
    )
    grouper = Grouper()
    story = grouper.add(mention(investor="Velion", amount=eur(300e6), places=["Caen"]), deal)
    lead = {"deal": "Velion choisit la Normandie."}
    assert grouper.add(mention(investor="Velion", evidence=lead), told) == story
    assert grouper.add(mention(investor="Velion", evidence=lead), other) != story


def test_an_undated_round_up_recalls_the_deal_whose_figure_it_states_exactly() -> None:
    """Two deals of one start-up fit an undated page's line: a seed round of 12,5 M€ and a
    series A of 12 M€. The line states 12,5 M€: it lists the seed round, which a figure
    rounded alike would not tell from the other."""
    grouper = Grouper()
    raised = dict(kind="funding_round", beneficiary="Ombrelle")
    deal = grouper.add(
        mention(**raised, amount=eur(12.5e6), round="seed"),
        item("o1", "Ombrelle lève 12,5 millions", "Toits."),
    )
    later = grouper.add(
        mention(**raised, amount=eur(12e6), round="serie_a"),
        item("o2", "Ombrelle boucle sa série A", "Les toits solaires.", days=300, feed="Mag"),
    )
    assert deal != later
    page = item("u1", "Le palmarès des levées", "Les tours de table.", 900, "Revue")
    page.first_seen = T0 + timedelta(days=900)
    assert grouper.add(mention(**raised, amount=eur(12.5e6)), page) == deal


def test_a_late_page_whose_title_states_the_deal_joins_it_beside_another_figure_of_it() -> None:
    """A foreign outlet reports a round three weeks late, its title stating the figure, and its
    text gives the company another figure too (a typo, a seed round): the title says what the
    page is about, so the round's line joins the round's story; untitled, it cannot tell."""
    raised = dict(kind="funding_round", beneficiary="Verdalis")
    lines = [mention(**raised, amount=eur(20e6)), mention(**raised, amount=eur(2e5))]

    def joins(title: str) -> bool:
        grouper = Grouper()
        deal = grouper.add(
            mention(**raised, amount=eur(20e6)),
            item("v1", "Verdalis lève 20 millions d'euros", "La start-up rennaise recrute."),
        )
        late = item("v2", title, "Verdalis: €20 million, after €200,000 in 2019.", 21, "Wire")
        return grouper.group([(m, late) for m in lines])[0] == deal

    assert joins("Gaming: Verdalis raises €20 million")
    assert not joins("Gaming in Rennes")


def test_a_story_told_first_without_its_figure_meets_the_figured_story() -> None:
    """Pages telling a site choice with no amount may come first and open their own story; the
    outlet that gives the figure a day later, in its own words, reads like them and names the
    same company: the two stories are one deal, whichever came first. The same company's
    other plan, in another country with its own figure, stays apart."""
    pairs = [
        (
            mention(investor="Calorix", places=["Amiens"]),
            item(
                "g1",
                "Calorix choisit la Somme pour sa gigafactory de pompes à chaleur",
                "Le fabricant de pompes à chaleur Calorix a retenu Amiens pour sa gigafactory. "
                "Le chantier démarre au printemps, la production en 2027, selon la région.",
            ),
        ),
        (
            mention(investor="Calorix", places=["Amiens"]),
            item(
                "g2",
                "Pompes à chaleur : la gigafactory de Calorix sera picarde",
                "Calorix a tranché : sa gigafactory de pompes à chaleur verra le jour près "
                "d'Amiens, avec une production attendue en 2027.",
                0.5,
                "Hebdo",
            ),
        ),
        (
            mention(
                investor="Calorix",
                amount=eur(600e6),
                evidence={"amount": "Calorix engagera 600 millions d'euros."},
            ),
            item(
                "g3",
                "600 millions d'euros pour l'usine Calorix",
                "Le montant est connu : le fabricant Calorix engagera 600 millions d'euros dans "
                "sa gigafactory de la Somme, dont les premières pompes à chaleur sortiront en "
                "2027, près d'Amiens.",
                1,
                "Matin",
            ),
        ),
        (
            mention(investor="Calorix", country="Pologne", places=["Gdansk"], amount=eur(90e6)),
            item(
                "g4",
                "Calorix agrandit son site polonais",
                "Le fabricant de pompes à chaleur Calorix ajoute une ligne à son usine de "
                "Gdansk, en Pologne, pour 90 millions d'euros.",
                1.5,
                "Matin",
            ),
        ),
    ]
    for order in (pairs, pairs[::-1]):
        ids = Grouper().group(order)
        if order is not pairs:
            ids = ids[::-1]
        assert ids[0] == ids[1] == ids[2] != ids[3]


def test_a_page_dated_just_beyond_the_window_meets_its_deal_when_the_pages_read_alike() -> None:
    """A page dated a little over the window before the others (an outlet that gave only the
    month) tells the same company's same figure on a page like theirs, though it reads other
    sites and another jobs count from its background lines: whichever page comes first, one
    story. The company's next plan with the same figure, told in other words, stays apart."""
    text = (
        "Le motoriste Aubrac construira dans l'Ain sa nouvelle usine de disques de freins en "
        "carbone, un investissement de 300 millions d'euros pour ses avions régionaux."
    )
    first = (
        mention(investor="Aubrac", amount=eur(300e6), places=["Québec"], jobs=Quantity(400)),
        item("a1", "Aubrac choisit l'Ain pour ses freins en carbone", text, 0, "Lyon Matin"),
    )
    later = [
        (
            mention(investor="Aubrac", amount=eur(300e6), places=["Ambérieu"], jobs=Quantity(150)),
            item("a2", "Freins en carbone : Aubrac investit 300 millions dans l'Ain", text, 16),
        ),
        (
            mention(investor="Aubrac", amount=eur(300e6), places=["Ambérieu"]),
            item("a3", "L'usine de freins d'Aubrac restera en France", text, 16.3, "Éco"),
        ),
    ]
    other = (
        mention(investor="Aubrac", amount=eur(300e6), places=["Toulouse"]),
        item(
            "a4",
            "Aubrac agrandit son centre d'essais toulousain",
            "Le groupe ajoutera deux bancs moteurs et un hangar d'ici deux ans.",
            30,
            "Sud",
        ),
    )
    for pairs in ([first, *later, other], [*later, first, other]):
        ids = Grouper().group(pairs)
        assert len(set(ids[:3])) == 1 and ids[3] != ids[0]


def test_a_late_page_restating_every_figure_of_an_old_deal_feeds_its_stories() -> None:
    """A page months later names the company twice, with the site's 60 M€ and the group's
    1 Md€ plan that the deal's pages gave: it restates them (no figure is new), so each line
    joins the story with its figure, however unlike those pages it reads. A page that tells a
    new figure beside one of them tells a new deal: its lines stay apart from the old ones."""
    grouper = Grouper()
    told = "Le groupe Datacime ouvrira un centre de données de 60 M€ dans son plan d'un milliard."
    site = grouper.add(
        mention(investor="Datacime", amount=eur(60e6)),
        item("d1", "Datacime : 60 millions pour un centre de données", told),
    )
    plan = grouper.add(mention(investor="Datacime", amount=eur(1e9)), item("d1", "Datacime", told))
    later = item(
        "d2",
        "Datacime starts building",
        "Works began on the colocation site; it belongs to a one billion euro plan.",
        200,
        "Wire",
    )
    lines = [
        mention(investor="Datacime", amount=eur(1e9)),
        mention(investor="Datacime", amount=eur(60e6)),
    ]
    assert grouper.group([(m, later) for m in lines]) == [plan, site]
    new = item("d3", "Datacime expands", "A second plan follows the billion.", 350, "Post")
    lines = [
        mention(investor="Datacime", amount=eur(1e9)),
        mention(investor="Datacime", amount=eur(300e6)),
    ]
    assert not {site, plan} & set(grouper.group([(m, new) for m in lines]))


def test_a_late_page_whose_title_tells_the_deal_joins_it_despite_a_slip_in_its_text() -> None:
    """Three weeks after a round, an outlet's page titles the start-up and its figure; its text
    states the sum once more with a slip (thousands for millions), read as a second line on the
    company. The title tells the deal: the page joins that round. A page whose title tells
    another figure does not."""
    raised = dict(kind="funding_round", beneficiary="Tessival", amount=eur(30e6, "USD"))
    lines = [mention(**raised), mention(**{**raised, "amount": eur(30e3, "USD")})]
    for title, joins in (("Tessival raises $30 million", True), ("Tessival: $45 million", False)):
        grouper = Grouper()
        deal = grouper.add(
            mention(**raised), item("t1", "Tessival lève 30 millions de dollars", "Jeux mobiles.")
        )
        page = item("t2", title, "The studio raised $30,000.", 21, "Wire")
        assert (grouper.group([(m, page) for m in lines])[0] == deal) is joins
