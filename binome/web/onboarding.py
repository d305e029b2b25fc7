"""First steps of a new team on the coordinator's home (issue 15): each step is linked to the
page that does it and ticked from the data itself, in the home page's one counters query."""

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str
    query: str = ""


STEPS = [
    Step(
        "structure",
        _("Compléter la fiche de la structure (type, FINESS ou SIRET, accord conventionnel signé)"),
        "people:structure",
    ),
    Step(
        "members",
        _("Inviter les professionnels de santé et les patients partenaires de l'équipe"),
        "people:members",
    ),
    Step(
        "charter",
        _("Adopter la charte d'engagement réciproque (la publier ou la faire signer)"),
        "partners:charter",
    ),
    Step(
        "compensation",
        _("Décider ensemble de l'indemnisation des patients partenaires"),
        "missions:compensation",
    ),
    Step(
        "mission",
        _("Écrire une première fiche-mission avec un patient partenaire"),
        "missions:create",
    ),
    Step(
        "import",
        _("Apporter vos tableurs : patients partenaires, accompagnements et consentements papier"),
        "imports:start",
    ),
]


def counters(structure) -> dict:
    from binome.imports.models import ImportBatch
    from binome.missions.models import CompensationPolicy, Mission
    from binome.partners.models import Charter, CharterSignature
    from binome.people.models import Invitation, Membership, Role, Structure

    return {
        "structure": Exists(
            Structure.objects.filter(pk=structure.pk).filter(~Q(finess="") | ~Q(siret=""))
        ),
        "members": Exists(
            Membership.objects.active().filter(structure=structure).exclude(role=Role.COORDINATOR)
        ),
        "members_invited": Exists(Invitation.objects.pending(at=Now()).filter(structure=structure)),
        "charter": Exists(Charter.objects.filter(structure=structure, published_by__isnull=False)),
        "charter_signed": Exists(CharterSignature.objects.filter(charter__structure=structure)),
        "compensation": Exists(CompensationPolicy.objects.filter(structure=structure)),
        "mission": Exists(Mission.objects.filter(structure=structure)),
        "import": Exists(
            ImportBatch.objects.filter(structure=structure, status=ImportBatch.Status.IMPORTED)
        ),
    }


def home_counters(request) -> dict:
    """``counters`` for the home page's one query (binome.core.cards.cards_for)."""
    return counters(request.structure)


# A step is also done by its alternative: invitations sent, or a charter signed on paper.
ALTERNATIVES = {"members": "members_invited", "charter": "charter_signed"}


def steps(values) -> list[dict]:
    done = lambda key: bool(values.get(key) or values.get(ALTERNATIVES.get(key, "")))  # noqa: E731
    return [{"label": s.label, "url": reverse(s.url_name), "done": done(s.key)} for s in STEPS]
