"""Typed audit event kinds. Each app registers its own in ``<app>/audit_kinds.py``.

Kinds are data in Python, not database choices, so that adding one never needs a
migration of the audit table.
"""

from dataclasses import dataclass
from functools import cache

from binome.core.plugins import app_modules


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    # Reads and exports of personal data; the rest are security events and changes.
    category: str = "security"  # "security" | "read" | "export" | "change"


KINDS = [
    Kind("auth.login", "Connexion"),
    Kind("auth.login_failed", "Échec de connexion"),
    Kind("auth.logout", "Déconnexion"),
    Kind("auth.magic_link_sent", "Lien de connexion envoyé"),
    Kind("auth.magic_link_login", "Connexion par lien"),
    Kind("auth.second_factor_enabled", "Second facteur activé"),
    Kind("auth.second_factor_verified", "Second facteur vérifié"),
    Kind("auth.second_factor_failed", "Échec du second facteur"),
    Kind("auth.second_factor_reset", "Second facteur réinitialisé"),
    Kind("auth.password_changed", "Mot de passe modifié"),
    Kind("auth.profile_changed", "Coordonnées du compte modifiées", "change"),
    Kind("auth.password_reset_requested", "Réinitialisation du mot de passe demandée"),
    Kind("auth.api_token_created", "Jeton d'API créé"),
    Kind("auth.api_token_revoked", "Jeton d'API révoqué"),
    Kind("auth.psc_signed_in", "Connexion par Pro Santé Connect"),
    Kind("auth.psc_refused", "Connexion par Pro Santé Connect refusée"),
    Kind("auth.psc_linked", "Carte e-CPS reliée au compte (RPPS vérifié)", "change"),
    Kind("people.invitation_sent", "Invitation envoyée", "change"),
    Kind("people.invitation_revoked", "Invitation annulée", "change"),
    Kind("people.invitation_accepted", "Invitation acceptée", "change"),
    Kind("people.membership_deactivated", "Membre retiré", "change"),
    Kind("people.membership_changed", "Rôle d'un membre modifié", "change"),
    Kind("people.structure_updated", "Fiche de la structure modifiée", "change"),
    Kind("people.members_read", "Consultation de la liste des membres", "read"),
    Kind("people.members_exported", "Export de la liste des membres", "export"),
    Kind("audit.log_read", "Consultation du journal d'audit", "read"),
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


def label_of(code: str) -> str:
    kind = all_kinds().get(code)
    return kind.label if kind else code
