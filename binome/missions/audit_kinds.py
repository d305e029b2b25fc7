from binome.audit.kinds import Kind

KINDS = [
    Kind("missions.created", "Fiche-mission créée", "change"),
    Kind("missions.updated", "Fiche-mission modifiée", "change"),
    Kind("missions.submitted", "Fiche-mission soumise à validation (nouvelle version)", "change"),
    Kind("missions.validated", "Fiche-mission validée par un signataire", "change"),
    Kind("missions.activated", "Mission devenue active", "change"),
    Kind("missions.commented", "Commentaire sur une fiche-mission", "change"),
    Kind("missions.assigned", "Patient partenaire affecté à une mission", "change"),
    Kind("missions.unassigned", "Affectation à une mission terminée", "change"),
    Kind("missions.closed", "Mission close", "change"),
    Kind("missions.compensation_decided", "Politique d'indemnisation décidée", "change"),
    Kind("missions.read", "Consultation d'une fiche-mission", "read"),
    Kind("missions.matching_read", "Consultation des partenaires suggérés pour une mission", "read"),
]
