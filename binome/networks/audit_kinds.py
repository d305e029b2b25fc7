from binome.audit.kinds import Kind

KINDS = [
    Kind("networks.assessment_created", "Auto-évaluation de maturité enregistrée", "change"),
    Kind("networks.resource_saved", "Ressource de la bibliothèque enregistrée", "change"),
    Kind("networks.dimension_saved", "Dimension de la matrice de maturité modifiée", "change"),
    Kind("networks.matrix_created", "Matrice de maturité ouverte", "change"),
    Kind("networks.matrix_answered", "Réponses individuelles à la matrice enregistrées", "change"),
    Kind("networks.matrix_consensus", "Consensus de la matrice enregistré", "change"),
    Kind("networks.matrix_action_saved", "Action d'amélioration enregistrée", "change"),
    Kind("networks.campaign_created", "Campagne créée", "change"),
    Kind("networks.campaign_invited", "Structures invitées à une campagne", "change"),
    Kind("networks.campaign_sent", "Invitations de campagne envoyées", "change"),
    Kind("networks.campaign_answered", "Réponse à une campagne reçue", "change"),
    Kind("networks.report_exported", "Rapport de campagne exporté (agrégats)", "export"),
    Kind("networks.card_saved", "Fiche projet enregistrée", "change"),
    Kind("networks.card_published", "Fiche projet publiée au catalogue", "change"),
    Kind("networks.card_unpublished", "Fiche projet retirée du catalogue", "change"),
    Kind("networks.exchange_requested", "Demande d'échange envoyée", "change"),
    Kind("networks.exchange_answered", "Réponse à une demande d'échange", "change"),
]
