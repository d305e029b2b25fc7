from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.core.cards import Card, count, first_value
from binome.networks.models import Campaign, ExchangeRequest, MaturityAssessment
from binome.people.models import Role


def counters(request):
    """Team: where it stands on the continuum and pending exchange requests; facilitators: open campaigns."""
    result = {}
    roles = set(request.roles)
    if request.structure is not None and roles & {Role.COORDINATOR, Role.PROFESSIONAL}:
        last = MaturityAssessment.objects.filter(structure=request.structure).order_by(
            "-created_at", "-id"
        )
        result["level"] = first_value(last, "level")
        result["assessed_at"] = first_value(last, "created_at")
        if Role.COORDINATOR in roles:
            result["pending"] = count(
                ExchangeRequest.objects.filter(
                    card__structure=request.structure, status=ExchangeRequest.Status.SENT
                )
            )
    if request.binome.network is not None:
        today = timezone.localdate()
        result["campaigns"] = count(
            Campaign.objects.filter(
                network=request.binome.network, opens_on__lte=today, closes_on__gte=today
            )
        )
    return result


def cards(request, counts):
    result = []
    if "level" in counts:
        if counts["level"] is None:
            result.append(
                Card(
                    _("Maturité de l'équipe"),
                    _("À évaluer"),
                    reverse("networks:assessment_new"),
                    _(
                        "Vingt minutes pour situer l'équipe sur le continuum et trouver le prochain petit pas."
                    ),
                    order=650,
                )
            )
        else:
            levels = dict(MaturityAssessment._meta.get_field("level").flatchoices)
            result.append(
                Card(
                    _("Maturité de l'équipe"),
                    levels.get(counts["level"], counts["level"]),
                    reverse("networks:assessments"),
                    _("Dernière auto-évaluation le %(d)s")
                    % {"d": counts["assessed_at"].strftime("%d/%m/%Y")},
                    order=650,
                )
            )
    if counts.get("pending"):
        result.append(
            Card(
                _("Demandes d'échange à traiter"),
                counts["pending"],
                reverse("networks:exchanges"),
                _("Des équipes aimeraient profiter de votre expérience."),
                order=651,
                tone="attention",
            )
        )
    if "campaigns" in counts:
        result.append(
            Card(
                _("Campagnes en cours"),
                counts["campaigns"],
                reverse("networks:campaigns"),
                _("Suivi des réponses et rapport agrégé."),
                order=50,
            )
        )
    return result
