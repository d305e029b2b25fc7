from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("missions.created", _("Fiche-mission créée"), "change"),
    Kind("missions.updated", _("Fiche-mission modifiée"), "change"),
    Kind(
        "missions.submitted", _("Fiche-mission soumise à validation (nouvelle version)"), "change"
    ),
    Kind("missions.validated", _("Fiche-mission validée par un signataire"), "change"),
    Kind("missions.activated", _("Mission devenue active"), "change"),
    Kind("missions.commented", _("Commentaire sur une fiche-mission"), "change"),
    Kind("missions.assigned", _("Patient partenaire affecté à une mission"), "change"),
    Kind("missions.unassigned", _("Affectation à une mission terminée"), "change"),
    Kind("missions.closed", _("Mission close"), "change"),
    Kind("missions.compensation_decided", _("Politique d'indemnisation décidée"), "change"),
    Kind("missions.read", _("Consultation d'une fiche-mission"), "read"),
    Kind(
        "missions.matching_read",
        _("Consultation des partenaires suggérés pour une mission"),
        "read",
    ),
]
