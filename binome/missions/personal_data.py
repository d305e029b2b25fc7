"""Personal data in missions: comments are their authors'; the sheet itself describes a role."""

from django.utils.translation import gettext_lazy as _

from binome.missions.models import CompensationPolicy, Mission, MissionComment, MissionVersion
from binome.privacy.registry import not_personal, register

register(
    MissionComment,
    fields=["body", "side", "created_at"],
    subject=lambda person: (
        MissionComment.objects.filter(author=person.user)
        if person.user
        else MissionComment.objects.none()
    ),
    erase="anonymise",
    anonymise={"body": _("[commentaire effacé]")},
    structure_path="mission__structure",
)
not_personal(
    Mission,
    [
        "objective",
        "activities",
        "excluded_activities",
        "required_profile",
        "time_and_place",
        "supervision",
        "closing_note",
    ],
    reason=_("La fiche-mission décrit un rôle et son cadre, pas une personne ni sa santé."),
)
not_personal(
    MissionVersion,
    ["text"],
    reason=_("Texte figé de la fiche-mission (un rôle, pas une personne)."),
)
not_personal(
    CompensationPolicy, ["notes"], reason=_("Décision collective de l'équipe sur l'indemnisation.")
)
