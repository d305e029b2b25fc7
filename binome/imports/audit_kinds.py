from django.utils.translation import gettext_lazy as _

from binome.audit.kinds import Kind

KINDS = [
    Kind("imports.previewed", _("Tableur déposé pour import (aperçu, rien n'est écrit)"), "change"),
    Kind("imports.imported", _("Import d'un tableur (lignes valides enregistrées)"), "change"),
    Kind("imports.cancelled", _("Import d'un tableur abandonné (rien n'est écrit)"), "change"),
    Kind("imports.report_downloaded", _("Compte rendu d'import téléchargé"), "export"),
]
