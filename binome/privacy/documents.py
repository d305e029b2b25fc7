"""Text of the processing register entry (art. 30 GDPR) and of the DPIA (AIPD), pre-filled
from the structure's configuration; the team edits it and exports it as PDF."""

from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from binome.core import kept_sql
from binome.people.models import Role
from binome.privacy.models import ProcessingDocument
from binome.privacy.registry import registrations
from binome.privacy.retention import policy

TO_COMPLETE = "[à compléter]"


def _identity(structure):
    parts = [f"{structure.name} — {structure.get_kind_display()}"]
    if structure.commune:
        parts.append(
            f"{structure.commune} ({structure.department})"
            if structure.department
            else structure.commune
        )
    parts.append(f"Région : {structure.get_region_display()}")
    if structure.finess:
        parts.append(f"FINESS : {structure.finess}")
    if structure.siret:
        parts.append(f"SIRET : {structure.siret}")
    return "\n".join(parts)


def _data_categories():
    return _data_categories_in(get_language())


@lru_cache(maxsize=8)
def _data_categories_in(language):
    """Every registered field's name: the same text for every structure, built once per
    language (some 150 labels; the patient's page shows the notice that reads it)."""
    lines = []
    for registration in registrations():
        labels = [
            str(registration.model._meta.get_field(name).verbose_name)
            for name in registration.fields
        ]
        lines.append(f"- {registration.title} : {', '.join(labels)}")
    return "\n".join(lines)


def _retention_lines():
    return "\n".join(f"- {p['label']} : {p['days']} jours {p['starts']}" for p in policy())


def _networks(structure):
    from binome.people.models import NetworkAffiliation

    affiliations = kept_sql.instances(
        "privacy.networks",
        (),
        lambda structure_id: (
            NetworkAffiliation.objects.filter(structure=structure_id)
            .opted_in()
            .select_related("network")
        ),
        args=(structure.pk,),
    )
    names = [a.network.name for a in affiliations]
    if not names:
        return "Aucun réseau régional ne reçoit de données."
    return (
        "Réseau(x) régional(aux) : "
        + ", ".join(names)
        + " — uniquement des indicateurs agrégés et "
        "anonymes, jamais de données personnelles."
    )


SECURITY = (
    "- Comptes personnels ; second facteur (TOTP) obligatoire pour les personnes qui voient des données de patients\n"
    "- Limitation des tentatives de connexion ; sessions qui expirent après deux heures d'inactivité\n"
    "- Cloisonnement absolu entre structures ; chaque rôle ne voit que ce dont il a besoin\n"
    "- Consentements enregistrés (texte, version, date, qui l'a recueilli) et appliqués par le logiciel\n"
    "- Journal d'audit non modifiable de chaque consultation et de chaque export de données de patients\n"
    "- Chiffrement des échanges (HTTPS) ; hébergement certifié HDS lorsque les données sont hébergées par un tiers\n"
    "- Sauvegardes quotidiennes vérifiées (nombre de lignes et sommes de contrôle), restauration testée"
)


