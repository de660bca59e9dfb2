"""A round's details as real news tells them: the lead and the investors (and the sentences
that name them), the round's name, and jobs told apart from the deal. Texts written here."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.models import Item, Mention
from digest.read.reader import Reader
from tests.support.items import news_item


def item(title: str, text: str, lang: str = "fr") -> Item:
    return news_item(
        title,
        text,
        lang,
        published=datetime(2025, 5, 6, 8, tzinfo=UTC),
        url="https://example.org/b",
        id=9,
    )


def rounds(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.kind == "funding_round"]


def test_a_lead_named_after_dirigee_par(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Nuvelia lève 8 millions d'euros",
                "La start-up lyonnaise Nuvelia a bouclé une série A de 8 millions d'euros "
                "dirigée par Orme Capital, avec la participation de Kestrel Ventures.",
            )
        )
    )
    assert (m.beneficiary, m.round, m.lead) == ("Nuvelia", "serie_a", "Orme Capital")
    assert m.investors[:2] == ["Orme Capital", "Kestrel Ventures"]


def test_the_sentence_naming_the_investors_is_their_evidence(reader: Reader) -> None:
    mentions = reader.read(
        item(
            "Brindis lève 12 millions d'euros",
            "Brindis, qui conçoit des capteurs pour les vignes, lève 12 millions d'euros. "
            "Le tour de table a réuni les fonds Orme Capital et Kestrel Ventures.",
        )
    )
    (m,) = rounds(mentions)
    assert m.investors[:2] == ["Orme Capital", "Kestrel Ventures"]
    assert "Kestrel Ventures" in m.evidence["investors"]


def test_a_round_word_inside_an_investor_name_is_no_round(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Kalvio lève 5 millions d'euros",
                "Kalvio lève 5 millions d'euros auprès de Sorbel Growth Equity.",
            )
        )
    )
    assert m.round is None


def test_the_extension_of_a_series_is_that_series(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Tamarix lève 15 millions d'euros",
                "Tamarix lève 15 millions d'euros, une extension de sa série B.",
            )
        )
    )
    assert m.round == "serie_b"


def test_jobs_said_of_this_round_are_the_rounds(reader: Reader) -> None:
    mentions = reader.read(
        item(
            "Quillon lève 20 millions d'euros",
            "Quillon lève 20 millions d'euros auprès d'Orme Capital. "
            "Tamarix Ventures avait déjà investi 2 millions d'euros dans la société en 2021. "
            "Cette nouvelle levée de fonds doit permettre à la jeune pousse de recruter "
            "60 personnes d'ici la fin de l'année.",
        )
    )
    (m,) = rounds(mentions)
    assert m.jobs is not None and m.jobs.value == 60


def test_un_recrutement_is_no_count_of_jobs(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Vespar lève 3 millions d'euros",
                "Vespar lève 3 millions d'euros. Un recrutement massif est prévu.",
            )
        )
    )
    assert m.jobs is None


def test_staff_added_are_jobs(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Ondine lève 9 millions d'euros",
                "Ondine lève 9 millions d'euros pour ajouter 25 salariés à son équipe.",
            )
        )
    )
    assert m.jobs is not None and m.jobs.value == 25


def test_investors_listed_after_a_word_that_lists_nothing(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Kalvio lève 30 millions d'euros",
                "Pionnière de la robotique, notamment dans les entrepôts, Kalvio lève 30 "
                "millions d'euros auprès des fonds Orme Capital et Kestrel Ventures.",
            )
        )
    )
    assert m.investors[:2] == ["Orme Capital", "Kestrel Ventures"]


def test_the_leads_of_the_round_named_far_from_it(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Sorbel raises €12M",
                "Paris-based Sorbel, which designs batteries for drones, raised €12M. "
                "Its chief executive said the money would go to a new plant. "
                "Orme Capital and Kestrel Ventures led the oversubscribed funding round.",
                lang="en",
            )
        )
    )
    assert m.investors[:2] == ["Orme Capital", "Kestrel Ventures"]


def test_a_round_stated_twice_once_rounded_is_one_round(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Tamarix lève plus de 40 millions d'euros",
                "Tamarix lève 42 millions d'euros en série B auprès d'Orme Capital. "
                "La fintech prévoit de créer 90 emplois en deux ans.",
            )
        )
    )
    assert (m.amount and m.amount.value, m.round) == (42_000_000, "serie_b")
    assert m.jobs is not None and m.jobs.value == 90


def test_the_lead_of_a_cleft_sentence(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Tamarix lève 30 millions d'euros",
                "La start-up nantaise Tamarix lève 30 millions d'euros. C'est le fonds "
                "britannique Orme Capital, déjà actionnaire de Brindis et de Kalvio, qui est à "
                "la manœuvre.",
            )
        )
    )
    assert m.lead == "Orme Capital"


def test_a_newspaper_cited_as_source_is_no_investor(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Tessival lève 30 millions d'euros",
                "Tessival a bouclé un tour de 30 millions d'euros, selon Le Courrier Matinal. "
                "Le tour de table a réuni Le Courrier Matinal et Orme Capital.",
            )
        )
    )
    assert m.investors == ["Orme Capital"]


def test_a_public_plan_is_no_investor(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Brumel lève 12 millions d'euros",
                "Brumel lève 12 millions d'euros. Le tour de table a réuni Kestrel Ventures "
                "et le Plan Horizon 2040.",
            )
        )
    )
    assert m.investors == ["Kestrel Ventures"]


def test_a_founder_quoted_is_no_investor(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Orvale lève 5 millions d'euros",
                "Orvale lève 5 millions d'euros. Le tour de table a réuni Kestrel Ventures "
                "et Orme Capital, se réjouit son cofondateur Paul Verdier.",
            )
        )
    )
    assert m.investors == ["Kestrel Ventures", "Orme Capital"]


def test_a_newspaper_that_reported_the_round_is_no_investor(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Tessival lève 30 millions d'euros",
                "Tessival lève 30 millions d'euros. Le Courrier Matinal avait révélé l'opération. "
                "Le tour de table a réuni Le Courrier Matinal et Orme Capital.",
            )
        )
    )
    assert m.investors == ["Orme Capital"]


def test_a_common_word_taken_for_a_name_is_no_investor(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Nuvelia lève 9 millions d'euros",
                "Nuvelia lève 9 millions d'euros auprès de Orme Capital et de Partenaires.",
            )
        )
    )
    assert m.investors == ["Orme Capital"]


def test_the_main_investor_named_after_a_colon_leads(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Brindis lève 20 millions d'euros",
                "Brindis lève 20 millions d'euros. L'opération se distingue par son investisseur "
                "principal : le fonds Orme Capital, derrière la marque Kestrel.",
            )
        )
    )
    assert m.lead == "Orme Capital"


def test_a_sentence_restating_the_amount_names_the_round(reader: Reader) -> None:
    mentions = reader.read(
        item(
            "Tavelio boucle un tour de table",
            "Tavelio, qui édite un logiciel de suivi du fret routier, a bouclé un financement "
            "de 30 millions d'euros. Deux fonds belges, Orme Capital et Kestrel Ventures, "
            "rejoignent ainsi ses premiers actionnaires. Cette série C de 30 millions d'euros "
            "(52 millions d'euros obtenus en tout depuis 2019) servira à ouvrir trois bureaux.",
        )
    )
    (m,) = [m for m in rounds(mentions) if m.amount and m.amount.value == 30e6]
    assert (m.beneficiary, m.round) == ("Tavelio", "serie_c")


def test_a_round_word_a_quoted_founder_says_is_not_the_round(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Quarzo lève 20 millions d'euros",
                "La start-up Quarzo a annoncé une levée de 20 millions d'euros. "
                "« Nous ne sommes plus au stade de l'amorçage, nos clients paient », "
                "explique la fondatrice de Quarzo.",
            )
        )
    )
    assert (m.beneficiary, m.round) == ("Quarzo", None)


def test_the_leads_of_the_round_named_paragraphs_later(reader: Reader) -> None:
    mentions = reader.read(
        item(
            "Solvane has closed a €25M Series A",
            "Solvane has closed a €25M Series A. The Lyon startup designs heat pumps for "
            "factories. Its first pump runs at Laiterie Alpine in Savoie. Laiterie Alpine says "
            "its gas bill fell by a third. Customers pay per kilowatt-hour saved. Kestrel "
            "Partners and Orme Capital led the oversubscribed funding round, with participation "
            "from existing investors.",
            lang="en",
        )
    )
    (m,) = rounds(mentions)
    assert m.lead == "Kestrel Partners"
    assert m.investors[:2] == ["Kestrel Partners", "Orme Capital"]


def test_the_principal_investor_named_in_a_cleft_leads(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Ferrolis lève 90 millions d'euros",
                "Le fabricant d'acier vert Ferrolis lève 90 millions d'euros. C'est le fonds "
                "Orme Capital qui est le « principal investisseur » de cette opération.",
            )
        )
    )
    assert m.lead == "Orme Capital"


def test_an_investor_of_a_part_of_the_round_is_its_investor(reader: Reader) -> None:
    mentions = reader.read(
        item(
            "Le studio Pixelune boucle une augmentation de capital de 40 millions d'euros",
            "Le studio de jeux vidéo Pixelune boucle une augmentation de capital de 40 millions "
            "d'euros. Orme Capital a investi 30 millions d'euros dans l'opération et détient "
            "désormais 35 % du studio.",
        )
    )
    (m,) = rounds(mentions)
    assert m.investors[:1] == ["Orme Capital"]


def test_jobs_said_of_this_round_after_an_investor_past_rounds(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Recyclo lève 60 millions d'euros",
                "La place de marché Recyclo lève 60 millions d'euros auprès de Orme Capital et "
                "Kestrel Ventures. Certains en sont à leur troisième ticket. Kestrel Ventures, "
                "déjà présent, avait investi 5 millions d'euros en 2017 puis 12 millions d'euros "
                "l'année suivante. Cette nouvelle levée de fonds servira à embaucher 150 "
                "personnes cette année.",
            )
        )
    )
    assert m.jobs is not None and m.jobs.value == 150


def test_a_lead_named_with_an_adverb_before_par(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Verdane lève 12 millions d'euros",
                "La jeune pousse bordelaise Verdane lève 12 millions d'euros. Le tour est mené "
                "notamment par Orme Capital. Fonds Alpha et Kestrel Ventures ont réinvesti.",
            )
        )
    )
    assert m.lead == "Orme Capital"


def test_the_name_marked_lead_in_a_list_leads(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "La start-up Nuvelia lève 8 millions d'euros",
                "Nuvelia lève 8 millions d'euros auprès d'Orme Capital (lead), Kestrel Ventures "
                "et Fonds Alpha.",
            )
        )
    )
    assert m.lead == "Orme Capital"
    assert m.investors == ["Orme Capital", "Kestrel Ventures", "Fonds Alpha"]


def test_an_english_led_by_after_a_name_first_taken_for_the_company(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Nuvelia raises $8M Series B",
                "Lyon-based Nuvelia has raised $8 million in a round led by Orme Capital, with "
                "participation from Kestrel Ventures.",
                "en",
            )
        )
    )
    assert (m.beneficiary, m.round, m.lead) == ("Nuvelia", "serie_b", "Orme Capital")


def test_the_principal_investor_beside_a_part_taker_leads(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Ferrolis réunit 900 millions d'euros pour son aciérie",
                "Le fabricant d'acier vert Ferrolis a réuni 900 millions d'euros de fonds propres "
                "pour construire son aciérie près de Metz. L'usine doit produire dès 2027. C'est "
                "le fonds canadien Orme Capital qui est le « principal investisseur », aux côtés "
                "de Kestrel Partners, qui a investi 150 millions d'euros.",
            )
        )
    )
    assert m.lead == "Orme Capital"
    assert "Orme Capital" in m.evidence["investors"]


def test_a_part_takers_sentence_is_the_evidence_naming_it(reader: Reader) -> None:
    mentions = reader.read(
        item(
            "Le studio Pixelune boucle une augmentation de capital de 40 millions d'euros",
            "Le studio de jeux vidéo Pixelune boucle une augmentation de capital de 40 millions "
            "d'euros. Orme Capital a investi 30 millions d'euros dans l'opération.",
        )
    )
    (m,) = rounds(mentions)
    assert "Orme Capital" in m.evidence["investors"]


def test_a_reference_shareholder_taken_in_the_round_leads(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Kalvio lève 20 millions d'euros",
                "La start-up nantaise Kalvio lève 20 millions d'euros. Le fonds Orme Capital "
                "devient l'actionnaire de référence de la société, aux côtés des fondateurs.",
            )
        )
    )
    assert m.lead == "Orme Capital"


def test_jobs_of_this_round_after_three_investors_listed(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "La start-up Nuvelia lève 8 millions d'euros",
                "Nuvelia lève 8 millions d'euros auprès d'Orme Capital, Kestrel Ventures et "
                "Fonds Alpha. Cette levée doit permettre la création de 45 emplois d'ici 2026.",
            )
        )
    )
    assert m.jobs is not None and m.jobs.value == 45


def test_the_text_restating_the_titles_amount_under_a_founders_firm_is_the_titles_deal(
    reader: Reader,
) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Kalvio lève 15 millions d'euros pour son application de caisse",
                "La start-up créée par Jeanne Morel, Paul Vidal (Orme Studio) et Léa Bonnet "
                "annonce une levée de 17 millions de dollars (15 millions d'euros) en série A, "
                "menée par Kestrel Partners. L'application équipe déjà 800 boulangeries.",
            )
        )
    )
    assert (m.beneficiary, m.round, m.lead) == ("Kalvio", "serie_a", "Kestrel Partners")


def test_new_staff_joining_are_jobs_whatever_the_verb(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "La start-up Nuvelia lève 8 millions d'euros",
                "Nuvelia lève 8 millions d'euros auprès d'Orme Capital. A terme, jusqu'à 90 "
                "nouveaux collaborateurs rejoindront son site de Lyon.",
            )
        )
    )
    assert m.jobs is not None and m.jobs.value == 90


def test_the_company_of_a_round_an_investor_backed_before_is_no_investor(reader: Reader) -> None:
    (m,) = rounds(
        reader.read(
            item(
                "Verdane lève 12 millions d'euros",
                "La jeune pousse bordelaise Verdane lève 12 millions d'euros. Le tour est mené "
                "par Orme Capital, qui était déjà derrière la levée de Kalvio. Les actionnaires "
                "existants Fonds Alpha et Kestrel Ventures ont réinvesti.",
            )
        )
    )
    assert m.investors == ["Orme Capital", "Fonds Alpha", "Kestrel Ventures"]
