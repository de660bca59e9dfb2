"""email-validator's reasons, said in French for the people who typed the address (sign-up
form, test sends); an unknown reason falls back to a plain « adresse non valide »."""

from __future__ import annotations

import re

# (pattern of email-validator's English message, French; {0} is the pattern's first group)
REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), fr)
    for p, fr in [
        (r"^the address is empty", "l'adresse est vide"),
        (r"must have an @-sign", "il manque l'arobase (@)"),
        (r"exactly one @-sign", "l'adresse doit contenir une seule arobase (@)"),
        (r"something before the @-sign", "il manque le nom avant l'arobase (@)"),
        (r"something after the @-sign", "il manque le domaine après l'arobase (@)"),
        (r"should have a period", "le domaine après l'arobase doit contenir un point"),
        (r"two periods in a row", "deux points se suivent"),
        (r"cannot start with a period", "l'adresse ne peut pas commencer par un point"),
        (r"cannot end with a period", "l'adresse ne peut pas finir par un point"),
        (r"period immediately before the @-sign", "un point ne peut pas précéder l'arobase"),
        (r"hyphen immediately after the @-sign", "un tiret ne peut pas suivre l'arobase"),
        (r"invalid characters before the @-sign: (.+?)\.?$",
         "caractères interdits avant l'arobase : {0}"),
        (r"after the @-sign contains invalid characters: (.+?)\.?$",
         "caractères interdits dans le domaine : {0}"),
        (r"internationalized characters before the @-sign",
         "les lettres accentuées ne sont pas acceptées avant l'arobase"),
        (r"too long|so many characters", "l'adresse ou son domaine est trop long"),
        (r"bracketed IP address", "une adresse IP n'est pas acceptée comme domaine"),
        (r"special-use or reserved name", "ce domaine est réservé et ne reçoit pas de courrier"),
        (r"does not (?:exist|accept email)|not resolve", "ce domaine ne reçoit pas de courrier"),
    ]
]  # fmt: skip


def french(reason: str) -> str:
    """The French reason an address was refused, from email-validator's English one."""
    for pattern, said in REASONS:
        found = pattern.search(reason)
        if found:
            return said.format(*found.groups())
    return "cette adresse n'est pas valide"
