"""Written stories of our own wording, for previews, tests and benchmarks of the email.

`sample_stories()` is a realistic week (conflict, update, held story, rounds, briefs);
`synthetic_stories(n)` repeats its shapes to any size.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from digest.language.fold import fold
from digest.models import (
    Amount,
    Conflict,
    ConflictValue,
    Figure,
    Part,
    Quantity,
    Source,
    Story,
)

WEEK_END = datetime(2024, 5, 21, 5, 30, tzinfo=UTC)
WEEK_START = WEEK_END - timedelta(days=7)


def _src(feed: str, slug: str, title: str, day: int) -> Source:
    return Source(
        url=f"https://{fold(feed).replace(' ', '')}.example.com/2024/05/{slug}",
        title=title,
        feed=feed,
        published=WEEK_START + timedelta(days=day, hours=8),
    )


def _eur(value: float, stated: str, qualifier: str = "exact") -> Amount:
    return Amount(value=value, currency="EUR", qualifier=qualifier, as_stated=stated)  # type: ignore[arg-type]


def sample_stories() -> list[Story]:
    """One week of stories, in no particular order, one of them held back."""
    return [
        Story(
            id="s-nuage",
            investor="Nuagix",
            country="France",
            locations=["Paris", "Marseille"],
            amount=_eur(4e9, "4 milliards d'euros"),
            parts=[Part(_eur(2.5e9, "2,5 milliards"), "pour deux centres de données")],
            jobs=Quantity(1200, "at_least", "au moins 1 200 emplois"),
            timeframe="d'ici fin 2027",
            sector="Cloud",
            event="Sommet Choisir la France",
            figures=[Figure("gpus", Quantity(25000))],
            conflicts=[
                Conflict(
                    "amount.currency",
                    [
                        ConflictValue("EUR", ["Le Fil Éco", "Tech Hebdo"]),
                        ConflictValue("USD", ["Wire Monde"]),
                    ],
                )
            ],
            headline="Nuagix investit 4 milliards d'euros dans le cloud en France",
            summary=(
                "Le groupe annonce deux centres de données, à Paris et à Marseille, et au moins "
                "1\u202f200 emplois d'ici fin 2027. Une source parle de dollars plutôt que d'euros."
            ),
            sources=[
                _src(
                    "Le Fil Éco", "nuagix-4-milliards", "Nuagix mise 4 milliards sur la France", 1
                ),
                _src("Tech Hebdo", "nuagix-datacenters", "Deux centres de données pour Nuagix", 1),
                _src("Wire Monde", "nuagix-usd", "Nuagix annonce un plan de 4 milliards", 2),
            ],
        ),
        Story(
            id="s-robots",
            kind="funding_round",
            beneficiary="Robotiq Agri",
            investors=["Fonds Horizon", "Banque des Territoires"],
            country="France",
            locations=["Lyon"],
            amount=_eur(45e6, "45 millions d'euros"),
            round="serie_b",
            sector="Agritech",
            headline="Robotiq Agri lève 45 millions d'euros pour ses robots de désherbage",
            summary="La société lyonnaise veut tripler sa production et ouvrir l'Espagne.",
            sources=[_src("Tech Hebdo", "robotiq-45m", "Robotiq Agri boucle sa série B", 2)],
        ),
        Story(
            id="s-batteries",
            investor="Voltaïa",
            country="France",
            locations=["Dunkerque"],
            amount=_eur(1.2e9, "1,2 milliard d'euros"),
            jobs=Quantity(2000, "about", "environ 2 000 emplois"),
            timeframe="à partir de 2026",
            sector="Batteries",
            headline="Voltaïa construit une usine de batteries de 1,2 milliard d'euros à Dunkerque",
            summary="Le site doit produire ses premières cellules en 2026.",
            update_note=None,
            sources=[
                _src("Le Fil Éco", "voltaia-dunkerque", "Une gigafactory de plus dans le Nord", 3),
                _src("Région Info", "voltaia-emplois", "2 000 emplois attendus à Dunkerque", 3),
            ],
        ),
        Story(
            id="s-ia-sante",
            kind="funding_round",
            beneficiary="Diagnostix",
            investors=["Santé Ventures"],
            country="France",
            locations=["Bordeaux"],
            amount=_eur(12e6, "12 millions d'euros"),
            round="serie_a",
            sector="Santé",
            headline="Diagnostix lève 12 millions d'euros pour son IA d'imagerie médicale",
            summary="L'outil aide les radiologues à repérer les fractures sur les radios.",
            sources=[_src("Startup Mag", "diagnostix", "Diagnostix lève 12 millions", 4)],
        ),
        Story(
            id="s-quantique",
            kind="funding_round",
            beneficiary="Qubitek",
            investors=["Deeptech Partners", "Fonds Innovation Défense"],
            country="France",
            locations=["Palaiseau"],
            amount=_eur(100e6, "100 millions d'euros"),
            round="serie_b",
            sector="Quantique",
            headline="Qubitek réunit 100 millions d'euros pour son ordinateur quantique",
            summary="La jeune pousse de Palaiseau recrute 80 ingénieurs cette année.",
            sources=[
                _src("Startup Mag", "qubitek-100m", "Qubitek passe la barre des 100 millions", 4),
                _src("Tech Hebdo", "qubitek", "Qubitek, champion du quantique", 5),
            ],
        ),
        Story(
            id="s-logistique",
            investor="Cargoline",
            country="France",
            locations=["Le Havre"],
            amount=Amount(300e6, "USD", "about", "près de 300 millions de dollars"),
            jobs=Quantity(350),
            sector="Logistique",
            headline="Cargoline ouvre un entrepôt automatisé au Havre",
            summary="Près de 300\u00a0millions de dollars pour un site de 350\u00a0emplois.",
            update_note="Le montant est désormais confirmé par l'entreprise.",
            sources=[_src("Wire Monde", "cargoline-havre", "Cargoline choisit Le Havre", 5)],
        ),
        Story(
            id="s-formation",
            investor="Codeo",
            country="France",
            sector="Formation",
            figures=[Figure("people_trained", Quantity(10000), "d'ici 2026")],
            headline="Codeo veut former 10 000 personnes au numérique",
            summary="Le programme vise les demandeurs d'emploi de six régions.",
            sources=[_src("Région Info", "codeo", "Codeo lance un grand plan de formation", 6)],
        ),
        Story(
            id="s-fintech",
            kind="funding_round",
            beneficiary="Payflo",
            country="France",
            locations=["Nantes"],
            amount=_eur(3.5e6, "3,5 millions d'euros"),
            round="seed",
            sector="Fintech",
            headline="Payflo lève 3,5 millions d'euros pour simplifier la facturation",
            summary="La start-up nantaise cible les artisans.",
            sources=[_src("Startup Mag", "payflo", "Payflo fait son amorçage", 6)],
        ),
        Story(
            id="s-retail",
            investor="Maison Lumen",
            country="France",
            locations=["Lille"],
            sector="Commerce",
            headline="Maison Lumen installe son siège européen à Lille",
            sources=[_src("Région Info", "lumen-lille", "Maison Lumen arrive à Lille", 6)],
        ),
        Story(
            id="s-hydrogene",
            investor="H2 Rivage",
            country="France",
            locations=["Fos-sur-Mer"],
            amount=_eur(150e6, "150 millions d'euros"),
            sector="Hydrogène",
            headline="H2 Rivage prépare un électrolyseur à Fos-sur-Mer",
            summary="Le chiffre n'a pas pu être relié à une source.",
            held_reason="amount: no source sentence states 150 millions",
            sources=[_src("Wire Monde", "h2-rivage", "H2 Rivage à Fos", 5)],
        ),
    ]


def synthetic_stories(n: int) -> list[Story]:
    """n sendable stories made from the sample shapes, each with its own id and amount."""
    shapes = [s for s in sample_stories() if not s.held_reason]
    out = []
    for i in range(n):
        base = shapes[i % len(shapes)]
        amount = (  # a new value, so not the words of the shape's
            replace(base.amount, value=base.amount.value * (1 + i / 50), as_stated="")
            if base.amount
            else None
        )
        out.append(
            replace(
                base,
                id=f"{base.id}-{i}",
                amount=amount,
                headline=f"{base.headline} (n° {i + 1})",
                sources=[replace(s, url=f"{s.url}-{i}") for s in base.sources],
            )
        )
    return out
