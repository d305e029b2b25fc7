from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

# The names they had in accompaniment, before the split: the journal's history reads on.
KINDS = [
    Kind("accompaniment.tandem_saved", _("Tandem enregistré"), "change"),
    Kind("accompaniment.tandem_viewed", _("Tandem et comptes rendus consultés"), "read"),
    Kind("accompaniment.tandem_report_added", _("Compte rendu de tandem envoyé"), "change"),
    Kind(
        "accompaniment.tandem_report_acknowledged",
        _("Compte rendu de tandem lu ou répondu"),
        "change",
    ),
    Kind(
        "accompaniment.practice_session_added",
        _("Séance de groupe d'analyse de pratiques notée"),
        "change",
    ),
]
