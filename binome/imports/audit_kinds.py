from binome.audit.kinds import Kind

KINDS = [
    Kind("imports.previewed", "Tableur déposé pour import (aperçu, rien n'est écrit)", "change"),
    Kind("imports.imported", "Import d'un tableur (lignes valides enregistrées)", "change"),
    Kind("imports.cancelled", "Import d'un tableur abandonné (rien n'est écrit)", "change"),
    Kind("imports.report_downloaded", "Compte rendu d'import téléchargé", "export"),
]
