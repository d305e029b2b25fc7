"""Personal data of the networks app.

Most of it is about teams, not people: assessments, campaign answers and project cards
describe a structure. What is about a person: a member's own answers to the maturity
matrix, and the address of an invited structure when it is a person's address.
"""

from django.utils.translation import gettext_lazy

from binome.networks.models import CampaignInvitation, ExchangeRequest, MatrixAnswer, ProjectCard
from binome.privacy.registry import not_personal, register

register(
    MatrixAnswer,
    fields=["session", "dimension", "level", "comment"],
    subject=lambda person: (
        MatrixAnswer.objects.filter(membership__user=person.user)
        if person.user
        else MatrixAnswer.objects.none()
    ),
    erase="anonymise",
    anonymise={"comment": ""},
    structure_path="session__structure",
)
register(
    CampaignInvitation,
    fields=["email"],
    subject=lambda person: CampaignInvitation.objects.filter(email__in=person.emails),
    erase="anonymise",
    anonymise={"email": ""},
    structure_path=None,
)
register(
    ExchangeRequest,
    fields=["card", "message", "created_at"],
    subject=lambda person: (
        ExchangeRequest.objects.filter(created_by=person.user)
        if person.user
        else ExchangeRequest.objects.none()
    ),
    erase="anonymise",
    anonymise={"message": "", "created_by": None},
    structure_path="from_structure",
)
not_personal(
    CampaignInvitation,
    ["name"],
    reason=gettext_lazy("Nom de la structure invitée, pas d'une personne."),
)
not_personal(
    ProjectCard,
    ["contact"],
    reason=gettext_lazy(
        "Contact de l'équipe (adresse générique demandée), publié par l'équipe elle-même."
    ),
)
