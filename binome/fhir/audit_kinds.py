from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    # A FHIR read of something the caller may not see: answered 404, traced for the security review.
    Kind(
        "api.fhir_not_found",
        _("Lecture FHIR refusée : ressource introuvable pour cet utilisateur"),
        "security",
    ),
]
