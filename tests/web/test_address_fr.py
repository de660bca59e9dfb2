"""email-validator's refusals, as the sign-up form and the test sends say them in French."""

from __future__ import annotations

import pytest

from digest.send.subscribers import InvalidAddress, normalise
from digest.web.address_fr import french


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("pas une adresse", "il manque l'arobase (@)"),
        ("@exemple.fr", "il manque le nom avant l'arobase (@)"),
        ("lea@", "il manque le domaine après l'arobase (@)"),
        ("lea@exemple", "le domaine après l'arobase doit contenir un point"),
        ("lea..m@exemple.fr", "deux points se suivent"),
        (".lea@exemple.fr", "l'adresse ne peut pas commencer par un point"),
        ("lea.@exemple.fr", "un point ne peut pas précéder l'arobase"),
        ("lea m@exemple.fr", "caractères interdits avant l'arobase : SPACE"),
        ("lea@exe_mple.fr", "caractères interdits dans le domaine : '_'"),
        ("léa@exemple.fr", "les lettres accentuées ne sont pas acceptées avant l'arobase"),
        ("lea@exemple.invalid", "ce domaine est réservé et ne reçoit pas de courrier"),
        ("", "l'adresse est vide"),
    ],
)
def test_each_refusal_of_the_validator_is_said_in_french(typed: str, said: str) -> None:
    with pytest.raises(InvalidAddress) as refused:
        normalise(typed)
    assert french(str(refused.value)) == said


def test_an_unknown_reason_is_still_french() -> None:
    assert french("Something new went wrong.") == "cette adresse n'est pas valide"
