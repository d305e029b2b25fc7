from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.partners.models import CharterSignature, Partner
from binome.partners.services import current_charter
from binome.people.models import Role
from binome.web.home import Card


def cards(request):
    if request.structure is None:
        return []
    roles = set(request.roles)
    result = []
    if Role.COORDINATOR in roles:
        counts = Partner.objects.filter(structure=request.structure).aggregate(
            active=Count("pk", filter=Q(status=Partner.Status.ACTIVE)),
            new=Count("pk", filter=Q(status=Partner.Status.CANDIDATE)),
            pipeline=Count("pk", filter=Q(status__in=Partner.PIPELINE_STATUSES)),
        )
        result.append(Card(_("Patients partenaires actifs"), counts["active"], reverse("partners:pool"), order=200))
        result.append(
            Card(
                _("Candidatures à traiter"), counts["new"], reverse("partners:pipeline"),
                _("%(n)s en cours de recrutement") % {"n": counts["pipeline"]},
                order=210, tone="attention" if counts["new"] else "neutral",
            )
        )
    if roles & {Role.PARTNER, Role.PROFESSIONAL, Role.COORDINATOR}:
        charter = current_charter(request.structure)
        if charter is not None and not CharterSignature.objects.filter(charter=charter, user=request.user).exists():
            result.append(
                Card(_("Charte d'engagement à signer"), _("Version %(v)s") % {"v": charter.version}, reverse("partners:charter"),
                     _("Prenez le temps de la lire, puis signez-la en ligne."), order=150, tone="attention")
            )
    return result