def register_sections(structure):
    from binome.people.models import Membership

    coordinators = kept_sql.instances(
        "privacy.coordinators",
        (),
        lambda structure_id: (
            Membership.objects.filter(structure=structure_id)
            .active()
            .filter(role=Role.COORDINATOR)
            .select_related("user")
        ),
        args=(structure.pk,),
    )
    contact = ", ".join(str(m.user) for m in coordinators) or TO_COMPLETE
    return [
        (
            "controller",
            "Responsable du traitement",
            _identity(structure)
            + f"\nContact : {contact}\nDélégué à la protection des données : {TO_COMPLETE}",
        ),
        (
            "name",
            "Nom du traitement",
            _("Partenariat avec les patients et les usagers (plateforme Binôme)"),
        ),
        (
            "purposes",
            "Finalités",
            _(
                "- Recruter, former et accompagner les patients partenaires ; organiser leurs missions\n"
                "- Pair-accompagnement de patients orientés par l'équipe, avec leur consentement\n"
                "- Actions d'implication des usagers, enquêtes de satisfaction, boîte à idées, comité des usagers\n"
                "- Indemnisation des patients partenaires ; pilotage des projets de l'équipe"
            ),
        ),
        (
            "legal_basis",
            _("Base légale"),
            "- Consentement explicite des patients accompagnés pour le pair-accompagnement et le partage d'informations "
            "(art. 6.1.a et 9.2.a du RGPD), retirable à tout moment\n"
            "- Exécution des engagements réciproques avec les patients partenaires (charte, missions, indemnisation : art. 6.1.b)\n"
            f"- Intérêt légitime de la structure à organiser l'implication des usagers (art. 6.1.f) — {TO_COMPLETE}",
        ),
        (
            "people",
            _("Personnes concernées"),
            _(
                "Professionnels de santé et coordination de la structure ; patients partenaires et candidats ; "
                "patients accompagnés ; représentants des usagers ; usagers répondant aux enquêtes de façon nominative."
            ),
        ),
        ("data", _("Catégories de données"), _data_categories()),
        (
            "recipients",
            "Destinataires",
            "- La coordination : l'organisation et les métadonnées des accompagnements, jamais le contenu des échanges non partagés\n"
            "- Les professionnels de santé : les orientations qu'ils ont faites et ce que le patient a accepté de partager\n"
            "- Les patients partenaires : uniquement ce que leur mission exige (prénom, contact, moments clés)\n"
            f"- {_networks(structure)}",
        ),
        ("transfers", _("Transferts hors de l'Union européenne"), "Aucun."),
        ("retention", _("Durées de conservation"), _retention_lines()),
        ("security", _("Mesures de sécurité"), SECURITY),
    ]


def dpia_sections(structure):
    return [
        (
            "context",
            "1. Contexte et description du traitement",
            _identity(structure)
            + "\n\nLe traitement organise le partenariat de l'équipe avec des patients partenaires et le pair-accompagnement "
            "de patients, ce qui implique des données de santé (expérience vécue, parcours de soins, moments clés). "
            "Une AIPD est requise : données sensibles de personnes vulnérables, traitées à grande échelle ou croisées.",
        ),
        ("data", _("2. Données traitées"), _data_categories()),
        (
            "necessity",
            _("3. Nécessité et proportionnalité"),
            "- Minimisation : le patient partenaire ne voit que ce que la mission exige, jamais un dossier médical\n"
            "- Consentements séparés (être contacté, partager ses coordonnées, partager des résumés), retirables\n"
            "- Droit d'accès (export JSON et PDF) et d'effacement depuis « Mes données » ou auprès de la coordination\n"
            f"- Durées de conservation :\n{_retention_lines()}",
        ),
        (
            "risks",
            _("4. Risques pour les personnes"),
            "Accès illégitime (ex. : un membre d'une autre structure, un téléphone perdu) — gravité : "
            f"{TO_COMPLETE} ; vraisemblance : {TO_COMPLETE}\n"
            f"Modification non désirée (ex. : consentement modifié) — gravité : {TO_COMPLETE} ; vraisemblance : {TO_COMPLETE}\n"
            f"Disparition des données (panne, erreur) — gravité : {TO_COMPLETE} ; vraisemblance : {TO_COMPLETE}",
        ),
        ("measures", _("5. Mesures prévues"), SECURITY),
        (
            "opinions",
            _("6. Avis du délégué à la protection des données et des personnes concernées"),
            TO_COMPLETE,
        ),
        (
            "decision",
            "7. Validation",
            f"Validée le {TO_COMPLETE} par {TO_COMPLETE}. Prochaine revue : {TO_COMPLETE}.",
        ),
    ]


BUILDERS = {
    ProcessingDocument.Kind.REGISTER: register_sections,
    ProcessingDocument.Kind.DPIA: dpia_sections,
}


def proposed(structure, kind) -> list[dict]:
    return [
        {"key": key, "title": title, "body": body} for key, title, body in BUILDERS[kind](structure)
    ]


def document_for(structure, kind) -> ProcessingDocument:
    """The saved document, or an unsaved one pre-filled from the configuration."""
    # Read on every page that shows the notice (the patient's, the consent forms): kept SQL.
    document = kept_sql.one(
        "privacy.document",
        (),
        lambda structure_id, kind: ProcessingDocument.objects.filter(
            structure=structure_id, kind=kind
        ).order_by("pk")[:1],
        args=(structure.pk, str(kind)),
    )
    if document is None:
        document = ProcessingDocument(
            structure=structure, kind=kind, sections=proposed(structure, kind)
        )
        document.updated_at = timezone.now()
    return document
