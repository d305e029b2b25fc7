from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("networks.assessment_created", _("Auto-évaluation de maturité enregistrée"), "change"),
    Kind("networks.resource_saved", _("Ressource de la bibliothèque enregistrée"), "change"),
    Kind("networks.dimension_saved", _("Dimension de la matrice de maturité modifiée"), "change"),
    Kind("networks.matrix_created", _("Matrice de maturité ouverte"), "change"),
    Kind(
        "networks.matrix_answered", _("Réponses individuelles à la matrice enregistrées"), "change"
    ),
    Kind("networks.matrix_consensus", _("Consensus de la matrice enregistré"), "change"),
    Kind("networks.matrix_action_saved", _("Action d'amélioration enregistrée"), "change"),
    Kind("networks.campaign_created", _("Campagne créée"), "change"),
    Kind("networks.campaign_invited", _("Structures invitées à une campagne"), "change"),
    Kind("networks.campaign_sent", _("Invitations de campagne envoyées"), "change"),
    Kind("networks.campaign_answered", _("Réponse à une campagne reçue"), "change"),
    Kind("networks.report_exported", _("Rapport de campagne exporté (agrégats)"), "export"),
    Kind("networks.card_saved", _("Fiche projet enregistrée"), "change"),
    Kind("networks.card_published", _("Fiche projet publiée au catalogue"), "change"),
    Kind("networks.card_unpublished", _("Fiche projet retirée du catalogue"), "change"),
    Kind("networks.exchange_requested", _("Demande d'échange envoyée"), "change"),
    Kind("networks.exchange_answered", _("Réponse à une demande d'échange"), "change"),
]
