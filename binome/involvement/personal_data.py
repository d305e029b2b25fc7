"""Personal data of the involvement register.

Evidence files are linked to whoever uploaded them (a photo or a file name can name
someone): exported with that person's data; on erasure the file name is neutralised and
the link removed, the proof itself stays with the structure for its ACI report. The rest
describes what the team did, not a person.
"""

from django.utils.translation import gettext_lazy

from binome.involvement.models import (
    Evidence,
    InvolvementAction,
    Programme,
    Workshop,
    WorkshopFeedback,
)
from binome.privacy.registry import not_personal, register

register(
    Evidence,
    fields=["original_name", "uploaded_at"],
    subject=lambda person: (
        Evidence.objects.filter(uploaded_by=person.user) if person.user else Evidence.objects.none()
    ),
    erase="anonymise",
    anonymise={"original_name": "piece-justificative", "uploaded_by": None},
    structure_path="action__structure",
)

not_personal(
    Evidence,
    ["file"],
    reason=gettext_lazy(
        "Chemin de stockage aléatoire (UUID) sans nom ; le nom d'origine, lui, est enregistré et effacé."
    ),
)
not_personal(
    InvolvementAction,
    ["description"],
    reason=gettext_lazy(
        "Description d'une action collective de l'équipe (affiche, comité…), sans donnée sur une personne."
    ),
)
not_personal(
    Programme,
    ["description"],
    reason=gettext_lazy("Présentation d'un programme d'éducation thérapeutique ou de prévention."),
)
not_personal(
    Workshop,
    ["etp_training_override"],
    reason=gettext_lazy(
        "Justification de la coordination sur l'organisation d'une séance (formation prévue) ; la personne est le co-animateur, lié à son compte."
    ),
)
not_personal(
    Workshop,
    ["notes"],
    reason=gettext_lazy(
        "Remarques d'organisation d'une séance collective ; les participants ne sont ni nommés ni enregistrés."
    ),
)
not_personal(
    WorkshopFeedback,
    ["comment"],
    reason=gettext_lazy(
        "Avis anonyme d'un participant : aucun lien avec une personne n'est enregistré."
    ),
)
