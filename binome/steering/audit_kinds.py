from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("steering.project_created", _("Projet de pilotage créé"), "change"),
    Kind("steering.project_updated", _("Projet de pilotage modifié"), "change"),
    Kind("steering.committee_changed", _("Comité de pilotage modifié"), "change"),
    Kind("steering.cycle_saved", _("Cycle de projet enregistré"), "change"),
    Kind("steering.action_saved", _("Action du plan enregistrée"), "change"),
    Kind("steering.logbook_added", _("Entrée ajoutée au journal de bord"), "change"),
    Kind("steering.factor_saved", _("Facteur limitant enregistré"), "change"),
    Kind("steering.indicator_saved", _("Indicateur de projet enregistré"), "change"),
    Kind("steering.checkin_added", _("Point d'étape avec le partenaire enregistré"), "change"),
    Kind("steering.link_added", _("Lien de projet ajouté"), "change"),
]
