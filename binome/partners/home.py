from django.db.models import Case, Exists, F, IntegerField, OuterRef, When
from django.urls import reverse
from django.utils.translation import gettext as _

from binome.core.cards import Card, count, first_value
from binome.partners.models import Charter, CharterSignature, Partner
from binome.people.models import Role


def counters(request):
    if request.structure is None:
        return {}
    roles = set(request.roles)
    result = {}
    if Role.COORDINATOR in roles:
        partners = Partner.objects.filter(structure=request.structure)
        result["active"] = count(partners.filter(status=Partner.Status.ACTIVE))
        result["new"] = count(partners.filter(status=Partner.Status.CANDIDATE))
        result["pipeline"] = count(partners.filter(status__in=Partner.PIPELINE_STATUSES))
    if roles & {Role.PARTNER, Role.PROFESSIONAL, Role.COORDINATOR}:
        # The version of the current charter (see partners.services.current_charter) while I
        # have not signed it; None when there is no charter or I signed it.
        signed = CharterSignature.objects.filter(charter=OuterRef("pk"), user=request.user)
        current = (
            Charter.objects.filter(structure=request.structure)
            .order_by("-version")
            .annotate(
                to_sign=Case(
                    When(Exists(signed), then=None),
                    default=F("version"),
                    output_field=IntegerField(),
                )
            )
        )
        result["to_sign"] = first_value(current, "to_sign")
    return result


def cards(request, counts):
    result = []
    if "active" in counts:
        result.append(
            Card(
                _("Patients partenaires actifs"),
                counts["active"],
                reverse("partners:pool"),
                order=200,
            )
        )
        result.append(
            Card(
                _("Candidatures à traiter"),
                counts["new"],
                reverse("partners:pipeline"),
                _("%(n)s en cours de recrutement") % {"n": counts["pipeline"]},
                order=210,
                tone="attention" if counts["new"] else "neutral",
            )
        )
    if counts.get("to_sign") is not None:
        result.append(
            Card(
                _("Charte d'engagement à signer"),
                _("Version %(v)s") % {"v": counts["to_sign"]},
                reverse("partners:charter"),
                _("Prenez le temps de la lire, puis signez-la en ligne."),
                order=150,
                tone="attention",
            )
        )
    return result
