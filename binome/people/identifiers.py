"""The French health system's identifiers, checked the same way on every page and API.

- SIRET: 14 digits, Luhn key (python-stdnum ``fr.siret``, which knows La Poste's exception).
- FINESS: 9 characters, a department (2 digits, or 2A/2B for Corsica), a serial number and
  a Luhn key on the 9 characters (the key rule checked on known numbers such as AP-HP's
  750712184). Corsican numbers carry a letter: only their format is checked.
- RPPS: 11 digits, the last one a Luhn key (ANS, « Annuaire Santé » identifier table).

Each ``clean_*`` returns the compact value (spaces and dots removed) or raises a French
``ValidationError``; the same functions back the models' validators.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.fr import siret as _siret

_SEPARATORS = re.compile(r"[\s.\-]")
_FINESS = re.compile(r"^(?:[0-9]{2}|2[AB])[0-9]{7}$")


def compact(value) -> str:
    return _SEPARATORS.sub("", str(value or "")).upper()


def clean_siret(value) -> str:
    value = compact(value)
    if value and not _siret.is_valid(value):
        raise ValidationError(
            _("Numéro SIRET invalide (14 chiffres, clé de contrôle)."), code="siret"
        )
    return value


def clean_finess(value) -> str:
    value = compact(value)
    if not value:
        return value
    if not _FINESS.match(value):
        raise ValidationError(
            _("Numéro FINESS invalide : 9 caractères, par exemple 750712184."), code="finess"
        )
    if value.isdigit() and not luhn.is_valid(value):
        raise ValidationError(
            _("Numéro FINESS invalide : la clé de contrôle ne correspond pas."), code="finess"
        )
    return value


def clean_rpps(value) -> str:
    value = compact(value)
    if value and (len(value) != 11 or not value.isdigit() or not luhn.is_valid(value)):
        raise ValidationError(
            _("Numéro RPPS invalide : 11 chiffres dont une clé de contrôle."), code="rpps"
        )
    return value


def with_key(body: str) -> str:
    """``body`` followed by its Luhn key: for fixtures and the demo, never for user input."""
    return body + luhn.calc_check_digit(body)


# Model field validators (raise on a value that is not already compact and valid).
def validate_siret(value):
    if clean_siret(value) != value:
        raise ValidationError(
            _("Numéro SIRET invalide (14 chiffres, clé de contrôle)."), code="siret"
        )


def validate_finess(value):
    if clean_finess(value) != value:
        raise ValidationError(
            _("Numéro FINESS invalide : 9 caractères, par exemple 750712184."), code="finess"
        )


def validate_rpps(value):
    if clean_rpps(value) != value:
        raise ValidationError(
            _("Numéro RPPS invalide : 11 chiffres dont une clé de contrôle."), code="rpps"
        )
