from binome.audit.kinds import Kind

KINDS = [
    Kind("steering.project_created", "Projet de pilotage créé", "change"),
    Kind("steering.project_updated", "Projet de pilotage modifié", "change"),
    Kind("steering.committee_changed", "Comité de pilotage modifié", "change"),
    Kind("steering.cycle_saved", "Cycle de projet enregistré", "change"),
    Kind("steering.action_saved", "Action du plan enregistrée", "change"),
    Kind("steering.logbook_added", "Entrée ajoutée au journal de bord", "change"),
    Kind("steering.factor_saved", "Facteur limitant enregistré", "change"),
    Kind("steering.indicator_saved", "Indicateur de projet enregistré", "change"),
    Kind("steering.checkin_added", "Point d'étape avec le partenaire enregistré", "change"),
    Kind("steering.link_added", "Lien de projet ajouté", "change"),
]
