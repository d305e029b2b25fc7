"""Typed audit event kinds. Each app registers its own in ``<app>/audit_kinds.py``.

Kinds are data in Python, not database choices, so that adding one never needs a
migration of the audit table.
"""

from dataclasses import dataclass
from functools import cache, lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from binome.core.plugins import app_modules


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    # Reads and exports of personal data; the rest are security events and changes.
    category: str = "security"  # "security" | "read" | "export" | "change"


KINDS = [
    Kind("auth.login", _("Connexion")),
    Kind("auth.login_failed", _("Échec de connexion")),
    Kind("auth.logout", _("Déconnexion")),
    Kind("auth.magic_link_sent", _("Lien de connexion envoyé")),
    Kind("auth.magic_link_login", _("Connexion par lien")),
    Kind("auth.second_factor_enabled", _("Second facteur activé")),
    Kind("auth.second_factor_verified", _("Second facteur vérifié")),
    Kind("auth.second_factor_failed", _("Échec du second facteur")),
    Kind("auth.second_factor_reset", _("Second facteur réinitialisé")),
    Kind("auth.password_changed", _("Mot de passe modifié")),
    Kind("auth.profile_changed", _("Coordonnées du compte modifiées"), "change"),
    Kind("auth.password_reset_requested", _("Réinitialisation du mot de passe demandée")),
    Kind("auth.api_token_created", _("Jeton d'API créé")),
    Kind("auth.api_token_revoked", _("Jeton d'API révoqué")),
    Kind("auth.psc_signed_in", _("Connexion par Pro Santé Connect")),
    Kind("auth.psc_refused", _("Connexion par Pro Santé Connect refusée")),
    Kind("auth.psc_linked", _("Carte e-CPS reliée au compte (RPPS vérifié)"), "change"),
    Kind("people.invitation_sent", _("Invitation envoyée"), "change"),
    Kind("people.invitation_revoked", _("Invitation annulée"), "change"),
    Kind("people.invitation_accepted", _("Invitation acceptée"), "change"),
    Kind("people.membership_deactivated", _("Membre retiré"), "change"),
    Kind("people.membership_changed", _("Rôle d'un membre modifié"), "change"),
    Kind("people.structure_updated", _("Fiche de la structure modifiée"), "change"),
    Kind("people.members_read", _("Consultation de la liste des membres"), "read"),
    Kind("people.members_exported", _("Export de la liste des membres"), "export"),
    Kind("audit.log_read", _("Consultation du journal d'audit"), "read"),
]


@cache
def all_kinds() -> dict[str, Kind]:
    kinds = {k.code: k for k in KINDS}
    for app, module in app_modules("audit_kinds"):
        if app == "binome.audit":
            continue
        for kind in module.KINDS:
            if kind.code in kinds:
                raise ValueError(f"Audit kind {kind.code} is registered twice.")
            kinds[kind.code] = kind
    return kinds


@lru_cache(maxsize=16)
def _labels(language: str | None) -> dict[str, str]:
    return {code: str(kind.label) for code, kind in all_kinds().items()}


def labels() -> dict[str, str]:
    """Every kind's label in the active language, translated once per process (the log
    page shows fifty rows and a list of some 170 kinds)."""
    return _labels(get_language())


@lru_cache(maxsize=16)
def _sorted_choices(language: str | None) -> tuple:
    return tuple(sorted(_labels(language).items(), key=lambda choice: choice[1]))


def sorted_choices() -> tuple:
    """(code, label) of every kind, by label, in the active language (the log's filter)."""
    return _sorted_choices(get_language())


def label_of(code: str) -> str:
    return labels().get(code, code)
