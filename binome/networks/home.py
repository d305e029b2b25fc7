from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.networks.models import Campaign, ExchangeRequest, MaturityAssessment
from binome.people.models import Role
from binome.web.home import Card


def cards(request):
    """Team: where it stands on the continuum and pending exchange requests; facilitators: open campaigns."""
    result = []
    roles = set(request.roles)
    if request.structure is not None and roles & {Role.COORDINATOR, Role.PROFESSIONAL}:
        last = MaturityAssessment.objects.filter(structure=request.structure).order_by("-created_at", "-id").only("level", "created_at").first()
        if last is None:
            result.append(Card(_("Maturité de l'équipe"), _("À évaluer"), reverse("networks:assessment_new"),
                               _("Vingt minutes pour situer l'équipe sur le continuum et trouver le prochain petit pas."), order=650))
        else:
            result.append(Card(_("Maturité de l'équipe"), last.get_level_display(), reverse("networks:assessments"),
                               _("Dernière auto-évaluation le %(d)s") % {"d": last.created_at.strftime("%d/%m/%Y")}, order=650))
        if Role.COORDINATOR in roles:
            pending = ExchangeRequest.objects.filter(card__structure=request.structure, status=ExchangeRequest.Status.SENT).count()
            if pending:
                result.append(Card(_("Demandes d'échange à traiter"), pending, reverse("networks:exchanges"),
                                   _("Des équipes aimeraient profiter de votre expérience."), order=651, tone="attention"))
    if request.binome.network is not None:
        today = timezone.localdate()
        n = Campaign.objects.filter(network=request.binome.network, opens_on__lte=today, closes_on__gte=today).count()
        result.append(Card(_("Campagnes en cours"), n, reverse("networks:campaigns"), _("Suivi des réponses et rapport agrégé."), order=50))
    return result
